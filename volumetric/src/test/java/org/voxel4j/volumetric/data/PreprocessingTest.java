package org.voxel4j.volumetric.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.io.Volume;
import org.voxel4j.volumetric.transforms.VoxelArrays;

/** Preprocessing: closed forms for the geometry after resampling, intensity maps, inversion. */
class PreprocessingTest {

    /** An LPS-like CT volume [D, H, W] = [6, 10, 12] at 2.5 x 0.8 x 0.8 mm with a ramp. */
    static Volume volume() {
        int[] shape = {6, 10, 12};
        float[] v = new float[6 * 10 * 12];
        for (int i = 0; i < v.length; i++) {
            v[i] = -1200 + i * 3.5f;
        }
        double[][] a = DecathlonWriter.phantomAffine(shape, new double[] {2.5, 0.8, 0.8});
        a[0][3] += 12; // arbitrary origin
        return Volume.of(VoxelArrays.fromFloats(v, shape), a);
    }

    static double[] world(double[][] a, double i, double j, double k) {
        double[] w = new double[3];
        for (int r = 0; r < 3; r++) {
            w[r] = a[r][0] * i + a[r][1] * j + a[r][2] * k + a[r][3];
        }
        return w;
    }

    @Test
    void resamplingKeepsEveryVoxelCentreInPlace() {
        Volume v = volume();
        Preprocessing p = Preprocessing.window(-1000, 1000).withTargetSpacing(1.25, 1.6, 1.6);
        Preprocessing.Prepared r = p.image(v);
        Preprocessing.Geometry g = r.geometry();
        // reoriented: [6, 10, 12] stays (axes are already aligned), x and y flipped; resampled
        // to round(n s / t): [12, 5, 6]
        assertThat(g.shape()).containsExactly(12, 5, 6);
        assertThat(g.spacingMm()).containsExactly(new double[] {1.25, 1.6, 1.6}, within(1e-12));
        assertThat(VoxelArrays.shapeOf(r.image())).containsExactly(1, 12, 5, 6);
        // Closed form: new voxel j sits at old continuous index s j + (s - 1) / 2 (per axis, in
        // the reoriented array), which the reorientation maps to the input's index space.
        double[][] aOrient = g.orientation().affine(v.affine());
        for (int[] j : new int[][] {{0, 0, 0}, {11, 4, 5}, {3, 2, 1}}) {
            double sz = 6 / 12.0;
            double sy = 10 / 5.0;
            double sx = 12 / 6.0;
            double[] want =
                    world(
                            aOrient,
                            sx * j[2] + (sx - 1) / 2,
                            sy * j[1] + (sy - 1) / 2,
                            sz * j[0] + (sz - 1) / 2);
            double[] got = world(g.affine(), j[2], j[1], j[0]);
            for (int a = 0; a < 3; a++) {
                assertThat(got[a]).isCloseTo(want[a], within(1e-9));
            }
        }
        // RAS+ after reorientation: positive diagonal
        assertThat(g.affine()[0][0]).isPositive();
        assertThat(g.affine()[1][1]).isPositive();
        assertThat(g.affine()[2][2]).isPositive();
    }

    @Test
    void windowAndCtNormalisation() {
        Volume v = volume();
        INDArray w = Preprocessing.window(-1000, 1000).image(v).image();
        assertThat(w.minNumber().doubleValue()).isEqualTo(0.0);
        assertThat(Preprocessing.window(-1000, 1000).airValue()).isEqualTo(0.0);
        Preprocessing ct = Preprocessing.ct(-500, 500, 100, 50);
        INDArray c = ct.image(v).image();
        // min of the input is -1200 -> clipped to -500 -> (-500 - 100) / 50
        assertThat(c.minNumber().doubleValue()).isCloseTo(-12, within(1e-6));
        assertThat(c.maxNumber().doubleValue()).isCloseTo(8, within(1e-6));
        assertThat(ct.airValue()).isEqualTo(-12);
    }

    @Test
    void ctStatisticsFromForeground() {
        // foreground values 1..200 (label 1), background huge: ignored
        float[] img = new float[400];
        int[] lab = new int[400];
        for (int i = 0; i < 200; i++) {
            img[i] = i + 1;
            lab[i] = 1;
            img[200 + i] = 1e6f;
        }
        Preprocessing p =
                Preprocessing.window(-1, 1)
                        .withCtStatistics(
                                List.of(VoxelArrays.fromFloats(img, new int[] {400})),
                                List.of(VoxelArrays.fromInts(lab, new int[] {400})));
        // numpy.percentile(1..200, 0.5) = 1 + 0.005 * 199 = 1.995; 99.5 -> 199.005
        assertThat(p.lowHu()).isCloseTo(1.995, within(1e-6));
        assertThat(p.highHu()).isCloseTo(199.005, within(1e-6));
        assertThat(p.mean()).isCloseTo(100.5, within(1e-6));
        // clipped values: std of 1.995, 2..199, 199.005
        double s = 0;
        for (int i = 1; i <= 200; i++) {
            double x = Math.min(199.005, Math.max(1.995, i));
            s += (x - 100.5) * (x - 100.5);
        }
        assertThat(p.std()).isCloseTo(Math.sqrt(s / 200), within(1e-6));
        assertThat(p.intensity()).isEqualTo(Preprocessing.Intensity.CT);
    }

    @Test
    void predictionsMapBackOntoTheInputGrid() {
        Volume v = volume();
        int[] labels = new int[6 * 10 * 12];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (i / 12) % 10 > 4 ? 2 : (i % 12 > 6 ? 1 : 0);
        }
        Volume lab = v.withData(VoxelArrays.fromInts(labels, new int[] {6, 10, 12}));
        // reorientation only: exact round trip of labels and of one-hot values
        Preprocessing p = Preprocessing.window(-1000, 1000);
        Preprocessing.Prepared r = p.image(v);
        INDArray l = p.label(lab, r.geometry());
        assertThat(VoxelArrays.toLabels(r.geometry().labelsToOriginal(l))).containsExactly(labels);
        INDArray back = r.geometry().toOriginal(r.image());
        assertThat(VoxelArrays.toFloats(back))
                .containsExactly(
                        VoxelArrays.toFloats(
                                Preprocessing.window(-1000, 1000)
                                        .withReorient(false)
                                        .image(v)
                                        .image()));
        // with resampling by whole factors (nearest down then up) labels survive where blocks are
        // uniform; shapes always match the input
        Preprocessing q = p.withTargetSpacing(2.5, 1.6, 1.6);
        Preprocessing.Prepared s = q.image(v);
        INDArray ls = q.label(lab, s.geometry());
        assertThat(VoxelArrays.shapeOf(s.geometry().labelsToOriginal(ls)))
                .containsExactly(6, 10, 12);
        INDArray probs = Nd4j.zeros(DataType.FLOAT, 3, 6, 5, 6);
        assertThat(VoxelArrays.shapeOf(s.geometry().toOriginal(probs)))
                .containsExactly(3, 6, 10, 12);
        // marker mapping: the mapped voxel contains the original voxel centre
        int[] m = s.geometry().toPreprocessedIndex(new int[] {3, 7, 2});
        double[] orig = world(v.affine(), 2, 7, 3);
        double[] mapped = world(s.geometry().affine(), m[2], m[1], m[0]);
        assertThat(Math.abs(orig[0] - mapped[0])).isLessThanOrEqualTo(0.8);
        assertThat(Math.abs(orig[1] - mapped[1])).isLessThanOrEqualTo(0.8);
        assertThat(Math.abs(orig[2] - mapped[2])).isLessThanOrEqualTo(1.25);
    }

    @Test
    void invalidSettingsNameTheValue() {
        assertThatThrownBy(() -> Preprocessing.window(10, 10)).hasMessageContaining("[10.0, 10.0]");
        assertThatThrownBy(() -> Preprocessing.window(0, 1).withTargetSpacing(1, 0, 1))
                .hasMessageContaining("targetSpacingMm");
        Volume v2 = Volume.of(Nd4j.zeros(DataType.FLOAT, 4, 4));
        assertThatThrownBy(() -> Preprocessing.window(0, 1).image(v2))
                .hasMessageContaining("[4, 4]");
    }
}
