package org.voxel4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.voxel4j.nn.io.Volume;
import org.voxel4j.nn.io.VolumeIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code voxel4j info FILE [--json]}. */
@Command(
        name = "info",
        mixinStandardHelpOptions = true,
        description = {
            "Format, shape, data type, spacing, affine and intensity range of an image.",
            "Reads .nii, .nii.gz, .mha, .mhd, .npy and DICOM-series folders.",
            "dims are in file order and the affine maps voxel indices to RAS mm, as nibabel."
        })
final class InfoCommand implements Callable<Integer> {

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "image file or DICOM folder")
    Path file;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Volume v = VolumeIO.read(file);
        ObjectNode o = Json.object();
        o.put("file", file.toString());
        o.put("format", v.format());
        ArrayNode dims = o.putArray("dims");
        for (long d : v.dims()) {
            dims.add(d);
        }
        o.put("datatype", v.sourceDataType());
        ArrayNode sp = o.putArray("spacing");
        for (double z : v.zooms()) {
            sp.add(z);
        }
        ArrayNode aff = o.putArray("affine");
        for (double[] row : v.affine()) {
            ArrayNode r = aff.addArray();
            for (double x : row) {
                r.add(x);
            }
        }
        Json.put(o, "min", v.minValue());
        Json.put(o, "max", v.maxValue());
        var out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, o);
            return 0;
        }
        out.printf(Locale.ROOT, "file      %s%n", file);
        out.printf(Locale.ROOT, "format    %s%n", v.format());
        out.printf(Locale.ROOT, "dims      %s%n", java.util.Arrays.toString(v.dims()));
        out.printf(Locale.ROOT, "datatype  %s (in memory: %s)%n", v.sourceDataType(), v.dataType());
        out.printf(Locale.ROOT, "spacing   %s%n", java.util.Arrays.toString(v.zooms()));
        out.printf(Locale.ROOT, "origin    %s (RAS mm)%n", java.util.Arrays.toString(v.origin()));
        out.printf(Locale.ROOT, "affine%n");
        for (double[] row : v.affine()) {
            out.printf(
                    Locale.ROOT,
                    "          % 12.5f % 12.5f % 12.5f % 12.5f%n",
                    row[0],
                    row[1],
                    row[2],
                    row[3]);
        }
        out.printf(Locale.ROOT, "range     [%g, %g]%n", v.minValue(), v.maxValue());
        out.flush();
        return 0;
    }
}
