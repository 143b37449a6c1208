package org.voxel4j.volumetric.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.voxel4j.volumetric.Fixtures;
import org.voxel4j.volumetric.transforms.VoxelArrays;

class SegmentationMetricsTest {
    private static final String DIR = "/fixtures/metrics/";

    /** Relative-or-absolute closeness that also accepts equal infinities. */
    private static void close(String what, double actual, double expected) {
        if (Double.isInfinite(expected)) {
            assertThat(actual).as(what).isEqualTo(expected);
        } else {
            assertThat(actual)
                    .as(what)
                    .isCloseTo(expected, within(1e-9 * Math.max(1, Math.abs(expected))));
        }
    }

    @Test
    void matchesScipyAndSurfelReferenceOnEveryFixtureCase() {
        JsonNode root = Fixtures.json(DIR + "cases.json");
        int checked = 0;
        for (JsonNode c : root.get("cases")) {
            String name = c.get("name").asText();
            int[] shape = ints(c.get("shape"));
            double[] spacing = doubles(c.get("spacing"));
            double[] tol = doubles(c.get("tolerances"));
            Fixtures.Npy pred = Fixtures.npy(DIR + c.get("pred").asText());
            Fixtures.Npy ref = Fixtures.npy(DIR + c.get("ref").asText());
            assertThat(pred.shape()).isEqualTo(shape);
            SegmentationMetricsConfig cfg = SegmentationMetricsConfig.defaults().withSurfel(tol);
            List<LabelMetrics> results = new ArrayList<>();
            if (c.get("kind").asText().equals("binary")) {
                results.add(
                        SegmentationMetrics.binary(pred.mask(), ref.mask(), shape, spacing, cfg));
            } else {
                results.addAll(
                        SegmentationMetrics.labelMaps(
                                        name, pred.ints(), ref.ints(), shape, spacing, cfg)
                                .labels());
            }
            JsonNode expected = c.get("expected");
            assertThat(results).as(name).hasSize(expected.size());
            for (LabelMetrics m : results) {
                JsonNode e = expected.get(Integer.toString(m.label()));
                String w = name + " label " + m.label() + " ";
                assertThat(m.flag().name()).as(w + "flag").isEqualTo(e.get("flag").asText());
                assertThat(m.predVoxels()).as(w + "|A|").isEqualTo(e.get("pred_voxels").asLong());
                assertThat(m.refVoxels()).as(w + "|B|").isEqualTo(e.get("ref_voxels").asLong());
                assertThat(m.intersectionVoxels()).isEqualTo(e.get("intersection_voxels").asLong());
                close(w + "dice", m.dice(), e.get("dice").asDouble());
                close(w + "iou", m.iou(), e.get("iou").asDouble());
                close(w + "hd95", m.hd95(), e.get("hd95").asDouble());
                close(w + "hd100", m.hd100(), e.get("hd100").asDouble());
                close(w + "assd", m.assd(), e.get("assd").asDouble());
                close(w + "vol pred", m.volumePredMl(), e.get("volume_pred_ml").asDouble());
                close(w + "vol ref", m.volumeRefMl(), e.get("volume_ref_ml").asDouble());
                close(w + "vol err", m.volumeError(), e.get("volume_error").asDouble());
                close(w + "hd95-surfel", m.surfel().hd95Surfel(), e.get("hd95_surfel").asDouble());
                double[] sd = m.surfel().surfaceDice();
                for (int i = 0; i < tol.length; i++) {
                    close(
                            w + "surface dice@" + tol[i],
                            sd[i],
                            e.get("surface_dice").get(i).asDouble());
                }
                checked++;
            }
        }
        assertThat(checked).isEqualTo(14);
    }

    @Test
    void surfelAreasSumToTheReferenceTotals() {
        JsonNode root = Fixtures.json(DIR + "cases.json");
        for (JsonNode c : root.get("cases")) {
            JsonNode e = c.get("expected").get("1");
            if (!c.get("kind").asText().equals("binary") || !e.has("surfel_area_pred")) {
                continue;
            }
            int[] shape = ints(c.get("shape"));
            SurfelDistances sd =
                    SurfelDistances.compute(
                            Fixtures.npy(DIR + c.get("pred").asText()).mask(),
                            Fixtures.npy(DIR + c.get("ref").asText()).mask(),
                            shape,
                            doubles(c.get("spacing")));
            close(
                    c.get("name") + " pred area",
                    sum(sd.areasPred()),
                    e.get("surfel_area_pred").asDouble());
            close(
                    c.get("name") + " ref area",
                    sum(sd.areasRef()),
                    e.get("surfel_area_ref").asDouble());
        }
    }

    /**
     * Two 2x2x2 cubes, the second shifted by one voxel along axis 0, spacing (2, 1, 1) mm. By hand:
     * every voxel is a surface voxel; the 4 voxels of A at x=0 are 2 mm (one step along axis 0)
     * from B, the other 4 lie on B's surface.
     */
    @Test
    void voxelMetricsOfTwoShiftedCubesMatchHandCalculation() {
        int[] shape = {3, 2, 2};
        boolean[] a = new boolean[12];
        boolean[] b = new boolean[12];
        for (int i = 0; i < 8; i++) {
            a[i] = true; // x = 0, 1
            b[i + 4] = true; // x = 1, 2
        }
        double[] spacing = {2, 1, 1};
        LabelMetrics m =
                SegmentationMetrics.binary(
                        a, b, shape, spacing, SegmentationMetricsConfig.defaults());
        assertThat(m.dice()).isEqualTo(0.5); // 2*4 / (8+8)
        assertThat(m.iou()).isCloseTo(1.0 / 3, within(1e-15)); // 4 / 12
        // d(A->B) = [2,2,2,2,0,0,0,0]; P95 at virtual index 6.65 of the sorted list = 2
        assertThat(m.hd95()).isEqualTo(2.0);
        assertThat(m.hd100()).isEqualTo(2.0);
        assertThat(m.assd()).isEqualTo(1.0); // (8 + 8) / 16
        assertThat(m.volumePredMl()).isEqualTo(0.016); // 8 voxels * 2 mm^3
        assertThat(m.volumeError()).isEqualTo(0.0);
        assertThat(m.flag()).isEqualTo(EmptyFlag.NONE);
        assertThat(m.surfel()).isNull();
    }

    /**
     * The same cubes with surface elements. Corner grid 3x3x3 per cube, 26 surface corners; areas
     * at spacing (s0, s1, s2) = (2, 1, 1): cube vertex (1/8)|(s1s2, s0s2, s0s1)| = 3/8; edge
     * midpoint along axis 0: s0 * |(s1, s2)|/2 = sqrt(2); along axis 1 or 2: |(s0, s2)|/2 =
     * sqrt(5)/2; face centre with normal axis 0: s1 s2 = 1, normal axis 1 or 2: 2. Total T = 13 + 4
     * sqrt(2) + 4 sqrt(5). Distances from A to B: the 9 corners of A's face x=0 (4 vertices, 4 edge
     * midpoints along axes 1/2, 1 face centre) are 2 mm from B's face x=1; the centre of A's face
     * x=2 is 1 mm from B's side faces; every other corner lies on B's surface.
     */
    @Test
    void surfelMetricsOfTwoShiftedCubesMatchHandCalculation() {
        int[] shape = {3, 2, 2};
        boolean[] a = new boolean[12];
        boolean[] b = new boolean[12];
        for (int i = 0; i < 8; i++) {
            a[i] = true;
            b[i + 4] = true;
        }
        SurfelDistances sd = SurfelDistances.compute(a, b, shape, new double[] {2, 1, 1});
        double total = 13 + 4 * Math.sqrt(2) + 4 * Math.sqrt(5);
        double w2 = 4 * 3.0 / 8 + 4 * Math.sqrt(5) / 2 + 1;
        double w1 = 1;
        double w0 = total - w2 - w1;
        assertThat(sd.areasPred()).hasSize(26);
        assertThat(sum(sd.areasPred())).isCloseTo(total, within(1e-12));
        assertThat(sum(sd.areasRef())).isCloseTo(total, within(1e-12));
        // Cumulative area fractions: w0/T = 0.7112 at 0 mm, (w0+w1)/T = 0.7474 at 1 mm, 1 at 2 mm.
        assertThat(sd.robustHausdorff(95)).isEqualTo(2.0);
        assertThat(sd.robustHausdorff(71)).isEqualTo(0.0);
        assertThat(sd.robustHausdorff(72)).isEqualTo(1.0);
        assertThat(sd.robustHausdorff(75)).isEqualTo(2.0);
        assertThat(sd.surfaceDice(0.5)).isCloseTo(w0 / total, within(1e-12));
        assertThat(sd.surfaceDice(1.0)).isCloseTo((w0 + w1) / total, within(1e-12));
        assertThat(sd.surfaceDice(2.0)).isEqualTo(1.0);
        // Counting corners instead of weighting them would give 16/26 = 0.615 here.
        assertThat(sd.surfaceDice(0.5)).isNotCloseTo(16.0 / 26, within(0.01));
    }

    @Test
    void emptyMasksFollowTheFixedRules() {
        int[] shape = {4, 4, 4};
        boolean[] empty = new boolean[64];
        boolean[] some = new boolean[64];
        some[21] = true;
        SegmentationMetricsConfig cfg = SegmentationMetricsConfig.defaults().withSurfel(1.0);
        LabelMetrics both =
                SegmentationMetrics.binary(empty, empty, shape, new double[] {1, 1, 1}, cfg);
        assertThat(both.flag()).isEqualTo(EmptyFlag.BOTH);
        assertThat(both.flag().key() + ": " + both.flag().value()).isEqualTo("empty: both");
        assertThat(both.values())
                .containsEntry("dice", 1.0)
                .containsEntry("iou", 1.0)
                .containsEntry("hd95", 0.0)
                .containsEntry("assd", 0.0)
                .containsEntry("hd95-surfel", 0.0)
                .containsEntry("surface_dice@1.0mm", 1.0);
        LabelMetrics noPred =
                SegmentationMetrics.binary(empty, some, shape, new double[] {1, 1, 1}, cfg);
        assertThat(noPred.flag().key() + ": " + noPred.flag().value()).isEqualTo("missing: pred");
        assertThat(noPred.dice()).isEqualTo(0.0);
        assertThat(noPred.hd95()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(noPred.assd()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(noPred.volumeError()).isEqualTo(-1.0);
        LabelMetrics noRef =
                SegmentationMetrics.binary(some, empty, shape, new double[] {1, 1, 1}, cfg);
        assertThat(noRef.flag().value()).isEqualTo("ref");
        assertThat(noRef.volumeError()).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void explicitLabelsAbsentFromBothMapsAreFlaggedNotDropped() {
        int[] shape = {2, 3, 3};
        int[] pred = new int[18];
        int[] ref = new int[18];
        pred[4] = 1;
        ref[4] = 1;
        CaseMetrics cm =
                SegmentationMetrics.labelMaps(
                        "c0",
                        pred,
                        ref,
                        shape,
                        new double[] {1, 1, 1},
                        SegmentationMetricsConfig.defaults().withLabels(1, 7));
        assertThat(cm.labels()).extracting(LabelMetrics::label).containsExactly(1, 7);
        assertThat(cm.label(7).flag()).isEqualTo(EmptyFlag.BOTH);
        assertThat(cm.label(1).dice()).isEqualTo(1.0);
        // Auto labels: only label 1 is present.
        assertThat(
                        SegmentationMetrics.labelMaps(
                                        "c0",
                                        pred,
                                        ref,
                                        shape,
                                        new double[] {1, 1, 1},
                                        SegmentationMetricsConfig.defaults())
                                .labels())
                .hasSize(1);
    }

    @Test
    void ndArrayEntryPointsAgreeWithPrimitiveOnes() {
        JsonNode c = Fixtures.json(DIR + "cases.json").get("cases").get(0);
        Fixtures.Npy pred = Fixtures.npy(DIR + c.get("pred").asText());
        Fixtures.Npy ref = Fixtures.npy(DIR + c.get("ref").asText());
        double[] spacing = doubles(c.get("spacing"));
        INDArray p = VoxelArrays.fromFloats(pred.floats(), pred.shape());
        INDArray r = VoxelArrays.fromFloats(ref.floats(), ref.shape());
        LabelMetrics viaNd =
                SegmentationMetrics.binary(p, r, spacing, SegmentationMetricsConfig.defaults());
        LabelMetrics viaArrays =
                SegmentationMetrics.binary(
                        pred.mask(),
                        ref.mask(),
                        pred.shape(),
                        spacing,
                        SegmentationMetricsConfig.defaults());
        assertThat(viaNd).isEqualTo(viaArrays);
        CaseMetrics cm =
                SegmentationMetrics.labelMaps(
                        "x", p, r, spacing, SegmentationMetricsConfig.defaults());
        assertThat(cm.label(1)).isEqualTo(viaArrays);
    }

    @Test
    void rejectsMismatchedInputsWithClearMessages() {
        INDArray a = VoxelArrays.fromInts(new int[24], new int[] {2, 3, 4});
        INDArray b = VoxelArrays.fromInts(new int[24], new int[] {2, 4, 3});
        assertThatThrownBy(
                        () ->
                                SegmentationMetrics.labelMaps(
                                        "c",
                                        a,
                                        b,
                                        new double[] {1, 1, 1},
                                        SegmentationMetricsConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[2, 3, 4]")
                .hasMessageContaining("[2, 4, 3]");
        assertThatThrownBy(
                        () ->
                                SegmentationMetrics.labelMaps(
                                        "c",
                                        a,
                                        a,
                                        new double[] {1, 1},
                                        SegmentationMetricsConfig.defaults()))
                .hasMessageContaining("spacing");
        INDArray half = VoxelArrays.fromFloats(new float[] {0.5f, 1, 0, 0}, new int[] {2, 2});
        assertThatThrownBy(
                        () ->
                                SegmentationMetrics.labelMaps(
                                        "c",
                                        half,
                                        half,
                                        new double[] {1, 1},
                                        SegmentationMetricsConfig.defaults()))
                .hasMessageContaining("0.5");
        assertThatThrownBy(() -> SegmentationMetricsConfig.defaults().withLabels(1, 1))
                .hasMessageContaining("twice");
    }

    static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    static int[] ints(JsonNode n) {
        int[] v = new int[n.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = n.get(i).asInt();
        }
        return v;
    }

    static double[] doubles(JsonNode n) {
        double[] v = new double[n.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = n.get(i).asDouble();
        }
        return v;
    }
}
