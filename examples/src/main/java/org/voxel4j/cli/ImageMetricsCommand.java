package org.voxel4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.voxel4j.nn.io.VolumeIO;
import org.voxel4j.recon.metrics.ImageMetrics;
import org.voxel4j.recon.metrics.ImageQuality;
import org.voxel4j.recon.metrics.SsimPreset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code voxel4j metrics image --pred P --ref R [--mask M] [--preset] [--data-range] [--json]}. */
@Command(
        name = "image",
        mixinStandardHelpOptions = true,
        description = {
            "MAE, PSNR (dB) and SSIM of a prediction against a reference, 2D or 3D",
            "(definitions: docs/METRICS.md).",
            "synthrad2023 (default): HU clipped to [-1024, 3000], data range 4024, uniform",
            "7^3 SSIM. wang: no clipping, Gaussian SSIM (sigma 1.5), needs --data-range."
        })
final class ImageMetricsCommand implements Callable<Integer> {

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--pred", required = true, paramLabel = "P", description = "prediction")
    Path pred;

    @Option(names = "--ref", required = true, paramLabel = "R", description = "reference")
    Path ref;

    @Option(names = "--mask", paramLabel = "M", description = "mask (nonzero = evaluated)")
    Path mask;

    @Option(
            names = "--preset",
            defaultValue = "synthrad2023",
            paramLabel = "NAME",
            description = "synthrad2023 or wang (default ${DEFAULT-VALUE})")
    String preset;

    @Option(
            names = "--data-range",
            paramLabel = "R",
            description = "PSNR/SSIM data range (wang: required; synthrad2023: fixed 4024)")
    Double dataRange;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Override
    public Integer call() throws Exception {
        SsimPreset p;
        try {
            p = SsimPreset.parse(preset);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        if (p == SsimPreset.WANG && dataRange == null) {
            throw new UserError("--preset wang needs --data-range (e.g. 1 for images in [0, 1])");
        }
        if (dataRange != null && (!(dataRange > 0) || dataRange.isInfinite())) {
            throw new UserError("--data-range must be positive, got " + dataRange);
        }
        if (p == SsimPreset.SYNTHRAD2023 && dataRange != null && dataRange != 4024) {
            throw new UserError(
                    "--preset synthrad2023 fixes the data range to 4024 (HU -1024..3000), got --data-range "
                            + dataRange);
        }
        INDArray a = VolumeIO.read(pred).data();
        INDArray b = VolumeIO.read(ref).data();
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new UserError(
                    "shapes differ: "
                            + pred
                            + " has "
                            + Arrays.toString(a.shape())
                            + ", "
                            + ref
                            + " has "
                            + Arrays.toString(b.shape()));
        }
        INDArray m = null;
        if (mask != null) {
            m = VolumeIO.read(mask).data();
            if (!Arrays.equals(m.shape(), b.shape())) {
                throw new UserError(
                        "mask "
                                + mask
                                + " has shape "
                                + Arrays.toString(m.shape())
                                + ", the images "
                                + Arrays.toString(b.shape()));
            }
        }
        long kept = Arrays.stream(b.shape()).filter(d -> d != 1).count();
        if (kept != 2 && kept != 3) {
            throw new UserError(
                    "image metrics need 2D or 3D images, got shape " + Arrays.toString(b.shape()));
        }
        ImageQuality q =
                ImageMetrics.evaluate(a, b, m, p, dataRange == null ? Double.NaN : dataRange);
        ObjectNode o = Json.object();
        Json.put(o, "mae", q.mae());
        Json.put(o, "psnr", q.psnr());
        Json.put(o, "ssim", q.ssim());
        Reports.finish(
                spec,
                json,
                o,
                String.format(
                        Locale.ROOT,
                        "mae %.6g  psnr %.4f dB  ssim %.6f  (preset %s)",
                        q.mae(),
                        q.psnr(),
                        q.ssim(),
                        p.cliName()));
        return 0;
    }
}
