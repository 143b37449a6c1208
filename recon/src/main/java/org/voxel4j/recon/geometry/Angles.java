package org.voxel4j.recon.geometry;

/** Helpers for view angles (radians inside the library). */
public final class Angles {
    private Angles() {}

    /**
     * {@code n} equally spaced angles {@code θ_i = i · arc / n} (radians) for {@code i = 0..n−1}:
     * the convention of the command line ({@code --arc 180|360}), with the end point excluded.
     */
    public static double[] uniform(int n, double arcDegrees) {
        if (n < 1) {
            throw new IllegalArgumentException("number of views must be >= 1, got " + n);
        }
        if (!(arcDegrees > 0) || arcDegrees > 720) {
            throw new IllegalArgumentException(
                    "arc must be in (0, 720] degrees, got " + arcDegrees);
        }
        double[] a = new double[n];
        double step = Math.toRadians(arcDegrees) / n;
        for (int i = 0; i < n; i++) {
            a[i] = i * step;
        }
        return a;
    }

    static double[] checked(double[] angles) {
        if (angles == null || angles.length == 0) {
            throw new IllegalArgumentException("a geometry needs at least one view angle");
        }
        for (int i = 0; i < angles.length; i++) {
            if (!Double.isFinite(angles[i])) {
                throw new IllegalArgumentException(
                        "view angle " + i + " is not finite: " + angles[i]);
            }
        }
        return angles.clone();
    }

    /**
     * The angular range covered by sorted-or-unsorted {@code angles}: (max − min) plus one mean
     * step, i.e. {@code arc} for {@link #uniform}. A single view covers 0.
     */
    public static double coverage(double[] angles) {
        if (angles.length < 2) {
            return 0;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double a : angles) {
            min = Math.min(min, a);
            max = Math.max(max, a);
        }
        return (max - min) * angles.length / (angles.length - 1);
    }

    static double[] select(double[] angles, int[] views) {
        if (views == null || views.length == 0) {
            throw new IllegalArgumentException("view selection is empty");
        }
        double[] out = new double[views.length];
        for (int i = 0; i < views.length; i++) {
            int v = views[i];
            if (v < 0 || v >= angles.length) {
                throw new IllegalArgumentException(
                        "view index " + v + " outside [0, " + angles.length + ")");
            }
            out[i] = angles[v];
        }
        return out;
    }

    static void checkPositive(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be positive and finite, got " + v);
        }
    }

    /** A point source's distances: both positive, the detector beyond the rotation axis. */
    static void checkSourceDistances(double sourceOrigin, double sourceDetector) {
        checkPositive("sourceOrigin", sourceOrigin);
        checkPositive("sourceDetector", sourceDetector);
        if (sourceDetector <= sourceOrigin) {
            throw new IllegalArgumentException(
                    "sourceDetector ("
                            + sourceDetector
                            + ") must exceed sourceOrigin ("
                            + sourceOrigin
                            + ")");
        }
    }

    static void checkFinite(String name, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be finite, got " + v);
        }
    }
}
