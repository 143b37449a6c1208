package org.voxel4j.volumetric.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class AugmentationTest {
    private static final int[] SHAPE = {12, 16, 16};
    private static final double[] SPACING = {1.5, 1.0, 1.0};

    /** A smooth random field and the label "field > 0" computed from it. */
    private static double[] field(long seed) {
        Random r = new Random(seed);
        double[] c = new double[8];
        for (int i = 0; i < c.length; i++) {
            c[i] = r.nextGaussian();
        }
        double[] v = new double[SHAPE[0] * SHAPE[1] * SHAPE[2]];
        int p = 0;
        for (int i = 0; i < SHAPE[0]; i++) {
            for (int j = 0; j < SHAPE[1]; j++) {
                for (int k = 0; k < SHAPE[2]; k++) {
                    v[p++] =
                            c[0] * Math.sin(0.5 * i + c[1])
                                    + c[2] * Math.cos(0.4 * j + c[3])
                                    + c[4] * Math.sin(0.3 * k + c[5])
                                    + 0.3 * c[6];
                }
            }
        }
        return v;
    }

    private static INDArray thresholdLabel(double[] v) {
        int[] l = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            l[i] = v[i] > 0 ? 1 : 0;
        }
        return VoxelArrays.fromInts(l, SHAPE);
    }

    @Test
    void sameSeedSameResultOtherSeedOtherResult() {
        double[] v = field(1);
        INDArray img = VoxelArrays.fromDoubles(v, SHAPE, org.nd4j.linalg.api.buffer.DataType.FLOAT);
        INDArray lab = thresholdLabel(v);
        Augmentation aug =
                Augmentation.defaults().withAffine(1.0, 15, 0.9, 1.1).withNoise(1.0, 0.05);
        Augmentation.Pair a = aug.apply(img, lab, SPACING, new Random(42));
        Augmentation.Pair b = aug.apply(img, lab, SPACING, new Random(42));
        Augmentation.Pair c = aug.apply(img, lab, SPACING, new Random(43));
        assertThat(VoxelArrays.toDoubles(a.image()))
                .containsExactly(VoxelArrays.toDoubles(b.image()));
        assertThat(VoxelArrays.toLabels(a.label()))
                .containsExactly(VoxelArrays.toLabels(b.label()));
        assertThat(VoxelArrays.toDoubles(a.image())).isNotEqualTo(VoxelArrays.toDoubles(c.image()));
        assertThat(a.image().shape()).containsExactly(12, 16, 16);
        assertThat(a.label().dataType()).isEqualTo(lab.dataType());
    }

    @Test
    void flipsAndQuarterTurnsKeepImageAndLabelExactlyAligned() {
        Augmentation aug = Augmentation.none().withFlips(0.5).withRot90(1.0, 1, 2);
        int changed = 0;
        for (int seed = 0; seed < 12; seed++) {
            double[] v = field(seed);
            INDArray img =
                    VoxelArrays.fromDoubles(v, SHAPE, org.nd4j.linalg.api.buffer.DataType.FLOAT);
            INDArray lab = thresholdLabel(v);
            Augmentation.Pair p = aug.apply(img, lab, SPACING, new Random(seed));
            assertThat(VoxelArrays.toLabels(thresholdLabel(VoxelArrays.toDoubles(p.image()))))
                    .as("seed " + seed)
                    .containsExactly(VoxelArrays.toLabels(p.label()));
            if (!java.util.Arrays.equals(
                    VoxelArrays.toLabels(p.label()), VoxelArrays.toLabels(lab))) {
                changed++;
            }
        }
        assertThat(changed).isGreaterThan(8);
    }

    @Test
    void affineKeepsImageAndLabelAlignedUpToInterpolation() {
        Augmentation aug = Augmentation.none().withAffine(1.0, 15, 0.9, 1.1);
        for (int seed = 0; seed < 5; seed++) {
            double[] v = field(100 + seed);
            INDArray img =
                    VoxelArrays.fromDoubles(v, SHAPE, org.nd4j.linalg.api.buffer.DataType.FLOAT);
            Augmentation.Pair p = aug.apply(img, thresholdLabel(v), SPACING, new Random(seed));
            int[] fromImage =
                    VoxelArrays.toLabels(thresholdLabel(VoxelArrays.toDoubles(p.image())));
            int[] label = VoxelArrays.toLabels(p.label());
            int agree = 0;
            for (int i = 0; i < label.length; i++) {
                agree += fromImage[i] == label[i] ? 1 : 0;
            }
            // Nearest vs trilinear only disagree on a thin band along the boundary.
            assertThat(agree / (double) label.length).as("seed " + seed).isGreaterThan(0.95);
        }
    }

    @Test
    void identityAffineReturnsTheInputAndChannelsShareTheTransform() {
        double[] v = field(3);
        double[] two = new double[2 * v.length];
        for (int i = 0; i < v.length; i++) {
            two[i] = v[i];
            two[v.length + i] = -v[i];
        }
        INDArray img =
                VoxelArrays.fromDoubles(
                        two, new int[] {2, 12, 16, 16}, org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        Augmentation.Pair id =
                Augmentation.none()
                        .withAffine(1.0, 0, 1.0, 1.0)
                        .apply(img, null, SPACING, new Random(0));
        assertThat(VoxelArrays.toDoubles(id.image())).containsExactly(two);
        Augmentation.Pair p =
                Augmentation.none()
                        .withAffine(1.0, 15, 0.9, 1.1)
                        .withFlips(1.0)
                        .apply(img, null, SPACING, new Random(5));
        double[] out = VoxelArrays.toDoubles(p.image());
        for (int i = 0; i < v.length; i++) {
            assertThat(out[v.length + i]).isEqualTo(-out[i]);
        }
    }

    @Test
    void quarterTurnsOfANonSquarePlaneKeepTheShape() {
        INDArray img = VoxelArrays.fromFloats(new float[4 * 6 * 8], new int[] {4, 6, 8});
        Augmentation.Pair p =
                Augmentation.none()
                        .withRot90(1.0, 1, 2)
                        .apply(img, null, new double[] {1, 1, 1}, new Random(1));
        assertThat(p.image().shape()).containsExactly(4, 6, 8);
    }

    @Test
    void rejectsBadConfigAndMismatchedLabel() {
        assertThatThrownBy(() -> Augmentation.defaults().withNoise(1.5, 0.1))
                .hasMessageContaining("1.5");
        INDArray img = VoxelArrays.fromFloats(new float[24], new int[] {2, 3, 4});
        INDArray lab = VoxelArrays.fromInts(new int[24], new int[] {2, 4, 3});
        assertThatThrownBy(
                        () ->
                                Augmentation.defaults()
                                        .apply(img, lab, new double[] {1, 1, 1}, new Random(0)))
                .hasMessageContaining("[2, 4, 3]");
    }
}
