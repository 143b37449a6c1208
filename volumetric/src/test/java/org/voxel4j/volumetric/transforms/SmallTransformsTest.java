package org.voxel4j.volumetric.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Intensity, label and saliency utilities against closed forms. */
class SmallTransformsTest {

    @Test
    void windowClipsAndScalesToUnitRange() {
        INDArray hu =
                VoxelArrays.fromFloats(new float[] {-1000, -160, 40, 240, 3000}, new int[] {5});
        double[] w = VoxelArrays.toDoubles(Intensity.window(hu, -160, 240));
        assertThat(w[0]).isEqualTo(0.0);
        assertThat(w[1]).isEqualTo(0.0);
        assertThat(w[2]).isCloseTo(0.5, within(1e-7));
        assertThat(w[3]).isEqualTo(1.0);
        assertThat(w[4]).isEqualTo(1.0);
        assertThatThrownBy(() -> Intensity.window(hu, 10, 10)).hasMessageContaining("10.0");
    }

    @Test
    void zScoreUsesMaskStatisticsOnly() {
        INDArray x = VoxelArrays.fromFloats(new float[] {1, 3, 100, -50}, new int[] {2, 2});
        INDArray mask = VoxelArrays.fromInts(new int[] {1, 1, 0, 0}, new int[] {2, 2});
        // mean 2, population std 1 over the masked voxels
        assertThat(VoxelArrays.toDoubles(Intensity.zScore(x, mask)))
                .containsExactly(-1, 1, 98, -52);
        double[] all = VoxelArrays.toDoubles(Intensity.zScore(x, null));
        double mean = 0;
        for (double v : all) {
            mean += v / 4;
        }
        assertThat(mean).isCloseTo(0, within(1e-6));
    }

    @Test
    void argmaxPicksTheFirstOfTiesAlongTheChannelAxis() {
        // [C=3, 4]: columns: (0.1,0.7,0.2) (0.5,0.5,0) (0,0,1) (NaN, 2, 1)
        INDArray s =
                VoxelArrays.fromFloats(
                        new float[] {0.1f, 0.5f, 0, Float.NaN, 0.7f, 0.5f, 0, 2, 0.2f, 0, 1, 1},
                        new int[] {3, 4});
        assertThat(VoxelArrays.toLabels(LabelOps.argmax(s, 0))).containsExactly(1, 0, 2, 1);
    }

    @Test
    void volumesPerLabelInMillilitres() {
        INDArray lab =
                VoxelArrays.fromInts(new int[] {0, 1, 1, 2, 2, 2, 0, 5}, new int[] {2, 2, 2});
        var v = LabelOps.volumesMl(lab, new double[] {2.0, 1.5, 1.0});
        assertThat(v).containsOnlyKeys(1, 2, 5);
        assertThat(v.get(2)).isCloseTo(3 * 3.0 / 1000, within(1e-15));
    }

    @Test
    void saliencyIsGaussianOfTheAnisotropicDistance() {
        int[] shape = {4, 5, 6};
        double[] sp = {2.0, 1.0, 0.5};
        float[] s =
                SaliencyMaps.fromMarkers(
                        shape, List.of(new int[] {1, 2, 3}, new int[] {3, 0, 0}), sp, 1.5);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 5; j++) {
                for (int k = 0; k < 6; k++) {
                    double d1 = sq((i - 1) * 2.0) + sq(j - 2) + sq((k - 3) * 0.5);
                    double d2 = sq((i - 3) * 2.0) + sq(j) + sq(k * 0.5);
                    double e = Math.exp(-Math.min(d1, d2) / (2 * 1.5 * 1.5));
                    assertThat((double) s[(i * 5 + j) * 6 + k]).isCloseTo(e, within(1e-6));
                }
            }
        }
        assertThat(SaliencyMaps.fromMarkers(shape, List.of(), sp, 1.0)).containsOnly(0f);
        assertThatThrownBy(
                        () ->
                                SaliencyMaps.fromMarkers(
                                        shape, List.<int[]>of(new int[] {4, 0, 0}), sp, 1.0))
                .hasMessageContaining("outside");
    }

    private static double sq(double x) {
        return x * x;
    }
}
