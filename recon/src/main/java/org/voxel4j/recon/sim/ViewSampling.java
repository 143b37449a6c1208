package org.voxel4j.recon.sim;

import java.util.Arrays;

/**
 * Sparse-view and limited-angle selections of a scan's views, and sinogram row extraction. A
 * sparse-view protocol keeps every k-th view of a full scan (e.g. 18, 36, 72 or 144 of 720 views
 * over 2π, GloReDi); a limited-angle protocol keeps the views inside an angular window.
 */
public final class ViewSampling {
    private ViewSampling() {}

    /**
     * {@code keep} views evenly spread over {@code fullViews}: indices {@code round(i · fullViews /
     * keep)}, i.e. every {@code fullViews/keep}-th view when it divides.
     */
    public static int[] sparse(int fullViews, int keep) {
        if (keep < 1 || keep > fullViews) {
            throw new IllegalArgumentException(
                    "cannot keep " + keep + " of " + fullViews + " views (need 1 <= keep <= full)");
        }
        int[] idx = new int[keep];
        for (int i = 0; i < keep; i++) {
            idx[i] = (int) Math.round((double) i * fullViews / keep);
        }
        return idx;
    }

    /**
     * Views whose angle, taken modulo 360°, lies in {@code [startDeg, startDeg + arcDeg)} (also
     * modulo 360°), in their original order.
     */
    public static int[] limitedAngle(double[] anglesRad, double startDeg, double arcDeg) {
        if (!(arcDeg > 0) || arcDeg > 360) {
            throw new IllegalArgumentException("arc must be in (0, 360] degrees, got " + arcDeg);
        }
        int[] out = new int[anglesRad.length];
        int n = 0;
        for (int i = 0; i < anglesRad.length; i++) {
            double d = Math.toDegrees(anglesRad[i]) - startDeg;
            d = ((d % 360) + 360) % 360;
            if (d < arcDeg - 1e-9) {
                out[n++] = i;
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException(
                    "no view lies in [" + startDeg + ", " + (startDeg + arcDeg) + ") degrees");
        }
        return Arrays.copyOf(out, n);
    }

    /** Rows {@code views} of a row-major {@code [n, perView]} array. */
    public static double[] select(double[] data, int perView, int[] views) {
        if (perView < 1 || data.length % perView != 0) {
            throw new IllegalArgumentException(
                    "data of length "
                            + data.length
                            + " is not a whole number of rows of "
                            + perView);
        }
        int total = data.length / perView;
        double[] out = new double[views.length * perView];
        for (int i = 0; i < views.length; i++) {
            if (views[i] < 0 || views[i] >= total) {
                throw new IllegalArgumentException(
                        "view index " + views[i] + " outside [0, " + total + ")");
            }
            System.arraycopy(data, views[i] * perView, out, i * perView, perView);
        }
        return out;
    }
}
