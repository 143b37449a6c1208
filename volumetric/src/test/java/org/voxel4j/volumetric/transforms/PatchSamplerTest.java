package org.voxel4j.volumetric.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class PatchSamplerTest {
    private static INDArray smallForeground() {
        int[] l = new int[20 * 24 * 28];
        l[(15 * 24 + 3) * 28 + 25] = 2; // one foreground voxel near a corner
        return VoxelArrays.fromInts(l, new int[] {20, 24, 28});
    }

    private static INDArray ramp() {
        float[] v = new float[20 * 24 * 28];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        return VoxelArrays.fromFloats(v, new int[] {20, 24, 28});
    }

    @Test
    void foregroundPatchesContainTheForegroundAndMatchTheImage() {
        PatchSampler s = new PatchSampler(new int[] {8, 8, 8}, 1.0, 0);
        INDArray img = ramp();
        for (int seed = 0; seed < 5; seed++) {
            PatchSampler.Patch p = s.sample(img, smallForeground(), new Random(seed));
            assertThat(p.foreground()).isTrue();
            assertThat(VoxelArrays.toLabels(p.label())).contains(2);
            // The image patch is the window at p.start() of the ramp.
            float first = VoxelArrays.toFloats(p.image())[0];
            assertThat(first)
                    .isEqualTo((float) ((p.start()[0] * 24 + p.start()[1]) * 28 + p.start()[2]));
            for (int a = 0; a < 3; a++) {
                assertThat(p.start()[a]).isBetween(0, new int[] {12, 16, 20}[a]);
            }
        }
    }

    @Test
    void sameSeedSamePatchAndForegroundShareFollowsTheProbability() {
        PatchSampler s = new PatchSampler(new int[] {6, 6, 6}, 0.33, 0);
        INDArray img = ramp();
        INDArray lab = smallForeground();
        assertThat(s.sample(img, lab, new Random(9)).start())
                .containsExactly(s.sample(img, lab, new Random(9)).start());
        Random rng = new Random(123);
        int fg = 0;
        int n = 600;
        for (int i = 0; i < n; i++) {
            fg += s.sample(img, lab, rng).foreground() ? 1 : 0;
        }
        assertThat(fg / (double) n).isCloseTo(0.33, within(0.06));
    }

    @Test
    void smallVolumesArePaddedAroundTheCentre() {
        INDArray img = VoxelArrays.fromFloats(new float[] {1, 2, 3, 4, 5, 6}, new int[] {1, 2, 3});
        INDArray lab = VoxelArrays.fromInts(new int[] {0, 1, 0, 0, 0, 0}, new int[] {1, 2, 3});
        PatchSampler.Patch p =
                new PatchSampler(new int[] {1, 4, 4}, 1.0, -7).sample(img, lab, new Random(0));
        assertThat(p.start()).containsExactly(0, -1, 0);
        assertThat(VoxelArrays.toFloats(p.image()))
                .containsExactly(-7, -7, -7, -7, 1, 2, 3, -7, 4, 5, 6, -7, -7, -7, -7, -7);
        assertThat(VoxelArrays.toLabels(p.label()))
                .containsExactly(0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
}
