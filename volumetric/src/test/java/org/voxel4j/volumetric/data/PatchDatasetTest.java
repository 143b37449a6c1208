package org.voxel4j.volumetric.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.voxel4j.nn.train.Sample;
import org.voxel4j.volumetric.nets.SaliencyGuidedUnet;
import org.voxel4j.volumetric.transforms.Augmentation;
import org.voxel4j.volumetric.transforms.VoxelArrays;

/** Seeded patches: reproducible, right shapes, image and label aligned, saliency and 2D modes. */
class PatchDatasetTest {

    static SegmentationCase phantomCase(long seed) {
        SyntheticCtPhantom.Case c =
                SyntheticCtPhantom.generate(
                        SyntheticCtPhantom.Config.defaults().withShape(16, 24, 24), seed);
        return SegmentationData.prepare(
                "p" + seed,
                DecathlonWriter.image(c),
                DecathlonWriter.label(c),
                Preprocessing.window(-200, 300));
    }

    @Test
    void patchesAreReproducibleAndAligned() {
        SegmentationCase c = phantomCase(1);
        PatchDataset ds =
                new PatchDataset(
                        List.of(c), new int[] {8, 16, 16}, 5, 1.0, Augmentation.none(), null, 0);
        Sample a = ds.get(3, new SplittableRandom(9));
        Sample b = ds.get(3, new SplittableRandom(9));
        assertThat(a.inputs().get(0)).isEqualTo(b.inputs().get(0));
        assertThat(a.inputs().get(0).shape()).containsExactly(1, 8, 16, 16);
        assertThat(a.targets().get(0).shape()).containsExactly(1, 8, 16, 16);
        // foreground probability 1: the patch holds foreground
        assertThat(a.targets().get(0).maxNumber().doubleValue()).isPositive();
        // Without augmentation the patch is a window of the case: find it by brute force.
        INDArray img = a.inputs().get(0);
        float[] full = VoxelArrays.toFloats(c.image());
        int[] s = c.shape();
        boolean found = false;
        for (int z = 0; z + 8 <= s[0] && !found; z++) {
            for (int y = 0; y + 16 <= s[1] && !found; y++) {
                for (int x = 0; x + 16 <= s[2] && !found; x++) {
                    found =
                            img.getDouble(0, 0, 0, 0) == full[(z * s[1] + y) * s[2] + x]
                                    && img.getDouble(0, 7, 15, 15)
                                            == full[((z + 7) * s[1] + y + 15) * s[2] + x + 15];
                }
            }
        }
        assertThat(found).isTrue();
        Sample other = ds.get(3, new SplittableRandom(10));
        assertThat(other.inputs().get(0)).isNotEqualTo(a.inputs().get(0));
    }

    @Test
    void saliencyChannelAndSliceMode() {
        SegmentationCase c = phantomCase(2);
        SaliencyGuidedUnet net = SaliencyGuidedUnet.saliencyUnet3d(1, 4, List.of(4, 8), 6.0);
        PatchDataset ds =
                new PatchDataset(
                        List.of(c), new int[] {8, 16, 16}, 2, 1.0, Augmentation.defaults(), net, 0);
        Sample s = ds.get(0, new SplittableRandom(4));
        INDArray x = s.inputs().get(0);
        assertThat(x.shape()).containsExactly(2, 8, 16, 16);
        // the saliency map is 1 at markers, which lie on foreground of the (augmented) label
        assertThat(x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1)).maxNumber().doubleValue())
                .isEqualTo(1.0);
        PatchDataset slices =
                new PatchDataset(
                        List.of(c), new int[] {16, 16}, 3, 1.0, Augmentation.none(), null, 0);
        Sample t = slices.get(1, new SplittableRandom(5));
        assertThat(t.inputs().get(0).shape()).containsExactly(1, 16, 16);
        assertThat(t.targets().get(0).shape()).containsExactly(1, 16, 16);
        assertThat(t.targets().get(0).maxNumber().doubleValue()).isPositive();
    }
}
