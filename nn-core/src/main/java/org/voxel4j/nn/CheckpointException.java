package org.voxel4j.nn;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint file that cannot be read: corrupt, truncated, foreign or from another version. */
public class CheckpointException extends IOException {
    private static final long serialVersionUID = 1L;

    public CheckpointException(Path file, String message) {
        super(file + ": " + message);
    }

    public CheckpointException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
    }
}
