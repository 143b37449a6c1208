package org.voxel4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.voxel4j.volumetric.demo.SegmentationDemo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code voxel4j demo [--out DIR] [--quick]}: the main job on built-in data. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "The main job: trains a 3D attention U-Net on synthetic CT phantoms and evaluates it.",
            "Generates synthetic CT phantoms (liver, kidneys, spine), trains a 3D attention U-Net",
            "with a progress bar, segments held-out phantoms and writes image.nii.gz, label.nii.gz,",
            "prediction.nii.gz (same affine as the image), overlay.png, loss.png, model.v4j and",
            "metrics.json (mean foreground Dice and HD95 on held-out cases, train_seconds) to DIR."
        })
final class DemoCommand implements Callable<Integer> {

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--out",
            defaultValue = "demo-out",
            paramLabel = "DIR",
            description = "output folder (default ${DEFAULT-VALUE})")
    Path out;

    @Option(
            names = "--quick",
            description = "a short run (under a minute) to check the set-up; low Dice")
    boolean quick;

    @Option(
            names = "--epochs",
            paramLabel = "N",
            description = "override the number of training epochs")
    Integer epochs;

    @Option(names = "--json", description = "print the results as one JSON object")
    boolean json;

    @Override
    public Integer call() throws Exception {
        SegmentationDemo.Options o =
                quick ? SegmentationDemo.Options.quick() : SegmentationDemo.Options.full();
        if (epochs != null) {
            if (epochs <= 0) {
                throw new UserError("--epochs must be > 0, got " + epochs);
            }
            o = o.withEpochs(epochs);
        }
        var err = spec.commandLine().getErr();
        err.printf(
                "voxel4j demo: %s run, writing to %s%n",
                quick ? "quick" : "full", out.toAbsolutePath());
        err.flush();
        SegmentationDemo.Result r = SegmentationDemo.run(out, o);
        var w = spec.commandLine().getOut();
        if (json) {
            ObjectNode j = Json.object();
            Json.put(j, "dice", r.dice());
            Json.put(j, "hd95_mm", r.hd95Mm());
            j.put("train_seconds", r.trainSeconds());
            j.put("total_seconds", r.totalSeconds());
            j.put("steps", r.steps());
            ObjectNode per = j.putObject("dice_per_label");
            r.perLabelDice().forEach((k, v) -> Json.put(per, k, v));
            j.put("out", out.toAbsolutePath().toString());
            Json.print(w, j);
            return 0;
        }
        w.printf(Locale.ROOT, "mean Dice (held-out)  %.4f%n", r.dice());
        r.perLabelDice().forEach((k, v) -> w.printf(Locale.ROOT, "  %-20s %.4f%n", k, v));
        w.printf(Locale.ROOT, "mean HD95             %.2f mm%n", r.hd95Mm());
        w.printf(
                Locale.ROOT,
                "training              %.0f s (%d steps), whole run %.0f s%n",
                r.trainSeconds(),
                r.steps(),
                r.totalSeconds());
        w.printf(
                Locale.ROOT,
                "outputs               %s (image/label/prediction .nii.gz, overlay.png, loss.png, model.v4j, metrics.json)%n",
                out.toAbsolutePath());
        w.flush();
        return 0;
    }
}
