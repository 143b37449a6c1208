package org.voxel4j.recon.project;

/**
 * Exact intersection lengths of a ray with square/cubic pixels (R. L. Siddon, "Fast calculation of
 * the exact radiological path for a three-dimensional CT array", Med. Phys. 12(2), 1985), traversed
 * incrementally as in J. Amanatides and A. Woo, "A fast voxel traversal algorithm for ray tracing",
 * Eurographics 1987. Coordinates are in index space with pixel boundaries at integers: pixel k
 * spans [k, k+1]. The ray is {@code p + t·d} with t the physical length, so segment lengths come
 * out physical.
 */
final class Siddon {
    private Siddon() {}

    /** Clips t to the slab [0, n] of one axis; returns false if the ray misses it. */
    private static boolean clip(double p, double d, int n, double[] t) {
        if (d == 0) {
            return p >= 0 && p <= n;
        }
        double t1 = (0 - p) / d;
        double t2 = (n - p) / d;
        if (t1 > t2) {
            double tmp = t1;
            t1 = t2;
            t2 = tmp;
        }
        if (t1 > t[0]) {
            t[0] = t1;
        }
        if (t2 < t[1]) {
            t[1] = t2;
        }
        return true;
    }

    /** First cell index along an axis at entry coordinate q, moving with direction d. */
    private static int firstCell(double q, double d, int n) {
        int i = d < 0 ? (int) Math.ceil(q) - 1 : (int) Math.floor(q);
        return Math.max(0, Math.min(n - 1, i));
    }

    /** t of the first boundary crossed after entry along an axis (∞ if not moving). */
    private static double firstCross(double tEntry, double q, double d, int i) {
        if (d > 0) {
            return tEntry + (i + 1 - q) / d;
        } else if (d < 0) {
            return tEntry + (i - q) / d;
        }
        return Double.POSITIVE_INFINITY;
    }

    /** 2D: image {@code rows × cols}, ray {@code (r0, c0) + t(dr, dc)} in index space. */
    static int trace2d(
            double r0,
            double c0,
            double dr,
            double dc,
            int rows,
            int cols,
            double[] t,
            int[] idx,
            double[] w) {
        t[0] = Double.NEGATIVE_INFINITY;
        t[1] = Double.POSITIVE_INFINITY;
        if (!clip(c0, dc, cols, t) || !clip(r0, dr, rows, t)) {
            return 0;
        }
        double tmin = t[0];
        double tmax = t[1];
        if (!(tmax > tmin)) {
            return 0;
        }
        double qc = c0 + tmin * dc;
        double qr = r0 + tmin * dr;
        int ic = firstCell(qc, dc, cols);
        int ir = firstCell(qr, dr, rows);
        int stepC = dc > 0 ? 1 : -1;
        int stepR = dr > 0 ? 1 : -1;
        double tMaxC = firstCross(tmin, qc, dc, ic);
        double tMaxR = firstCross(tmin, qr, dr, ir);
        double tDeltaC = dc == 0 ? Double.POSITIVE_INFINITY : 1.0 / Math.abs(dc);
        double tDeltaR = dr == 0 ? Double.POSITIVE_INFINITY : 1.0 / Math.abs(dr);
        double tc = tmin;
        int n = 0;
        while (true) {
            boolean stepCol = tMaxC < tMaxR;
            double tn = stepCol ? tMaxC : tMaxR;
            boolean last = tn >= tmax;
            if (last) {
                tn = tmax;
            }
            double len = tn - tc;
            if (len > 0) {
                idx[n] = ir * cols + ic;
                w[n++] = len;
            }
            if (last) {
                break;
            }
            tc = tn;
            if (stepCol) {
                ic += stepC;
                tMaxC += tDeltaC;
                if (ic < 0 || ic >= cols) {
                    break;
                }
            } else {
                ir += stepR;
                tMaxR += tDeltaR;
                if (ir < 0 || ir >= rows) {
                    break;
                }
            }
        }
        return n;
    }

    /** 3D: volume {@code nz × ny × nx}, ray {@code (z, y, x) + t(dz, dy, dx)} in index space. */
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
            double[] t,
            int[] idx,
            double[] w) {
        t[0] = Double.NEGATIVE_INFINITY;
        t[1] = Double.POSITIVE_INFINITY;
        if (!clip(px, dx, nx, t) || !clip(py, dy, ny, t) || !clip(pz, dz, nz, t)) {
            return 0;
        }
        double tmin = t[0];
        double tmax = t[1];
        if (!(tmax > tmin)) {
            return 0;
        }
        double qx = px + tmin * dx;
        double qy = py + tmin * dy;
        double qz = pz + tmin * dz;
        int ix = firstCell(qx, dx, nx);
        int iy = firstCell(qy, dy, ny);
        int iz = firstCell(qz, dz, nz);
        int sx = dx > 0 ? 1 : -1;
        int sy = dy > 0 ? 1 : -1;
        int sz = dz > 0 ? 1 : -1;
        double tMx = firstCross(tmin, qx, dx, ix);
        double tMy = firstCross(tmin, qy, dy, iy);
        double tMz = firstCross(tmin, qz, dz, iz);
        double tDx = dx == 0 ? Double.POSITIVE_INFINITY : 1.0 / Math.abs(dx);
        double tDy = dy == 0 ? Double.POSITIVE_INFINITY : 1.0 / Math.abs(dy);
        double tDz = dz == 0 ? Double.POSITIVE_INFINITY : 1.0 / Math.abs(dz);
        double tc = tmin;
        int n = 0;
        int plane = ny * nx;
        while (true) {
            int axis;
            double tn;
            if (tMx <= tMy && tMx <= tMz) {
                axis = 0;
                tn = tMx;
            } else if (tMy <= tMz) {
                axis = 1;
                tn = tMy;
            } else {
                axis = 2;
                tn = tMz;
            }
            boolean last = tn >= tmax;
            if (last) {
                tn = tmax;
            }
            double len = tn - tc;
            if (len > 0) {
                idx[n] = iz * plane + iy * nx + ix;
                w[n++] = len;
            }
            if (last) {
                break;
            }
            tc = tn;
            if (axis == 0) {
                ix += sx;
                tMx += tDx;
                if (ix < 0 || ix >= nx) {
                    break;
                }
            } else if (axis == 1) {
                iy += sy;
                tMy += tDy;
                if (iy < 0 || iy >= ny) {
                    break;
                }
            } else {
                iz += sz;
                tMz += tDz;
                if (iz < 0 || iz >= nz) {
                    break;
                }
            }
        }
        return n;
    }
}
