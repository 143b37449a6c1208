package org.voxel4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.voxel4j.nn.io.Volume;
import org.voxel4j.nn.io.VolumeIO;
import org.voxel4j.volumetric.metrics.CaseMetrics;
import org.voxel4j.volumetric.metrics.LabelMetrics;
import org.voxel4j.volumetric.metrics.SegmentationMetrics;
import org.voxel4j.volumetric.metrics.SegmentationMetricsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code voxel4j metrics seg --pred P --ref R [--labels 1,2] [--json]}. */
@Command(
        name = "seg",
        mixinStandardHelpOptions = true,
        description = {
            "Per label: Dice, IoU, HD95 and ASSD (mm, from the files' spacing), volumes in mL and",
            "volume error. Labels default to every non-zero value present in either file.",
            "An infinite distance (one mask empty) is null in JSON, with 'missing' set."
        })
final class SegMetricsCommand implements Callable<Integer> {

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--pred",
            required = true,
            paramLabel = "P",
            description = "predicted label map")
    Path pred;

    @Option(names = "--ref", required = true, paramLabel = "R", description = "reference label map")
    Path ref;

    @Option(
            names = "--labels",
            split = ",",
            paramLabel = "L",
            description = "labels to evaluate, e.g. 1,2")
    List<Integer> labels;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Volume p = VolumeIO.read(pred);
        Volume r = VolumeIO.read(ref);
        if (!java.util.Arrays.equals(p.dims(), r.dims())) {
            throw new UserError(
                    "shapes differ: "
                            + pred
                            + " has dims "
                            + java.util.Arrays.toString(p.dims())
                            + ", "
                            + ref
                            + " has "
                            + java.util.Arrays.toString(r.dims()));
        }
        if (p.data().rank() != 3 && p.data().rank() != 2) {
            throw new UserError(
                    "label maps must be 2D or 3D, "
                            + pred
                            + " has dims "
                            + java.util.Arrays.toString(p.dims()));
        }
        checkSameAffine(p, r);
        SegmentationMetricsConfig cfg = SegmentationMetricsConfig.defaults();
        if (labels != null && !labels.isEmpty()) {
            cfg = cfg.withLabels(labels.stream().mapToInt(Integer::intValue).toArray());
        }
        double[] spacing =
                p.data().rank() == 3
                        ? r.spacingDhw()
                        : new double[] {r.spacingDhw()[1], r.spacingDhw()[2]};
        CaseMetrics m =
                SegmentationMetrics.labelMaps(pred.toString(), p.data(), r.data(), spacing, cfg);
        ObjectNode o = Json.object();
        ObjectNode ls = o.putObject("labels");
        for (LabelMetrics l : m.labels()) {
            ObjectNode e = ls.putObject(Integer.toString(l.label()));
            Json.put(e, "dice", l.dice());
            Json.put(e, "iou", l.iou());
            Json.put(e, "hd95_mm", l.hd95());
            Json.put(e, "assd_mm", l.assd());
            Json.put(e, "volume_pred_ml", l.volumePredMl());
            Json.put(e, "volume_ref_ml", l.volumeRefMl());
            Json.put(e, "volume_error", l.volumeError());
            e.put("empty", "empty".equals(l.flag().key()) ? l.flag().value() : null);
            e.put("missing", "missing".equals(l.flag().key()) ? l.flag().value() : null);
        }
        var out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, o);
            return 0;
        }
        out.printf(
                Locale.ROOT,
                "%-6s %8s %8s %10s %10s %12s %12s %10s  %s%n",
                "label",
                "dice",
                "iou",
                "hd95_mm",
                "assd_mm",
                "vol_pred_ml",
                "vol_ref_ml",
                "vol_err",
                "flag");
        for (LabelMetrics l : m.labels()) {
            out.printf(
                    Locale.ROOT,
                    "%-6d %8.4f %8.4f %10.3f %10.3f %12.3f %12.3f %10.4f  %s%n",
                    l.label(),
                    l.dice(),
                    l.iou(),
                    l.hd95(),
                    l.assd(),
                    l.volumePredMl(),
                    l.volumeRefMl(),
                    l.volumeError(),
                    l.flag().key() == null ? "" : l.flag().key() + ": " + l.flag().value());
        }
        out.flush();
        return 0;
    }

    private void checkSameAffine(Volume p, Volume r) {
        double[][] a = p.affine();
        double[][] b = r.affine();
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                if (Math.abs(a[i][j] - b[i][j]) > 1e-3 * Math.max(1, Math.abs(b[i][j]))) {
                    throw new UserError(
                            "affines differ at ["
                                    + i
                                    + "]["
                                    + j
                                    + "]: "
                                    + pred
                                    + " has "
                                    + a[i][j]
                                    + ", "
                                    + ref
                                    + " has "
                                    + b[i][j]
                                    + " (resample the prediction onto the reference grid first)");
                }
            }
        }
    }
}
