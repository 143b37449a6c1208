package org.voxel4j.volumetric.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxel4j.nn.optim.Adam;
import org.voxel4j.nn.train.TrainingHistory;
import org.voxel4j.volumetric.blocks.Act;
import org.voxel4j.volumetric.blocks.Norm;
import org.voxel4j.volumetric.data.SegmentationData;
import org.voxel4j.volumetric.nets.AttentionUnet;
import org.voxel4j.volumetric.nets.SaliencyGuidedUnet;
import org.voxel4j.volumetric.nets.StuNet;
import org.voxel4j.volumetric.nets.UNet;
import org.voxel4j.volumetric.transforms.Augmentation;

/** One short training run per network family: the loss falls on a learnable toy task. */
class TrainingTest {

    @TempDir Path dir;

    static double mean(List<TrainingHistory.StepRecord> s, int from, int to) {
        double m = 0;
        for (int i = from; i < to; i++) {
            m += s.get(i).loss();
        }
        return m / (to - from);
    }

    static void assertFalls(SegmentationTrainer.Result r, double factor) {
        List<TrainingHistory.StepRecord> s = r.history().steps();
        int n = s.size();
        double first = mean(s, 0, 4);
        double last = mean(s, n - 4, n);
        System.err.printf(
                "loss %.4f -> %.4f over %d steps in %.1f s%n", first, last, n, r.seconds());
        assertThat(last)
                .as("loss after %d steps vs first steps %.4f", n, first)
                .isLessThan(first * factor);
    }

    /** The short 3D schedule every toy run here uses: 10 epochs of 8 patches 8x16x16, batch 2. */
    static SegmentationTrainer.Builder small3d(SegmentationTrainer.Builder b) {
        return b.patchSize(8, 16, 16)
                .epochs(10)
                .samplesPerEpoch(8)
                .batchSize(2)
                .augmentation(Augmentation.none());
    }

    @Test
    void unetLossFalls() throws IOException {
        SegmentationData d = Toy.data(new int[] {16, 16, 16}, 2, 4, 0, 1);
        UNet net = UNet.unet3d(1, 2, List.of(4, 8)).withDeepSupervision(true);
        SegmentationTrainer.Result r =
                small3d(SegmentationTrainer.nnUNet(net))
                        .foregroundProbability(0.5)
                        .build()
                        .fit(d, dir.resolve("unet"));
        assertFalls(r, 0.7);
    }

    @Test
    void attentionUnetLossFalls() throws IOException {
        SegmentationData d = Toy.data(new int[] {16, 16, 16}, 2, 4, 0, 2);
        AttentionUnet net =
                AttentionUnet.attentionUnet3d(1, 2, 4)
                        .withChannels(List.of(4, 8, 16, 32), List.of(4, 8, 4));
        SegmentationTrainer.Result r =
                small3d(SegmentationTrainer.turbolift(net))
                        .learningRate(3e-3)
                        .build()
                        .fit(d, dir.resolve("att"));
        assertFalls(r, 0.7);
    }

    @Test
    void stuNetLossFalls() throws IOException {
        SegmentationData d = Toy.data(new int[] {16, 16, 16}, 2, 4, 0, 3);
        StuNet net = new StuNet(3, 1, 2, List.of(4, 8, 16), List.of(1, 1, 1), null, true);
        SegmentationTrainer.Result r =
                small3d(SegmentationTrainer.nnUNet(net)).build().fit(d, dir.resolve("stu"));
        assertFalls(r, 0.7);
    }

    @Test
    void saliencyGuidedUnetLossFalls() throws IOException {
        SegmentationData d = Toy.data(new int[] {16, 16, 16}, 2, 4, 0, 4);
        SaliencyGuidedUnet net = SaliencyGuidedUnet.saliencyUnet3d(1, 2, List.of(4, 8), 4.0);
        SegmentationTrainer.Result r =
                small3d(SegmentationTrainer.nnUNet(net)).build().fit(d, dir.resolve("sal"));
        assertFalls(r, 0.7);
    }

    @Test
    void twoDimensionalAttentionUnetOnSlices() throws IOException {
        SegmentationData d = Toy.data(new int[] {8, 16, 16}, 2, 4, 0, 5);
        AttentionUnet net =
                AttentionUnet.attentionUnet2d(1, 2, 4)
                        .withChannels(List.of(4, 8, 16), List.of(4, 4))
                        .withNormAct(Norm.batch(), Act.prelu());
        SegmentationTrainer.Result r =
                SegmentationTrainer.turbolift(net)
                        .optimizer(Adam.defaults())
                        .learningRate(3e-3)
                        .patchSize(16, 16)
                        .epochs(10)
                        .samplesPerEpoch(16)
                        .batchSize(4)
                        .foregroundProbability(1.0)
                        .augmentation(Augmentation.none())
                        .build()
                        .fit(d, dir.resolve("att2d"));
        assertFalls(r, 0.75);
    }
}
