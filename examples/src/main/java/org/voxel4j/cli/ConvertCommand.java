package org.voxel4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.voxel4j.nn.io.Volume;
import org.voxel4j.nn.io.VolumeIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code voxel4j convert IN OUT}. */
@Command(
        name = "convert",
        mixinStandardHelpOptions = true,
        description = {
            "Converts an image to another format, keeping values and geometry.",
            "Converts between .nii, .nii.gz, .mha, .mhd and .npy (DICOM folders as input only),",
            "keeping values (after scaling) and geometry. The output is written atomically."
        })
final class ConvertCommand implements Callable<Integer> {

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "input image or DICOM folder")
    Path in;

    @Parameters(
            index = "1",
            paramLabel = "OUT",
            description = "output file (.nii, .nii.gz, .mha, .mhd, .npy)")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!VolumeIO.formatOf(out).writable()) {
            throw new UserError(
                    "cannot write "
                            + out
                            + ": DICOM output is not supported, use .nii.gz, .nii, .mha, .mhd or .npy");
        }
        if (Files.exists(out) && Files.exists(in) && Files.isSameFile(in, out)) {
            throw new UserError("refusing to overwrite the input file " + in + " with itself");
        }
        Volume v = VolumeIO.read(in);
        VolumeIO.write(v, out);
        spec.commandLine()
                .getErr()
                .printf(
                        "wrote %s (%s, dims %s)%n",
                        out, v.sourceDataType(), java.util.Arrays.toString(v.dims()));
        return 0;
    }
}
