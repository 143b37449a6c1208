package org.voxel4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.voxel4j.volumetric.data.DecathlonDataset;
import org.voxel4j.volumetric.data.Preprocessing;
import org.voxel4j.volumetric.data.SegmentationData;
import org.voxel4j.volumetric.nets.AttentionUnet;
import org.voxel4j.volumetric.nets.SaliencyGuidedUnet;
import org.voxel4j.volumetric.nets.SegmentationNetwork;
import org.voxel4j.volumetric.nets.StuNet;
import org.voxel4j.volumetric.nets.UNet;
import org.voxel4j.volumetric.train.SegmentationTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code voxel4j train --model M --data DIR --out RUN ...}. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Trains a segmentation network on a dataset folder.",
            "Trains a segmentation network on a Medical Segmentation Decathlon / nnU-Net dataset",
            "folder (dataset.json, imagesTr/, labelsTr/). Writes RUN/model.v4j (weights, optimiser",
            "state, preprocessing), best.v4j, loss.csv, epochs.csv and loss.png. --resume continues",
            "exactly where RUN/last.v4j stopped."
        })
final class TrainCommand implements Callable<Integer> {

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--model",
            required = true,
            paramLabel = "M",
            description = "unet3d, attention-unet3d, stunet-s, stunet-b or saliency-unet3d")
    String model;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "dataset folder")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "RUN", description = "run folder")
    Path out;

    @Option(
            names = "--epochs",
            defaultValue = "50",
            description = "epochs (default ${DEFAULT-VALUE})")
    int epochs;

    @Option(
            names = "--patch",
            split = ",",
            paramLabel = "D,H,W",
            description = "training patch / inference window (default 96,96,96)")
    List<Integer> patch;

    @Option(
            names = "--spacing",
            split = ",",
            paramLabel = "D,H,W",
            description =
                    "resample to this spacing in mm (array order slice, row, column; default: keep)")
    List<Double> spacing;

    @Option(
            names = "--window",
            split = ",",
            paramLabel = "LOW,HIGH",
            description =
                    "HU window mapped to [0, 1] (default: nnU-Net CT normalisation fitted to the training foreground)")
    List<Double> window;

    @Option(
            names = "--channels",
            split = ",",
            paramLabel = "C",
            description =
                    "channels per level for unet3d / saliency-unet3d (default 32,64,128,256,320 /"
                            + " 32,64,128,256)")
    List<Integer> channels;

    @Option(
            names = "--validation",
            defaultValue = "1",
            description = "training cases held out for validation Dice (default ${DEFAULT-VALUE})")
    int validation;

    @Option(names = "--resume", description = "continue from RUN/last.v4j")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        if (epochs <= 0) {
            throw new UserError("--epochs must be > 0, got " + epochs);
        }
        if (!Files.isDirectory(data)) {
            throw new UserError("no such dataset folder: " + data);
        }
        int[] p =
                patch == null
                        ? new int[] {96, 96, 96}
                        : patch.stream().mapToInt(Integer::intValue).toArray();
        if (p.length != 3) {
            throw new UserError("--patch needs 3 values (D,H,W), got " + patch);
        }
        DecathlonDataset ds = DecathlonDataset.open(data);
        int classes = ds.numClasses();
        Preprocessing pre;
        List<DecathlonDataset.LabeledCase> cases = ds.loadTraining();
        if (window != null) {
            if (window.size() != 2 || !(window.get(0) < window.get(1))) {
                throw new UserError("--window needs LOW,HIGH with LOW < HIGH, got " + window);
            }
            pre = Preprocessing.window(window.get(0), window.get(1));
        } else {
            pre =
                    Preprocessing.ct(-1024, 3000, 0, 1)
                            .withCtStatistics(
                                    cases.stream().map(c -> c.image().data()).toList(),
                                    cases.stream().map(c -> c.label().data()).toList());
        }
        if (spacing != null) {
            if (spacing.size() != 3) {
                throw new UserError("--spacing needs 3 values (D,H,W), got " + spacing);
            }
            pre = pre.withTargetSpacing(spacing.get(0), spacing.get(1), spacing.get(2));
        }
        List<String> names = new java.util.ArrayList<>();
        for (int v = 0; v < classes; v++) {
            names.add(ds.labels().getOrDefault(v, "label" + v));
        }
        SegmentationData d = SegmentationData.of(cases, pre, names, validation);
        int imageChannels = d.imageChannels();
        SegmentationNetwork net = network(model, imageChannels, classes, channels);
        SegmentationTrainer.Result r =
                SegmentationTrainer.defaults(net)
                        .patchSize(p)
                        .epochs(epochs)
                        .resume(resume)
                        .progressBar(true)
                        .build()
                        .fit(d, out);
        var w = spec.commandLine().getOut();
        w.printf(
                Locale.ROOT,
                "trained %s for %d steps in %.0f s; best validation Dice %.4f%n",
                model,
                r.steps(),
                r.seconds(),
                r.bestDice());
        w.printf("checkpoint %s (best: %s)%n", r.model(), r.best());
        w.flush();
        return 0;
    }

    static SegmentationNetwork network(
            String name, int channels, int classes, List<Integer> levels) {
        if (levels != null && !name.equals("unet3d") && !name.equals("saliency-unet3d")) {
            throw new UserError(
                    "--channels applies to unet3d and saliency-unet3d only, not " + name);
        }
        return switch (name) {
            case "unet3d" ->
                    UNet.unet3d(
                            channels,
                            classes,
                            levels != null ? levels : List.of(32, 64, 128, 256, 320));
            case "attention-unet3d" -> AttentionUnet.turbolift(3, channels, classes);
            case "stunet-s" -> StuNet.small(channels, classes);
            case "stunet-b" -> StuNet.base(channels, classes);
            case "saliency-unet3d" ->
                    SaliencyGuidedUnet.saliencyUnet3d(
                            channels, classes, List.of(32, 64, 128, 256), 5.0);
            default ->
                    throw new UserError(
                            "unknown --model '"
                                    + name
                                    + "', expected unet3d, attention-unet3d, stunet-s, stunet-b or saliency-unet3d");
        };
    }
}
