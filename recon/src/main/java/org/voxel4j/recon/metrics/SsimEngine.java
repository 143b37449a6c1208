package org.voxel4j.recon.metrics;

import org.voxel4j.recon.Parallel;

/**
 * Fused SSIM: the five local moments (x, y, x², y², xy) are filtered separably slice by slice
 * (rows, then columns), kept in a ring of planes, combined along z, turned into SSIM and averaged
 * without materialising the five filtered volumes. A uniform window uses running sums (as SciPy's
 * {@code uniform_filter1d}), a Gaussian one direct weighted sums. Output slices are split into
 * contiguous chunks, one per thread, and the partial sums are added in chunk order.
 */
final class SsimEngine {
    private SsimEngine() {}

    /** Mean SSIM and mean contrast-structure term over the evaluated voxels, plus the map. */
    record Result(double ssim, double cs, long count, double[] map) {}

    static int reflect(int i, int n) {
        if (i < 0) {
            return -i - 1;
        }
        if (i >= n) {
            return 2 * n - i - 1;
        }
        return i;
    }

    /**
     * @param dims {@code [D, H, W]}; D = 1 means a 2D image (no filtering or cropping along z)
     * @param mask evaluated voxels (null = all), combined with the crop
     */
    static Result run(
            double[] x,
            double[] y,
            int[] dims,
            boolean[] mask,
            SsimOptions o,
            double dataRange,
            boolean wantMap) {
        int nd = dims[0];
        int nh = dims[1];
        int nw = dims[2];
        boolean is3d = nd > 1;
        int k = o.size();
        int rad = k / 2;
        if (nh < k || nw < k || (is3d && nd < k)) {
            throw new IllegalArgumentException(
                    "image of shape "
                            + (is3d ? nd + "x" : "")
                            + nh
                            + "x"
                            + nw
                            + " is smaller than the SSIM window of "
                            + k
                            + " along some axis");
        }
        boolean uniform = !o.gaussian();
        double[] wts = o.weights();
        int dimsFiltered = is3d ? 3 : 2;
        double nWin = Math.pow(k, dimsFiltered);
        double norm = uniform ? 1.0 / nWin : 1.0;
        double covNorm = o.sampleCovariance() ? nWin / (nWin - 1) : 1.0;
        double c1 = Math.pow(o.k1() * dataRange, 2);
        double c2 = Math.pow(o.k2() * dataRange, 2);
        int crop = o.crop();
        int zLo = is3d ? crop : 0;
        int zHi = is3d ? nd - crop : 1;
        double[] map = wantMap ? new double[nd * nh * nw] : null;
        int chunks = Parallel.chunks(nd);
        double[][] partial = new double[chunks][3];
        Parallel.forEach(
                chunks,
                ch -> {
                    int d0 = Parallel.chunkStart(nd, chunks, ch);
                    int d1 = Parallel.chunkStart(nd, chunks, ch + 1);
                    Worker wk = new Worker(x, y, nd, nh, nw, k, wts, uniform, is3d);
                    double[] sums = new double[3];
                    for (int d = d0; d < d1; d++) {
                        boolean zIn = d >= zLo && d < zHi;
                        double[][] acc = wk.zFiltered(d, d == d0);
                        if (!zIn && map == null) {
                            continue;
                        }
                        evaluate(acc, d, nh, nw, crop, zIn, mask, map, norm, covNorm, c1, c2, sums);
                    }
                    double sumS = sums[0];
                    double sumCs = sums[1];
                    long count = (long) sums[2];
                    partial[ch][0] = sumS;
                    partial[ch][1] = sumCs;
                    partial[ch][2] = count;
                });
        double s = 0;
        double cs = 0;
        long count = 0;
        for (double[] p : partial) {
            s += p[0];
            cs += p[1];
            count += (long) p[2];
        }
        if (count == 0) {
            throw new IllegalArgumentException(
                    "no voxel left to average SSIM over after cropping "
                            + crop
                            + " from each face"
                            + (mask != null ? " and applying the mask" : ""));
        }
        return new Result(s / count, cs / count, count, map);
    }

    /** SSIM of slice d from the filtered moments; adds (Σ S, Σ cs, count) over crop ∩ mask. */
    private static void evaluate(
            double[][] acc,
            int d,
            int nh,
            int nw,
            int crop,
            boolean zIn,
            boolean[] mask,
            double[] map,
            double norm,
            double covNorm,
            double c1,
            double c2,
            double[] sums) {
        double[] ax = acc[0];
        double[] ay = acc[1];
        double[] axx = acc[2];
        double[] ayy = acc[3];
        double[] axy = acc[4];
        int base = d * nh * nw;
        double sumS = 0;
        double sumCs = 0;
        long count = 0;
        for (int r = 0; r < nh; r++) {
            boolean rIn = zIn && r >= crop && r < nh - crop;
            if (!rIn && map == null) {
                continue;
            }
            int row = r * nw;
            int cLo = rIn ? crop : nw;
            int cHi = rIn ? nw - crop : nw;
            int from = map != null ? 0 : cLo;
            int to = map != null ? nw : cHi;
            for (int c = from; c < to; c++) {
                int i = row + c;
                double mx = ax[i] * norm;
                double my = ay[i] * norm;
                double vx = covNorm * (axx[i] * norm - mx * mx);
                double vy = covNorm * (ayy[i] * norm - my * my);
                double vxy = covNorm * (axy[i] * norm - mx * my);
                double num2 = 2 * vxy + c2;
                double den2 = vx + vy + c2;
                double num1 = 2 * mx * my + c1;
                double den1 = mx * mx + my * my + c1;
                double s = num1 * num2 / (den1 * den2);
                if (map != null) {
                    map[base + i] = s;
                }
                if (c >= cLo && c < cHi && (mask == null || mask[base + i])) {
                    sumS += s;
                    sumCs += num2 / den2;
                    count++;
                }
            }
        }
        sums[0] += sumS;
        sums[1] += sumCs;
        sums[2] += count;
    }

    /** Per-thread state: the ring of 2D-filtered slices and the z accumulator. */
    private static final class Worker {
        private final double[] x;
        private final double[] y;
        private final int nd;
        private final int nh;
        private final int nw;
        private final int k;
        private final int rad;
        private final double[] wts;
        private final boolean uniform;
        private final boolean is3d;
        private final int ringSize;
        private final double[][][] ring; // [slot][quantity][plane]
        private final int[] slotZ;
        private final int rowRingSize;
        private final double[][] rowRing; // [quantity][(k + 1) rows of W]
        private final int[] rowRingId;
        private final double[][] acc;
        private final double[] px;
        private final double[] py;

        Worker(
                double[] x,
                double[] y,
                int nd,
                int nh,
                int nw,
                int k,
                double[] wts,
                boolean uniform,
                boolean is3d) {
            this.x = x;
            this.y = y;
            this.nd = nd;
            this.nh = nh;
            this.nw = nw;
            this.k = k;
            this.rad = k / 2;
            this.wts = wts;
            this.uniform = uniform;
            this.is3d = is3d;
            int plane = nh * nw;
            this.ringSize = is3d ? Math.min(nd, k + 1) : 1;
            this.ring = new double[ringSize][5][plane];
            this.slotZ = new int[ringSize];
            java.util.Arrays.fill(slotZ, -1);
            this.rowRingSize = Math.min(nh, k + 1);
            this.rowRing = new double[5][rowRingSize * nw];
            this.rowRingId = new int[rowRingSize];
            this.acc = is3d ? new double[5][plane] : null;
            this.px = new double[nw + 2 * rad];
            this.py = new double[nw + 2 * rad];
        }

        private double[][] slice(int z) {
            int slot = z % ringSize;
            if (slotZ[slot] != z) {
                filter2d(z, ring[slot]);
                slotZ[slot] = z;
            }
            return ring[slot];
        }

        /** The five moments filtered in 3D (or 2D) at output slice d. */
        double[][] zFiltered(int d, boolean first) {
            if (!is3d) {
                return slice(0);
            }
            int plane = nh * nw;
            if (uniform && !first) {
                double[][] add = slice(reflect(d + rad, nd));
                double[][] sub = slice(reflect(d - rad - 1, nd));
                for (int q = 0; q < 5; q++) {
                    double[] a = acc[q];
                    double[] p = add[q];
                    double[] m = sub[q];
                    for (int i = 0; i < plane; i++) {
                        a[i] += p[i] - m[i];
                    }
                }
                return acc;
            }
            for (int q = 0; q < 5; q++) {
                java.util.Arrays.fill(acc[q], 0.0);
            }
            for (int t = 0; t < k; t++) {
                double[][] s = slice(reflect(d + t - rad, nd));
                double wt = uniform ? 1.0 : wts[t];
                for (int q = 0; q < 5; q++) {
                    double[] a = acc[q];
                    double[] p = s[q];
                    for (int i = 0; i < plane; i++) {
                        a[i] += wt * p[i];
                    }
                }
            }
            return acc;
        }

        /** Row-filtered row rr of slice z (five moments), from a ring of k + 1 rows. */
        private int rowSlot(int z, int rr) {
            int slot = rr % rowRingSize;
            if (rowRingId[slot] != rr) {
                filterRow(z * nh * nw + rr * nw, slot * nw);
                rowRingId[slot] = rr;
            }
            return slot * nw;
        }

        /** Filters one image row along x into the five row-ring arrays at offset dst. */
        private void filterRow(int off, int dst) {
            for (int i = 0; i < nw + 2 * rad; i++) {
                int c = reflect(i - rad, nw);
                px[i] = x[off + c];
                py[i] = y[off + c];
            }
            double[] tx = rowRing[0];
            double[] ty = rowRing[1];
            double[] txx = rowRing[2];
            double[] tyy = rowRing[3];
            double[] txy = rowRing[4];
            if (uniform) {
                double sx = 0;
                double sy = 0;
                double sxx = 0;
                double syy = 0;
                double sxy = 0;
                for (int i = 0; i < k; i++) {
                    double a = px[i];
                    double b = py[i];
                    sx += a;
                    sy += b;
                    sxx += a * a;
                    syy += b * b;
                    sxy += a * b;
                }
                for (int c = 0; ; c++) {
                    tx[dst + c] = sx;
                    ty[dst + c] = sy;
                    txx[dst + c] = sxx;
                    tyy[dst + c] = syy;
                    txy[dst + c] = sxy;
                    if (c == nw - 1) {
                        break;
                    }
                    double a = px[c + k];
                    double b = py[c + k];
                    double a0 = px[c];
                    double b0 = py[c];
                    sx += a - a0;
                    sy += b - b0;
                    sxx += a * a - a0 * a0;
                    syy += b * b - b0 * b0;
                    sxy += a * b - a0 * b0;
                }
            } else {
                for (int c = 0; c < nw; c++) {
                    double sx = 0;
                    double sy = 0;
                    double sxx = 0;
                    double syy = 0;
                    double sxy = 0;
                    for (int t = 0; t < k; t++) {
                        double wt = wts[t];
                        double a = px[c + t];
                        double b = py[c + t];
                        double wa = wt * a;
                        sx += wa;
                        sy += wt * b;
                        sxx += wa * a;
                        syy += wt * b * b;
                        sxy += wa * b;
                    }
                    tx[dst + c] = sx;
                    ty[dst + c] = sy;
                    txx[dst + c] = sxx;
                    tyy[dst + c] = syy;
                    txy[dst + c] = sxy;
                }
            }
        }

        /**
         * Slice z filtered along x then y into out[5][plane]; the x-filtered rows live in a ring of
         * k + 1 rows (kept in cache) instead of a full intermediate plane.
         */
        private void filter2d(int z, double[][] out) {
            java.util.Arrays.fill(rowRingId, -1);
            for (int r = 0; r < nh; r++) {
                int cur = r * nw;
                if (uniform && r > 0) {
                    int add = rowSlot(z, reflect(r + rad, nh));
                    int sub = rowSlot(z, reflect(r - rad - 1, nh));
                    int prev = cur - nw;
                    for (int q = 0; q < 5; q++) {
                        double[] o = out[q];
                        double[] rr = rowRing[q];
                        for (int c = 0; c < nw; c++) {
                            o[cur + c] = o[prev + c] + rr[add + c] - rr[sub + c];
                        }
                    }
                } else {
                    for (int q = 0; q < 5; q++) {
                        java.util.Arrays.fill(out[q], cur, cur + nw, 0.0);
                    }
                    for (int t = 0; t < k; t++) {
                        int src = rowSlot(z, reflect(r + t - rad, nh));
                        double wt = uniform ? 1.0 : wts[t];
                        for (int q = 0; q < 5; q++) {
                            double[] o = out[q];
                            double[] rr = rowRing[q];
                            for (int c = 0; c < nw; c++) {
                                o[cur + c] += wt * rr[src + c];
                            }
                        }
                    }
                }
            }
        }
    }
}
