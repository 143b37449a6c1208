package org.voxel4j.nn.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads and writes {@link Volume}s, choosing the format from the file name: {@code .nii}, {@code
 * .nii.gz} (NIfTI, {@link NiftiIO}), {@code .mha}, {@code .mhd} (MetaImage, {@link MetaImageIO}),
 * {@code .npy} (NumPy, {@link NpyIO}), {@code .dcm} or a directory (DICOM series, read only, {@link
 * DicomSeriesReader}). Extensions are matched case-insensitively.
 */
public final class VolumeIO {
    private VolumeIO() {}

    /** The formats {@link VolumeIO} dispatches to. */
    public enum Format {
        NIFTI(true),
        METAIMAGE(true),
        NPY(true),
        DICOM(false);

        private final boolean writable;

        Format(boolean writable) {
            this.writable = writable;
        }

        /** Whether {@link VolumeIO#write} supports this format. */
        public boolean writable() {
            return writable;
        }
    }

    /**
     * The format a path denotes: by extension, or DICOM for an existing directory.
     *
     * @throws VolumeFormatException for an unknown extension
     */
    public static Format formatOf(Path path) throws VolumeFormatException {
        if (Files.isDirectory(path)) {
            return Format.DICOM;
        }
        String n =
                path.getFileName() == null
                        ? ""
                        : path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".nii") || n.endsWith(".nii.gz")) {
            return Format.NIFTI;
        }
        if (n.endsWith(".mha") || n.endsWith(".mhd")) {
            return Format.METAIMAGE;
        }
        if (n.endsWith(".npy")) {
            return Format.NPY;
        }
        if (n.endsWith(".dcm")) {
            return Format.DICOM;
        }
        throw VolumeFormatException.field(
                path,
                "extension",
                "'" + n + "'",
                ".nii, .nii.gz, .mha, .mhd, .npy, .dcm or a DICOM series directory");
    }

    /** Reads a volume; a directory is read as one DICOM series. */
    public static Volume read(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "no such file or directory");
        }
        return switch (formatOf(path)) {
            case NIFTI -> NiftiIO.read(path);
            case METAIMAGE -> MetaImageIO.read(path);
            case NPY -> NpyIO.read(path);
            case DICOM ->
                    Files.isDirectory(path)
                            ? DicomSeriesReader.read(path)
                            : DicomSeriesReader.readFiles(java.util.List.of(path), null);
        };
    }

    /**
     * Writes a volume atomically in the format its extension names (NIfTI-1 for {@code .nii} /
     * {@code .nii.gz}, uncompressed MetaImage, NPY v1).
     *
     * @throws VolumeFormatException for DICOM or an unknown extension
     */
    public static void write(Volume volume, Path path) throws IOException {
        Format f = formatOf(path);
        switch (f) {
            case NIFTI -> NiftiIO.write(volume, path);
            case METAIMAGE -> MetaImageIO.write(volume, path);
            case NPY -> NpyIO.write(volume, path);
            default ->
                    throw VolumeFormatException.field(
                            path,
                            "output format",
                            f,
                            "NIfTI, MetaImage or NPY (DICOM is read-only)");
        }
    }
}
