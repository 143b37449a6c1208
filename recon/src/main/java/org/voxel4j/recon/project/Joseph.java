package org.voxel4j.recon.project;

/**
 * Joseph's ray-driven interpolation (P. M. Joseph, "An improved algorithm for reprojecting rays
 * through pixel images", IEEE TMI 1(3), 1982): the ray is sampled once per slab of the axis it is
 * most aligned with, the image is interpolated linearly (bilinearly in 3D) between the neighbouring
 * samples of the other axes, with zero outside the grid, and each sample is weighted by the ray
 * length through the slab. All coordinates here are fractional indices.
 */
final class Joseph {
    private Joseph() {}

    /**
     * Traces a 2D ray through an image of {@code rows × cols}. The ray is {@code (r0, c0) + t ·
     * (dr, dc)} in index space, t being physical length (so a unit step of the index along the main
     * axis is a length {@code 1/|d|}). {@code range} is a scratch pair. Returns the number of
     * (index, weight) pairs written.
     */
    static int trace2d(
            double r0,
            double c0,
            double dr,
            double dc,
            int rows,
            int cols,
            int[] range,
            int[] idx,
            double[] w) {
        if (Math.abs(dc) >= Math.abs(dr)) {
            if (dc == 0) {
                return 0;
            }
            // sample at every column centre; row is linear in the column index
            double slope = dr / dc;
            return along(
                    r0 - c0 * slope, slope, 1.0 / Math.abs(dc), cols, 1, rows, cols, range, idx, w);
        }
        // sample at every row centre; column is linear in the row index
        double slope = dc / dr;
        return along(
                c0 - r0 * slope, slope, 1.0 / Math.abs(dr), rows, cols, cols, 1, range, idx, w);
    }

    /**
     * The 2D samples along the main axis (size {@code nMain}, index stride {@code sMain}): at step
     * k the other axis (size {@code nOther}, stride {@code sOther}) is at {@code a + k · slope},
     * interpolated linearly between its two neighbouring pixels, each weighted by {@code len}.
     */
    private static int along(
            double a,
            double slope,
            double len,
            int nMain,
            int sMain,
            int nOther,
            int sOther,
            int[] range,
            int[] idx,
            double[] w) {
        if (!range(a, slope, nOther, nMain, range)) {
            return 0;
        }
        int n = 0;
        for (int k = range[0]; k <= range[1]; k++) {
            double fo = a + k * slope;
            double fl = Math.floor(fo);
            int o = (int) fl;
            double f = fo - fl;
            int base = k * sMain;
            if (o >= 0 && o < nOther) {
                idx[n] = base + o * sOther;
                w[n++] = (1 - f) * len;
            }
            if (f > 0 && o + 1 >= 0 && o + 1 < nOther) {
                idx[n] = base + (o + 1) * sOther;
                w[n++] = f * len;
            }
        }
        return n;
    }

    /**
     * Steps {@code k ∈ [0, steps)} for which {@code a + k·slope ∈ (−1, size)}; false when none.
     * Conservative (one extra step each side); callers still check each sample.
     */
    static boolean range(double a, double slope, int size, int steps, int[] out) {
        double lo;
        double hi;
        if (slope == 0) {
            if (a <= -1 || a >= size) {
                return false;
            }
            lo = 0;
            hi = steps - 1;
        } else {
            double k1 = (-1 - a) / slope;
            double k2 = (size - a) / slope;
            lo = Math.max(0, Math.floor(Math.min(k1, k2)));
            hi = Math.min(steps - 1, Math.ceil(Math.max(k1, k2)));
        }
        if (!(lo <= hi)) {
            return false;
        }
        out[0] = (int) lo;
        out[1] = (int) hi;
        return true;
    }

    /**
     * Traces a 3D ray in index space {@code p + t·d} (p, d given per axis as (z, y, x) = (slice,
     * row, col)) through a {@code D × H × W} grid with bilinear interpolation.
     */
    static int trace3d(
            double pz,
            double py,
            double px,
            double dz,
            double dy,
            double dx,
            int nz,
            int ny,
            int nx,
            int[] range,
            int[] idx,
            double[] w) {
        double az = Math.abs(dz);
        double ay = Math.abs(dy);
        double ax = Math.abs(dx);
        // main axis m, secondary axes 1 and 2: sizes, strides and line parameters
        int nm;
        int n1;
        int n2;
        int sm;
        int s1;
        int s2;
        double pm;
        double p1;
        double p2;
        double dm;
        double d1;
        double d2;
        int strideY = nx;
        int strideZ = ny * nx;
        if (ax >= ay && ax >= az) {
            nm = nx;
            sm = 1;
            pm = px;
            dm = dx;
            n1 = ny;
            s1 = strideY;
            p1 = py;
            d1 = dy;
            n2 = nz;
            s2 = strideZ;
            p2 = pz;
            d2 = dz;
        } else if (ay >= az) {
            nm = ny;
            sm = strideY;
            pm = py;
            dm = dy;
            n1 = nx;
            s1 = 1;
            p1 = px;
            d1 = dx;
            n2 = nz;
            s2 = strideZ;
            p2 = pz;
            d2 = dz;
        } else {
            nm = nz;
            sm = strideZ;
            pm = pz;
            dm = dz;
            n1 = ny;
            s1 = strideY;
            p1 = py;
            d1 = dy;
            n2 = nx;
            s2 = 1;
            p2 = px;
            d2 = dx;
        }
        if (dm == 0) {
            return 0;
        }
        double b1 = d1 / dm;
        double b2 = d2 / dm;
        double a1 = p1 - pm * b1;
        double a2 = p2 - pm * b2;
        double len = 1.0 / Math.abs(dm);
        if (!range(a1, b1, n1, nm, range)) {
            return 0;
        }
        int lo = range[0];
        int hi = range[1];
        if (!range(a2, b2, n2, nm, range)) {
            return 0;
        }
        lo = Math.max(lo, range[0]);
        hi = Math.min(hi, range[1]);
        int n = 0;
        for (int k = lo; k <= hi; k++) {
            double f1 = a1 + k * b1;
            double f2 = a2 + k * b2;
            double fl1 = Math.floor(f1);
            double fl2 = Math.floor(f2);
            int i1 = (int) fl1;
            int i2 = (int) fl2;
            double u = f1 - fl1;
            double v = f2 - fl2;
            boolean in1a = i1 >= 0 && i1 < n1;
            boolean in1b = i1 + 1 >= 0 && i1 + 1 < n1 && u > 0;
            boolean in2a = i2 >= 0 && i2 < n2;
            boolean in2b = i2 + 1 >= 0 && i2 + 1 < n2 && v > 0;
            int base = k * sm + i1 * s1 + i2 * s2;
            if (in1a && in2a) {
                idx[n] = base;
                w[n++] = (1 - u) * (1 - v) * len;
            }
            if (in1b && in2a) {
                idx[n] = base + s1;
                w[n++] = u * (1 - v) * len;
            }
            if (in1a && in2b) {
                idx[n] = base + s2;
                w[n++] = (1 - u) * v * len;
            }
            if (in1b && in2b) {
                idx[n] = base + s1 + s2;
                w[n++] = u * v * len;
            }
        }
        return n;
    }
}
