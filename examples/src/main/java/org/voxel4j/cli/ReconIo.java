package org.voxel4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.voxel4j.nn.io.Volume;
import org.voxel4j.nn.io.VolumeIO;

/** Reading and writing the arrays of the {@code recon} commands (.npy or NIfTI). */
final class ReconIo {
    private ReconIo() {}

    /**
     * Reads a 2D array {@code [A, B]} (a 3D array with one leading slice is accepted) as DOUBLE.
     */
    static INDArray read2d(Path file, String what) throws IOException {
        checkWritableFormat(file, what);
        INDArray a = VolumeIO.read(file).data();
        long[] s = a.shape();
        if (s.length == 3 && s[0] == 1) {
            a = a.reshape(s[1], s[2]);
        } else if (s.length != 2) {
            throw new UserError(
                    file
                            + ": expected a 2D "
                            + what
                            + ", got an array of shape "
                            + Arrays.toString(s));
        }
        return a.castTo(DataType.DOUBLE).dup('c');
    }

    /** Reads a 3D array {@code [A, B, C]} as DOUBLE. */
    static INDArray read3d(Path file, String what) throws IOException {
        checkWritableFormat(file, what);
        INDArray a = VolumeIO.read(file).data();
        if (a.rank() != 3) {
            throw new UserError(
                    file
                            + ": expected a 3D "
                            + what
                            + ", got an array of shape "
                            + Arrays.toString(a.shape()));
        }
        return a.castTo(DataType.DOUBLE).dup('c');
    }

    /** Writes float32 data with unit geometry (.npy, .nii, .nii.gz, .mha). */
    static void write(INDArray data, Path file) throws IOException {
        VolumeIO.write(Volume.of(data.castTo(DataType.FLOAT)), file);
    }

    /** Fails early (before any computation) on an output name no writer accepts. */
    static void checkOutput(Path file) throws IOException {
        if (!VolumeIO.formatOf(file).writable()) {
            throw new UserError("cannot write " + file + ": use .npy, .nii, .nii.gz, .mha or .mhd");
        }
    }

    private static void checkWritableFormat(Path file, String what) throws IOException {
        VolumeIO.formatOf(file);
    }
}
