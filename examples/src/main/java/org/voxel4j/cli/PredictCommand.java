package org.voxel4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.voxel4j.nn.io.Volume;
import org.voxel4j.nn.io.VolumeIO;
import org.voxel4j.volumetric.inference.SegmentationPredictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code voxel4j predict --checkpoint RUN/model.v4j --in IMG --out SEG [--tta]}. */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        description = {
            "Segments an image with a trained checkpoint.",
            "Applies the training preprocessing, sliding-window",
            "inference (overlap 0.5, Gaussian weighting), mapped back to the input's grid and written",
            "with the input's affine. Prints the volume of every label in mL."
        })
final class PredictCommand implements Callable<Integer> {

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--checkpoint",
            required = true,
            paramLabel = "CKPT",
            description = "model.v4j from voxel4j train")
    Path checkpoint;

    @Option(names = "--in", required = true, paramLabel = "IMG", description = "input image")
    Path in;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "SEG",
            description = "output label map (.nii.gz, .nii, .mha, .npy)")
    Path out;

    @Option(names = "--tta", description = "mirror test-time augmentation")
    boolean tta;

    @Option(
            names = "--largest-component",
            description = "keep only the largest connected component of each label")
    boolean largest;

    @Override
    public Integer call() throws Exception {
        if (!VolumeIO.formatOf(out).writable()) {
            throw new UserError("cannot write " + out + ": use .nii.gz, .nii, .mha, .mhd or .npy");
        }
        Volume image = VolumeIO.read(in);
        SegmentationPredictor p =
                SegmentationPredictor.load(checkpoint).withTta(tta).withLargestComponent(largest);
        Volume seg;
        try (ProgressBar pb = Reports.progressBar("predict").setUnit(" windows", 1).build()) {
            seg =
                    p.withProgress(
                                    (done, total) -> {
                                        pb.maxHint(total);
                                        pb.stepTo(done);
                                    })
                            .predict(image);
        }
        VolumeIO.write(seg, out);
        var w = spec.commandLine().getOut();
        SegmentationPredictor.volumesMl(seg)
                .forEach((label, ml) -> w.printf(Locale.ROOT, "label %d: %.2f mL%n", label, ml));
        w.printf("wrote %s%n", out);
        w.flush();
        return 0;
    }
}
