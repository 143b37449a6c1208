package org.voxel4j.volumetric.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.voxel4j.volumetric.Fixtures;

class DistanceTransformTest {
    private static final String DIR = "/fixtures/transforms/";

    @Test
    void matchesScipyDistanceTransformEdtWithSampling() {
        JsonNode cases = Fixtures.json(DIR + "cases.json").get("cases").get("edt");
        assertThat(cases.size()).isEqualTo(2);
        for (JsonNode c : cases) {
            Fixtures.Npy mask = Fixtures.npy(DIR + c.get("mask").asText());
            Fixtures.Npy expected = Fixtures.npy(DIR + c.get("expected").asText());
            double[] spacing = new double[c.get("spacing").size()];
            for (int i = 0; i < spacing.length; i++) {
                spacing[i] = c.get("spacing").get(i).asDouble();
            }
            double[] d = DistanceTransform.edt(mask.mask(), mask.shape(), spacing);
            double maxErr = 0;
            for (int i = 0; i < d.length; i++) {
                maxErr = Math.max(maxErr, Math.abs(d[i] - expected.data()[i]));
            }
            assertThat(maxErr).as(c.get("mask").asText()).isLessThan(1e-12);
            // The INDArray entry point gives the same numbers.
            INDArray nd =
                    DistanceTransform.edt(
                            VoxelArrays.fromFloats(mask.floats(), mask.shape()), spacing);
            assertThat(VoxelArrays.toDoubles(nd)).containsExactly(d);
        }
    }

    @Test
    void distanceToForegroundIsTheTransformOfTheComplement() {
        Fixtures.Npy mask = Fixtures.npy(DIR + "edt3d_mask.npy");
        boolean[] m = mask.mask();
        boolean[] not = new boolean[m.length];
        for (int i = 0; i < m.length; i++) {
            not[i] = !m[i];
        }
        double[] sp = {1.3, 0.4, 2.0};
        assertThat(DistanceTransform.distanceToForeground(m, mask.shape(), sp))
                .containsExactly(DistanceTransform.edt(not, mask.shape(), sp));
    }

    @Test
    void singleFeatureGivesTheClosedFormDistance() {
        int[] shape = {5, 6, 7};
        boolean[] f = new boolean[5 * 6 * 7];
        f[(1 * 6 + 4) * 7 + 2] = true; // voxel (1, 4, 2)
        double[] sp = {3.0, 0.5, 1.25};
        double[] d = DistanceTransform.distanceToForeground(f, shape, sp);
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 6; j++) {
                for (int k = 0; k < 7; k++) {
                    double e =
                            Math.sqrt(
                                    Math.pow((i - 1) * 3.0, 2)
                                            + Math.pow((j - 4) * 0.5, 2)
                                            + Math.pow((k - 2) * 1.25, 2));
                    assertThat(d[(i * 6 + j) * 7 + k]).isCloseTo(e, within(1e-12));
                }
            }
        }
    }

    @Test
    void noFeatureMeansInfinityEverywhere() {
        double[] d =
                DistanceTransform.distanceToForeground(
                        new boolean[12], new int[] {3, 4}, new double[] {1, 1});
        assertThat(d).containsOnly(Double.POSITIVE_INFINITY);
        assertThat(DistanceTransform.edt(new boolean[12], new int[] {3, 4}, new double[] {1, 1}))
                .containsOnly(0.0);
    }
}
