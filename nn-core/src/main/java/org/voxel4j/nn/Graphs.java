package org.voxel4j.nn;

import java.io.OutputStream;
import java.io.PrintStream;
import org.nd4j.autodiff.samediff.SameDiff;

/** Small helpers around SameDiff graphs. */
public final class Graphs {
    private Graphs() {}

    /**
     * Creates the backward graph of {@code sd} (for its loss variables) if it has none yet.
     * SameDiff 1.0.0-M2.1 prints one line per differentiated op to {@code System.out} while doing
     * this; the library must not write to standard output (the CLI's {@code --json} output would
     * break), so standard output is muted for the duration of the call.
     */
    public static void prepareGradients(SameDiff sd) {
        if (sd.hasGradientFunction()) {
            return;
        }
        synchronized (System.class) {
            PrintStream original = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                sd.createGradFunction();
            } finally {
                System.setOut(original);
            }
        }
    }
}
