package org.voxel4j.nn.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Forward and backward kernels of the normalisations, in Java on dense arrays.
 *
 * <p><b>Channel norms</b> (instance, group, batch): {@code x} is viewed as {@code [N, C, S]}, the
 * {@code (n, c)} pairs are contiguous segments of {@code S} values, and each statistics group is a
 * set of segments: {@code (n, c)} alone (instance), the {@code C/G} consecutive channels of a group
 * in one sample (group), or one channel over all samples (batch). With {@code M} values per group,
 * mean {@code μ}, biased variance {@code σ²} and {@code r = 1/sqrt(σ² + eps)}:
 *
 * <pre>
 *   forward   y = γ_c · (x − μ) · r + β_c              (2 passes: μ and σ² per block, write y)
 *   backward  dβ_c = Σ dy,   dγ_c = Σ dy · (x − μ) · r
 *             m1 = (1/M) Σ_group γ_c · dy,   m2 = (1/M) Σ_group γ_c · dy · (x − μ) · r
 *             dx = r·γ_c · dy − r²·m2 · (x − μ) − r·m1             (2 passes: sums, write dx)
 *                  + (2/M)·dσ² · (x − μ) + (1/M)·dμ               (if μ, σ² are used downstream)
 * </pre>
 *
 * which is the usual batch-norm backward (Ioffe &amp; Szegedy 2015, §3) written so that one read of
 * {@code (x, dy)} gives every per-group sum and one more pass writes {@code dx}. Sums are
 * accumulated in double; per-element arithmetic runs in the arrays' precision.
 *
 * <p><b>Row norms</b> (layer norm over trailing axes): {@code x} is viewed as {@code [R, K]} with
 * elementwise {@code γ_k, β_k}; the same formulas with the group being one row and {@code γ}
 * indexed by position.
 */
final class NormKernels {
    private NormKernels() {}

    /** How statistics groups are formed from {@code (n, c)} segments. */
    enum Mode {
        INSTANCE,
        GROUP,
        BATCH;

        static Mode of(long code) {
            return values()[(int) code];
        }
    }

    /** Shape facts of a channel-norm input. */
    record Layout(Mode mode, int n, int c, int s, int groupsPerSample) {
        static Layout of(Mode mode, long[] shape, int groups) {
            if (shape.length < 2) {
                throw new IllegalArgumentException(
                        "normalisation expects [N, C, ...], got rank " + shape.length);
            }
            long s = 1;
            for (int i = 2; i < shape.length; i++) {
                s *= shape[i];
            }
            long total = shape[0] * shape[1] * s;
            if (total > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(
                        "normalisation input too large for the engine kernels: "
                                + java.util.Arrays.toString(shape));
            }
            int c = (int) shape[1];
            int g =
                    switch (mode) {
                        case INSTANCE -> c;
                        case GROUP -> groups;
                        case BATCH -> 1;
                    };
            if (mode == Mode.GROUP && c % groups != 0) {
                throw new IllegalArgumentException(
                        "group norm: channels (" + c + ") must be divisible by groups=" + groups);
            }
            return new Layout(mode, (int) shape[0], c, (int) s, g);
        }

        /** Number of statistics groups. */
        int groups() {
            return mode == Mode.BATCH ? c : n * groupsPerSample;
        }

        /** Values per group. */
        long perGroup() {
            return switch (mode) {
                case INSTANCE -> s;
                case GROUP -> (long) (c / groupsPerSample) * s;
                case BATCH -> (long) n * s;
            };
        }

        /** Statistics group of segment {@code (seg / C, seg % C)}. */
        int groupOf(int seg) {
            return switch (mode) {
                case INSTANCE -> seg;
                case GROUP -> (seg / c) * groupsPerSample + (seg % c) / (c / groupsPerSample);
                case BATCH -> seg % c;
            };
        }

        int segments() {
            return n * c;
        }

        /** Segments per statistics group. */
        int segmentsPerGroup() {
            return switch (mode) {
                case INSTANCE -> 1;
                case GROUP -> c / groupsPerSample;
                case BATCH -> n;
            };
        }

        /** The {@code j}-th segment of group {@code g}. */
        int segment(int g, int j) {
            return switch (mode) {
                case INSTANCE -> g;
                case GROUP ->
                        (g / groupsPerSample) * c
                                + (g % groupsPerSample) * (c / groupsPerSample)
                                + j;
                case BATCH -> j * c + g;
            };
        }

        /** Shape of the per-group statistics: [N, C], [N, G] or [C]. */
        long[] statsShape() {
            return switch (mode) {
                case INSTANCE -> new long[] {n, c};
                case GROUP -> new long[] {n, groupsPerSample};
                case BATCH -> new long[] {c};
            };
        }
    }

    /**
     * Channel-norm forward: writes {@code y}, the group means and biased variances.
     *
     * @param gamma per-channel scale or null
     * @param beta per-channel shift or null
     * @param slope NaN for no activation, else {@code y} is passed through a leaky ReLU of this
     *     slope (the statistics outputs are those of the normalisation)
     */
    static void channelForward(
            Layout l,
            INDArray xArr,
            INDArray gammaArr,
            INDArray betaArr,
            double eps,
            double slope,
            INDArray yArr,
            INDArray meanArr,
            INDArray varArr) {
        Buf x = Buf.of(xArr);
        Buf y = Buf.of(yArr);
        double[] gamma = gammaArr == null ? null : channelValues(gammaArr, l.c(), "gamma");
        double[] beta = betaArr == null ? null : channelValues(betaArr, l.c(), "beta");
        int s = l.s();
        int groups = l.groups();
        int per = l.segmentsPerGroup();
        int c = l.c();
        double m = l.perGroup();
        double[] mean = new double[groups];
        double[] var = new double[groups];
        // Group by group: statistics, then the output, while the group's data is still in cache.
        Parallel.range(
                groups,
                (long) per * s,
                (from, to) -> {
                    double[] acc = new double[2];
                    double[] segMean = new double[per];
                    double[] segM2 = new double[per];
                    for (int g = from; g < to; g++) {
                        // Mean and M2 per segment in one read; exact pairwise merge per group.
                        double mu = 0;
                        for (int j = 0; j < per; j++) {
                            x.stats(l.segment(g, j) * s, s, acc);
                            segMean[j] = acc[0];
                            segM2[j] = acc[1];
                            mu += acc[0] * s;
                        }
                        mu /= m;
                        double v = 0;
                        for (int j = 0; j < per; j++) {
                            double d = segMean[j] - mu;
                            v += segM2[j] + d * d * s;
                        }
                        v /= m;
                        mean[g] = mu;
                        var[g] = v;
                        double rstd = 1.0 / Math.sqrt(v + eps);
                        for (int j = 0; j < per; j++) {
                            int seg = l.segment(g, j);
                            int ch = seg % c;
                            double a = rstd * (gamma == null ? 1 : gamma[ch]);
                            double b = beta == null ? 0 : beta[ch];
                            if (Double.isNaN(slope)) {
                                x.scaleShiftTo(y, seg * s, s, mu, a, b);
                            } else {
                                x.scaleShiftActTo(y, seg * s, s, mu, a, b, slope);
                            }
                        }
                    }
                });
        write(meanArr, mean);
        write(varArr, var);
    }

    /**
     * Channel-norm backward.
     *
     * @param betaArr per-channel shift (needed only with an activation), or null
     * @param gmean gradient with respect to the mean output, or null
     * @param gvar gradient with respect to the variance output, or null
     * @param slope NaN, or the fused leaky ReLU's slope: the upstream gradient is then multiplied
     *     by the activation's derivative at the recomputed pre-activation
     * @param dgammaArr output for dγ, or null
     * @param dbetaArr output for dβ, or null
     */
    static void channelBackward(
            Layout l,
            INDArray xArr,
            INDArray dyArr,
            INDArray meanArr,
            INDArray varArr,
            INDArray gammaArr,
            INDArray betaArr,
            INDArray gmeanArr,
            INDArray gvarArr,
            double eps,
            double slope,
            INDArray dxArr,
            INDArray dgammaArr,
            INDArray dbetaArr) {
        Buf x = Buf.of(xArr);
        Buf dy = Buf.of(dyArr);
        Buf dx = Buf.of(dxArr);
        int groups = l.groups();
        int c = l.c();
        double[] gamma = gammaArr == null ? null : channelValues(gammaArr, c, "gamma");
        double[] beta = betaArr == null ? null : channelValues(betaArr, c, "beta");
        boolean act = !Double.isNaN(slope);
        double[] mean = values(meanArr, groups, "mean");
        double[] var = values(varArr, groups, "variance");
        double[] gmean = gmeanArr == null ? null : values(gmeanArr, groups, "mean gradient");
        double[] gvar = gvarArr == null ? null : values(gvarArr, groups, "variance gradient");
        double[] rstd = new double[groups];
        for (int g = 0; g < groups; g++) {
            rstd[g] = 1.0 / Math.sqrt(var[g] + eps);
        }
        int segs = l.segments();
        int s = l.s();
        int per = l.segmentsPerGroup();
        double m = l.perGroup();
        double[] sdy = new double[segs];
        double[] sdyx = new double[segs];
        // Group by group: the sums, then dx, while the group's data is still in cache.
        Parallel.range(
                groups,
                5L * per * s,
                (from, to) -> {
                    double[] acc = new double[2];
                    for (int g = from; g < to; g++) {
                        double r = rstd[g];
                        double m1 = 0;
                        double m2 = 0;
                        for (int j = 0; j < per; j++) {
                            int seg = l.segment(g, j);
                            int ch = seg % c;
                            double gc = gamma == null ? 1 : gamma[ch];
                            if (act) {
                                x.gradSumsAct(
                                        dy,
                                        seg * s,
                                        s,
                                        mean[g],
                                        r * gc,
                                        beta == null ? 0 : beta[ch],
                                        slope,
                                        acc);
                            } else {
                                x.gradSums(dy, seg * s, s, mean[g], acc);
                            }
                            sdy[seg] = acc[0];
                            sdyx[seg] = acc[1];
                            m1 += gc * acc[0];
                            m2 += gc * acc[1] * r;
                        }
                        double b = -r * r * m2 / m;
                        double k = -r * m1 / m;
                        if (gvar != null) {
                            b += 2 * gvar[g] / m;
                        }
                        if (gmean != null) {
                            k += gmean[g] / m;
                        }
                        for (int j = 0; j < per; j++) {
                            int seg = l.segment(g, j);
                            int ch = seg % c;
                            double gc = gamma == null ? 1 : gamma[ch];
                            if (act) {
                                x.combineActTo(
                                        dx,
                                        dy,
                                        seg * s,
                                        s,
                                        r * gc,
                                        b,
                                        mean[g],
                                        k,
                                        r * gc,
                                        beta == null ? 0 : beta[ch],
                                        slope);
                            } else {
                                x.combineTo(dx, dy, seg * s, s, r * gc, b, mean[g], k);
                            }
                        }
                    }
                });
        double[] dgamma = new double[c];
        double[] dbeta = new double[c];
        for (int i = 0; i < segs; i++) {
            int ch = i % c;
            dbeta[ch] += sdy[i];
            dgamma[ch] += sdyx[i] * rstd[l.groupOf(i)];
        }
        if (dgammaArr != null) {
            write(dgammaArr, dgamma);
        }
        if (dbetaArr != null) {
            write(dbetaArr, dbeta);
        }
    }

    /**
     * Row-norm forward over {@code [R, K]} rows with elementwise {@code γ}, {@code β} of length
     * {@code K} (either may be null).
     */
    static void rowForward(
            int rows,
            int k,
            INDArray xArr,
            INDArray gammaArr,
            INDArray betaArr,
            double eps,
            INDArray yArr,
            INDArray meanArr,
            INDArray varArr) {
        Buf x = Buf.of(xArr);
        Buf y = Buf.of(yArr);
        double[] gamma = gammaArr == null ? null : values(gammaArr, k, "gamma");
        double[] beta = betaArr == null ? null : values(betaArr, k, "beta");
        double[] mean = new double[rows];
        double[] var = new double[rows];
        Parallel.range(
                rows,
                3L * k,
                (from, to) -> {
                    for (int r = from; r < to; r++) {
                        int o = r * k;
                        double mu = x.sum(o, k) / k;
                        double v = x.sumSqDev(o, k, mu) / k;
                        mean[r] = mu;
                        var[r] = v;
                        double rs = 1.0 / Math.sqrt(v + eps);
                        if (gamma == null && beta == null) {
                            x.scaleShiftTo(y, o, k, mu, rs, 0);
                        } else {
                            for (int j = 0; j < k; j++) {
                                double h = (x.get(o + j) - mu) * rs;
                                y.set(
                                        o + j,
                                        h * (gamma == null ? 1 : gamma[j])
                                                + (beta == null ? 0 : beta[j]));
                            }
                        }
                    }
                });
        write(meanArr, mean);
        write(varArr, var);
    }

    /** Row-norm backward; see {@link #rowForward}. */
    static void rowBackward(
            int rows,
            int k,
            INDArray xArr,
            INDArray dyArr,
            INDArray meanArr,
            INDArray varArr,
            INDArray gammaArr,
            INDArray gmeanArr,
            INDArray gvarArr,
            double eps,
            INDArray dxArr,
            INDArray dgammaArr,
            INDArray dbetaArr) {
        Buf x = Buf.of(xArr);
        Buf dy = Buf.of(dyArr);
        Buf dx = Buf.of(dxArr);
        double[] gamma = gammaArr == null ? null : values(gammaArr, k, "gamma");
        double[] mean = values(meanArr, rows, "mean");
        double[] var = values(varArr, rows, "variance");
        double[] gmean = gmeanArr == null ? null : values(gmeanArr, rows, "mean gradient");
        double[] gvar = gvarArr == null ? null : values(gvarArr, rows, "variance gradient");
        int parts = Math.max(1, Math.min(Parallel.THREADS, rows));
        double[][] dgammaParts = new double[parts][k];
        double[][] dbetaParts = new double[parts][k];
        Parallel.range(
                parts,
                (long) rows * k * 3 / parts,
                (pFrom, pTo) -> {
                    for (int p = pFrom; p < pTo; p++) {
                        double[] dg = dgammaParts[p];
                        double[] db = dbetaParts[p];
                        int rFrom = (int) ((long) rows * p / parts);
                        int rTo = (int) ((long) rows * (p + 1) / parts);
                        for (int r = rFrom; r < rTo; r++) {
                            int o = r * k;
                            double mu = mean[r];
                            double rs = 1.0 / Math.sqrt(var[r] + eps);
                            double s1 = 0;
                            double s2 = 0;
                            for (int j = 0; j < k; j++) {
                                double g = dy.get(o + j);
                                double h = (x.get(o + j) - mu) * rs;
                                double gg = g * (gamma == null ? 1 : gamma[j]);
                                s1 += gg;
                                s2 += gg * h;
                                dg[j] += g * h;
                                db[j] += g;
                            }
                            double m1 = s1 / k;
                            double m2 = s2 / k;
                            double extraB = gvar == null ? 0 : 2 * gvar[r] / k;
                            double extraC = gmean == null ? 0 : gmean[r] / k;
                            for (int j = 0; j < k; j++) {
                                double d = x.get(o + j) - mu;
                                double gg = dy.get(o + j) * (gamma == null ? 1 : gamma[j]);
                                dx.set(o + j, rs * (gg - m1 - d * rs * m2) + extraB * d + extraC);
                            }
                        }
                    }
                });
        if (dgammaArr != null) {
            write(dgammaArr, sumParts(dgammaParts, k));
        }
        if (dbetaArr != null) {
            write(dbetaArr, sumParts(dbetaParts, k));
        }
    }

    private static double[] sumParts(double[][] parts, int k) {
        double[] out = new double[k];
        for (double[] p : parts) {
            for (int j = 0; j < k; j++) {
                out[j] += p[j];
            }
        }
        return out;
    }

    private static double[] channelValues(INDArray a, int c, String what) {
        return values(a, c, what);
    }

    /** The values of a small array as doubles, checking their number. */
    private static double[] values(INDArray a, int expected, String what) {
        if (a.length() != expected) {
            throw new IllegalArgumentException(
                    "normalisation "
                            + what
                            + " has "
                            + a.length()
                            + " values, expected "
                            + expected
                            + " (shape "
                            + java.util.Arrays.toString(a.shape())
                            + ")");
        }
        Buf b = Buf.of(Buf.denseCopy(a));
        double[] v = new double[expected];
        for (int i = 0; i < expected; i++) {
            v[i] = b.get(i);
        }
        return v;
    }

    private static void write(INDArray a, double[] v) {
        Buf b = Buf.of(a);
        for (int i = 0; i < v.length; i++) {
            b.set(i, v[i]);
        }
    }
}
