package org.voxel4j.volumetric.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.voxel4j.volumetric.data.SyntheticCtPhantom.Config;
import org.voxel4j.volumetric.data.SyntheticCtPhantom.Structure;
import org.voxel4j.volumetric.transforms.ConnectedComponents;
import org.voxel4j.volumetric.transforms.ConnectedComponents.Connectivity;

class SyntheticCtPhantomTest {

    @Test
    void sameSeedSameCaseOtherSeedOtherAnatomy() {
        Config cfg = Config.defaults().withShape(32, 32, 32);
        SyntheticCtPhantom.Case a = SyntheticCtPhantom.generate(cfg, 11);
        SyntheticCtPhantom.Case b = SyntheticCtPhantom.generate(cfg, 11);
        SyntheticCtPhantom.Case c = SyntheticCtPhantom.generate(cfg, 12);
        assertThat(a.hu()).containsExactly(b.hu());
        assertThat(a.labels()).containsExactly(b.labels());
        assertThat(Arrays.equals(a.labels(), c.labels())).isFalse();
        // Noise has its own stream: changing it keeps the anatomy.
        SyntheticCtPhantom.Case quiet = SyntheticCtPhantom.generate(cfg.withNoise(0, 0.7), 11);
        assertThat(quiet.labels()).containsExactly(a.labels());
    }

    @Test
    void labelledStructuresHavePlausibleSizeShapeAndHu() {
        Config cfg =
                Config.defaults()
                        .withLabelled(
                                Structure.LIVER,
                                Structure.KIDNEYS,
                                Structure.SPINE,
                                Structure.LUNGS,
                                Structure.SPLEEN)
                        .withNoise(0, 0)
                        .withLesions(0);
        for (long seed = 0; seed < 4; seed++) {
            SyntheticCtPhantom.Case c = SyntheticCtPhantom.generate(cfg, seed);
            int n = c.hu().length;
            int[][] hist = new int[6][];
            double[] sum = new double[6];
            int[] count = new int[6];
            for (int i = 0; i < n; i++) {
                int l = c.labels()[i];
                assertThat(l).isBetween(0, 5);
                sum[l] += c.hu()[i];
                count[l]++;
            }
            String w = "seed " + seed + " ";
            // Without noise and blur every labelled voxel carries its tissue's HU.
            assertThat(sum[1] / count[1]).as(w + "liver HU").isEqualTo(60.0);
            assertThat(sum[2] / count[2]).as(w + "kidney HU").isEqualTo(30.0);
            assertThat(sum[3] / count[3]).as(w + "spine HU").isBetween(300.0, 700.0);
            assertThat(sum[4] / count[4]).as(w + "lung HU").isEqualTo(-800.0);
            assertThat(sum[5] / count[5]).as(w + "spleen HU").isEqualTo(50.0);
            // Sizes: liver the largest abdominal organ, every structure present.
            assertThat(count[1] / (double) n).as(w + "liver fraction").isBetween(0.03, 0.2);
            assertThat(count[2]).as(w + "kidneys").isGreaterThan(200);
            assertThat(count[3]).as(w + "spine").isGreaterThan(200);
            assertThat(count[1]).isGreaterThan(count[2]);
            // Air surrounds the body: the corners are air.
            assertThat(c.hu()[0]).isEqualTo(-1000f);
            assertThat(c.hu()[n - 1]).isEqualTo(-1000f);
            // Two kidneys, one liver.
            int[] kid = new int[n];
            int[] liv = new int[n];
            for (int i = 0; i < n; i++) {
                kid[i] = c.labels()[i] == 2 ? 1 : 0;
                liv[i] = c.labels()[i] == 1 ? 1 : 0;
            }
            assertThat(ConnectedComponents.labelRegions(kid, c.shape(), Connectivity.FACE).count())
                    .as(w + "kidney components")
                    .isEqualTo(2);
            assertThat(ConnectedComponents.labelRegions(liv, c.shape(), Connectivity.FACE).count())
                    .as(w + "liver components")
                    .isEqualTo(1);
            // Liver on the image left (patient right), spleen on the image right.
            assertThat(meanX(c, 1)).isLessThan(0);
            assertThat(meanX(c, 5)).isGreaterThan(0);
            assertThat(c.labelNames())
                    .containsExactly("background", "liver", "kidneys", "spine", "lungs", "spleen");
        }
    }

    @Test
    void noiseHasTheRequestedStandardDeviationInAir() {
        SyntheticCtPhantom.Case c =
                SyntheticCtPhantom.generate(
                        Config.defaults().withShape(32, 32, 32).withNoise(25, 0), 3);
        // The first row of the first slice is air far from the body.
        double s = 0, s2 = 0;
        int m = 0;
        for (int i = 0; i < 32 * 4; i++) {
            double v = c.hu()[i] + 1000;
            s += v;
            s2 += v * v;
            m++;
        }
        double sd = Math.sqrt(s2 / m - (s / m) * (s / m));
        assertThat(sd).isBetween(20.0, 30.0);
    }

    @Test
    void lesionsAreLabelledOnlyWhenAsked() {
        Config withLesions = Config.defaults().withNoise(0, 0).withLesions(20);
        int lesionVoxels = 0;
        for (long seed = 0; seed < 3; seed++) {
            SyntheticCtPhantom.Case own =
                    SyntheticCtPhantom.generate(
                            withLesions.withLabelled(Structure.LIVER, Structure.LESIONS), seed);
            SyntheticCtPhantom.Case merged =
                    SyntheticCtPhantom.generate(withLesions.withLabelled(Structure.LIVER), seed);
            for (int i = 0; i < own.labels().length; i++) {
                if (own.labels()[i] == 2) {
                    lesionVoxels++;
                    assertThat(own.hu()[i]).isEqualTo(15f);
                    assertThat(merged.labels()[i]).isEqualTo(1);
                }
            }
        }
        assertThat(lesionVoxels).isGreaterThan(0);
    }

    @Test
    void arraysHaveTheDocumentedTypesAndShape() {
        SyntheticCtPhantom.Case c =
                SyntheticCtPhantom.generate(Config.defaults().withShape(8, 12, 16), 0);
        assertThat(c.image().shape()).containsExactly(8, 12, 16);
        assertThat(c.image().dataType()).isEqualTo(DataType.FLOAT);
        assertThat(c.label().dataType()).isEqualTo(DataType.INT);
        assertThat(c.spacingMm()).containsExactly(1.5, 1.0, 1.0);
    }

    @Test
    void rejectsBadConfig() {
        assertThatThrownBy(() -> Config.defaults().withShape(4, 32, 32))
                .hasMessageContaining("[4, 32, 32]");
        assertThatThrownBy(() -> Config.defaults().withLabelled()).hasMessageContaining("empty");
        assertThatThrownBy(() -> Config.defaults().withLabelled(Structure.LIVER, Structure.LIVER))
                .hasMessageContaining("repeat");
        assertThatThrownBy(() -> Config.defaults().withNoise(-1, 0)).hasMessageContaining("-1.0");
    }

    private static double meanX(SyntheticCtPhantom.Case c, int label) {
        int[] s = c.shape();
        double sum = 0;
        int m = 0;
        for (int i = 0; i < c.labels().length; i++) {
            if (c.labels()[i] == label) {
                sum += (i % s[2] + 0.5) / s[2] * 2 - 1;
                m++;
            }
        }
        return sum / m;
    }
}
