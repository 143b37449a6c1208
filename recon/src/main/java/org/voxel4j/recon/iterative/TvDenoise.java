package org.voxel4j.recon.iterative;

import java.util.Arrays;

/**
 * Total-variation denoising by Chambolle's projection algorithm (A. Chambolle, "An algorithm for
 * total variation minimization and applications", J. Math. Imaging Vis. 20, 2004): solves {@code
 * min_u ½‖u − f‖² + weight·TV(u)} (isotropic TV, forward differences), for 2D or 3D arrays. The
 * iteration, step τ = 1/(2·ndim) and stopping rule (|E_k − E_{k−1}| &lt; eps·E_0 on the dual
 * energy) follow scikit-image's {@code denoise_tv_chambolle} (n-D version) exactly, so the output
 * matches it to rounding; used as the TV step of the iterative solvers.
 */
public final class TvDenoise {
    private TvDenoise() {}

    /**
     * Denoises {@code image} (row-major, {@code shape} 2D or 3D); returns a new array.
     *
     * @param weight TV weight (> 0); larger removes more
     * @param eps relative stopping tolerance (scikit-image default 2e-4)
     * @param maxIterations iteration cap (scikit-image default 200)
     */
    public static double[] chambolle(
            double[] image, int[] shape, double weight, double eps, int maxIterations) {
        if (!(weight > 0)) {
            throw new IllegalArgumentException("TV weight must be positive, got " + weight);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
        }
        int ndim = shape.length;
        if (ndim < 1 || ndim > 3) {
            throw new IllegalArgumentException(
                    "TV denoising needs a 1D-3D shape, got " + Arrays.toString(shape));
        }
        int n = image.length;
        long count = 1;
        for (int s : shape) {
            count *= s;
        }
        if (count != n) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " does not hold " + n + " values");
        }
        int[] stride = new int[ndim];
        stride[ndim - 1] = 1;
        for (int a = ndim - 2; a >= 0; a--) {
            stride[a] = stride[a + 1] * shape[a + 1];
        }
        double[][] p = new double[ndim][n];
        double[][] g = new double[ndim][n];
        double[] d = new double[n];
        double[] out = image.clone();
        double tau = 1.0 / (2.0 * ndim);
        double eInit = 0;
        double ePrev = 0;
        for (int it = 0; it < maxIterations; it++) {
            if (it > 0) {
                // d = -div p  (negative divergence, backward differences)
                for (int i = 0; i < n; i++) {
                    double s = 0;
                    for (int a = 0; a < ndim; a++) {
                        s -= p[a][i];
                    }
                    d[i] = s;
                }
                for (int a = 0; a < ndim; a++) {
                    double[] pa = p[a];
                    int st = stride[a];
                    int len = shape[a];
                    for (int i = 0; i < n; i++) {
                        int coord = (i / st) % len;
                        if (coord >= 1) {
                            d[i] += pa[i - st];
                        }
                    }
                }
                for (int i = 0; i < n; i++) {
                    out[i] = image[i] + d[i];
                }
            }
            double e = 0;
            for (int i = 0; i < n; i++) {
                e += d[i] * d[i];
            }
            // g = forward differences of out (zero at the last index of each axis)
            for (int a = 0; a < ndim; a++) {
                double[] ga = g[a];
                int st = stride[a];
                int len = shape[a];
                for (int i = 0; i < n; i++) {
                    int coord = (i / st) % len;
                    ga[i] = coord < len - 1 ? out[i + st] - out[i] : 0;
                }
            }
            double normSum = 0;
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int a = 0; a < ndim; a++) {
                    s += g[a][i] * g[a][i];
                }
                double norm = Math.sqrt(s);
                normSum += norm;
                double denom = 1 + norm * tau / weight;
                for (int a = 0; a < ndim; a++) {
                    p[a][i] = (p[a][i] - tau * g[a][i]) / denom;
                }
            }
            e += weight * normSum;
            e /= n;
            if (it == 0) {
                eInit = e;
                ePrev = e;
            } else {
                if (Math.abs(ePrev - e) < eps * eInit) {
                    break;
                }
                ePrev = e;
            }
        }
        return out;
    }
}
