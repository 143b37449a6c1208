package org.voxel4j.volumetric.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.voxel4j.nn.Checkpoint;
import org.voxel4j.nn.Model;
import org.voxel4j.nn.io.Volume;
import org.voxel4j.volumetric.data.DecathlonDataset;
import org.voxel4j.volumetric.data.DecathlonWriter;
import org.voxel4j.volumetric.data.Preprocessing;
import org.voxel4j.volumetric.data.SegmentationData;
import org.voxel4j.volumetric.data.SyntheticCtPhantom;
import org.voxel4j.volumetric.inference.SegmentationInference;
import org.voxel4j.volumetric.inference.SegmentationPredictor;
import org.voxel4j.volumetric.inference.SlidingWindow;
import org.voxel4j.volumetric.nets.SaliencyGuidedUnet;
import org.voxel4j.volumetric.nets.SegmentationNets;
import org.voxel4j.volumetric.nets.StuNet;
import org.voxel4j.volumetric.nets.UNet;
import org.voxel4j.volumetric.transforms.Augmentation;
import org.voxel4j.volumetric.transforms.LabelOps;
import org.voxel4j.volumetric.transforms.VoxelArrays;

/** The training API end to end: run folder, prediction, resume, serial transfer, fine-tuning. */
class SegmentationTrainerTest {

    @TempDir Path dir;

    static SyntheticCtPhantom.Config phantom() {
        return SyntheticCtPhantom.Config.defaults().withShape(16, 24, 24);
    }

    @Test
    void runFolderAndPredictionOnTheInputGrid() throws IOException {
        Path data = dir.resolve("data");
        DecathlonWriter.writePhantoms(data, "P", phantom(), 3, 1, 7);
        Preprocessing pre = Preprocessing.window(-200, 300).withTargetSpacing(3, 2, 2);
        SegmentationData d = SegmentationData.fromDecathlon(data, pre, 1);
        assertThat(d.training()).hasSize(2);
        assertThat(d.validation()).hasSize(1);
        assertThat(d.training().get(0).shape()).containsExactly(8, 12, 12);
        UNet net = UNet.unet3d(1, 4, List.of(4, 8));
        Path run = dir.resolve("run");
        SegmentationTrainer.Result r =
                SegmentationTrainer.nnUNet(net)
                        .patchSize(8, 12, 12)
                        .epochs(2)
                        .samplesPerEpoch(4)
                        .batchSize(2)
                        .augmentation(Augmentation.defaults())
                        .build()
                        .fit(d, run);
        for (String f :
                new String[] {
                    "model.v4j", "best.v4j", "last.v4j", "loss.csv", "epochs.csv", "loss.png"
                }) {
            assertThat(run.resolve(f)).as(f).isRegularFile();
        }
        assertThat(r.steps()).isEqualTo(4);
        assertThat(r.bestDice()).isBetween(0.0, 1.0);
        assertThat(Files.readString(run.resolve("epochs.csv"))).contains("dice");
        assertThat(SegmentationTrainer.hasTrainerState(run.resolve("last.v4j"))).isTrue();
        assertThat(SegmentationTrainer.hasTrainerState(run.resolve("model.v4j"))).isFalse();

        // predict(checkpoint, volume): the checkpoint alone reproduces the preprocessing
        DecathlonDataset ds = DecathlonDataset.open(data);
        Volume img = ds.load(ds.test().get(0)).image();
        Volume seg = SegmentationPredictor.predict(run.resolve("model.v4j"), img);
        assertThat(seg.data().shape()).containsExactly(img.data().shape());
        assertThat(seg.affine()).isDeepEqualTo(img.affine());
        // the same pipeline by hand: preprocess, sliding window, softmax, map back, argmax
        SegmentationCheckpoint.Loaded l = SegmentationCheckpoint.read(run.resolve("model.v4j"));
        assertThat(l.spec().preprocessing()).isEqualTo(pre);
        Preprocessing.Prepared p = pre.image(img);
        INDArray logits =
                SegmentationInference.outputs(
                        l.model(),
                        l.network(),
                        p.image(),
                        SlidingWindow.of(List.of(8, 12, 12)).withPadValue(pre.airValue()),
                        null);
        INDArray manual =
                LabelOps.argmax(p.geometry().toOriginal(SegmentationInference.softmax(logits)), 0);
        assertThat(VoxelArrays.toLabels(seg.data())).containsExactly(VoxelArrays.toLabels(manual));
        SegmentationPredictor pr =
                SegmentationPredictor.load(run.resolve("best.v4j")).withLargestComponent(true);
        Volume seg2 = pr.withTta(true).predict(img);
        assertThat(seg2.data().shape()).containsExactly(img.data().shape());
        assertThat(SegmentationPredictor.volumesMl(seg2).keySet()).allMatch(k -> k >= 1 && k <= 3);
    }

    static SegmentationTrainer.Builder small(UNet net, int epochs) {
        return SegmentationTrainer.turbolift(net)
                .patchSize(8, 8, 8)
                .epochs(epochs)
                .samplesPerEpoch(4)
                .batchSize(2)
                .validateEvery(0);
    }

    @Test
    void resumedRunEqualsUninterruptedRun() throws IOException {
        SegmentationData d = Toy.data(new int[] {8, 8, 8}, 2, 3, 0, 11);
        UNet net = UNet.unet3d(1, 2, List.of(2, 4));
        small(net, 3).build().fit(d, dir.resolve("a"));
        small(net, 2).build().fit(d, dir.resolve("b"));
        SegmentationTrainer.Result r = small(net, 3).resume(true).build().fit(d, dir.resolve("b"));
        assertThat(r.steps()).isEqualTo(6);
        Model a = Model.load(dir.resolve("a/model.v4j"));
        Model b = Model.load(dir.resolve("b/model.v4j"));
        for (String n : a.parameters().names()) {
            assertThat(b.parameters().get(n)).as(n).isEqualTo(a.parameters().get(n));
        }
        assertThat(r.history().steps()).hasSize(6);
    }

    @Test
    void serialTransferToATaskWithMoreClassesFreezingTheEncoder() throws IOException {
        SegmentationData two = Toy.data(new int[] {8, 8, 8}, 2, 2, 0, 21);
        SegmentationData three = Toy.data(new int[] {8, 8, 8}, 3, 2, 0, 31);
        StuNet net = new StuNet(3, 1, 2, List.of(2, 4), List.of(1, 1), null, true);
        SegmentationTrainer.nnUNet(net)
                .patchSize(8, 8, 8)
                .epochs(1)
                .samplesPerEpoch(2)
                .validateEvery(0)
                .build()
                .fit(two, dir.resolve("task1"));
        Path first = dir.resolve("task1/model.v4j");
        SegmentationTrainer.Result r =
                SegmentationTrainer.continueFrom(
                        first, three, 1, n -> n.startsWith("enc0/"), dir.resolve("task2"));
        Model before = Model.load(first);
        Model after = Model.load(r.model());
        assertThat(after.network()).isEqualTo(net.withNumClasses(3));
        for (String n : after.parameters().names()) {
            INDArray x = after.parameters().get(n);
            if (SegmentationNets.HEADS.test(n)) {
                // new heads: 3 classes
                assertThat(x.size(0)).as(n).isEqualTo(3);
            } else if (n.startsWith("enc0/")) {
                assertThat(x).as(n + " frozen").isEqualTo(before.parameters().get(n));
            } else if (n.endsWith("/weight") && n.contains("conv")) {
                assertThat(x).as(n + " trained").isNotEqualTo(before.parameters().get(n));
            }
        }
        // STU-Net fine-tuning rule: every weight but the heads is loaded, even with other classes
        Model fresh = Model.create(net.withNumClasses(3), 99, before.inputs().get(0));
        Model.LoadReport rep = fresh.loadWeights(first, SegmentationNets.HEADS.negate());
        assertThat(rep.missing()).isEmpty();
        assertThat(rep.skipped()).allMatch(SegmentationNets.HEADS);
        assertThat(rep.loaded()).noneMatch(SegmentationNets.HEADS);
        assertThat(rep.loaded().size() + rep.skipped().size())
                .isEqualTo(before.parameters().names().size());
        for (String n : rep.loaded()) {
            assertThat(fresh.parameters().get(n)).isEqualTo(before.parameters().get(n));
        }
    }

    @Test
    void saliencyPredictionTakesMarkers() throws IOException {
        SegmentationData d = Toy.data(new int[] {8, 8, 8}, 2, 2, 1, 41);
        SaliencyGuidedUnet net = SaliencyGuidedUnet.saliencyUnet3d(1, 2, List.of(2, 4), 3.0);
        Path run = dir.resolve("sal");
        SegmentationTrainer.nnUNet(net)
                .patchSize(8, 8, 8)
                .epochs(1)
                .samplesPerEpoch(2)
                .build()
                .fit(d, run);
        SegmentationPredictor p = SegmentationPredictor.load(run.resolve("model.v4j"));
        Volume img = Volume.of(d.validation().get(0).image().reshape(8, 8, 8), 1, 1, 1);
        Volume seg = p.predict(img, List.of(new int[] {4, 4, 4}));
        assertThat(seg.data().shape()).containsExactly(8, 8, 8);
        assertThatThrownBy(() -> p.predict(img)).hasMessageContaining("marker");
        assertThatThrownBy(() -> p.predict(img, List.of(new int[] {9, 0, 0})))
                .hasMessageContaining("outside");
    }

    @Test
    void checkpointsWithoutTheSegmentationSectionAreRejected() throws IOException {
        Model m =
                Model.create(
                        UNet.unet3d(1, 2, List.of(2, 4)),
                        1,
                        org.voxel4j.nn.InputSpec.of("image", -1, 1, -1, -1, -1));
        Path f = dir.resolve("plain.v4j");
        m.save(f);
        assertThatThrownBy(() -> SegmentationPredictor.load(f))
                .hasMessageContaining("not a segmentation checkpoint");
        assertThat(Checkpoint.read(f).header().has("segmentation")).isFalse();
    }
}
