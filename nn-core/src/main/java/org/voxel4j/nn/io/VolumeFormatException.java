package org.voxel4j.nn.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A medical image file that cannot be read (or a volume that cannot be written) because its content
 * breaks the format: wrong magic number, impossible dimensions, unsupported data type, truncated
 * data, inconsistent DICOM series, ... The message always names the file, the offending field and
 * value, and what was expected.
 */
public class VolumeFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /** {@code message} is prefixed with the file name. */
    public VolumeFormatException(Path file, String message) {
        super(file + ": " + message);
        this.file = file;
    }

    /** {@code message} is prefixed with the file name; {@code cause} is kept. */
    public VolumeFormatException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file;
    }

    /**
     * A message of the form {@code "<file>: <field> = <value>, expected <expected>"}.
     *
     * @param field the header field or tag, e.g. {@code "dim[0]"} or {@code "ElementType"}
     * @param value the value found in the file
     * @param expected what a readable file has there
     */
    public static VolumeFormatException field(
            Path file, String field, Object value, String expected) {
        return new VolumeFormatException(file, field + " = " + value + ", expected " + expected);
    }

    /** The file the problem was found in. */
    public Path file() {
        return file;
    }
}
