package org.voxel4j.recon.fbp;

import org.jtransforms.fft.DoubleFFT_1D;
import org.voxel4j.recon.Parallel;

/**
 * Row-wise ramp filtering with zero padding, via JTransforms' real FFT. The response is the DFT of
 * the band-limited spatial ramp kernel of Kak &amp; Slaney (eq. 3.61: h(0) = 1/(4τ²), h(nτ) =
 * −1/(nπτ)² for odd n, 0 for even n), which avoids the DC bias of sampling |ω| directly (the same
 * construction as scikit-image's {@code iradon}); for an equiangular fan the kernel is multiplied
 * by (nΔγ / sin nΔγ)² (Kak &amp; Slaney eq. 3.118).
 */
final class RampFilter {
    private final int n;
    private final int padded;
    private final double[] response;

    /**
     * @param n samples per row
     * @param tau sample spacing (length for parallel/flat, radians for equiangular)
     * @param equiangular whether to apply the (γ / sin γ)² factor
     */
    RampFilter(int n, double tau, boolean equiangular, FbpFilter filter) {
        this.n = n;
        this.padded = paddedLength(n);
        double[] k = new double[padded];
        for (int i = 0; i < padded; i++) {
            int m = i <= padded / 2 ? i : i - padded;
            double v;
            if (m == 0) {
                v = 0.25;
            } else if ((m & 1) != 0) {
                v = -1.0 / (Math.PI * Math.PI * (double) m * m);
            } else {
                v = 0;
            }
            if (equiangular && m != 0) {
                double g = m * tau;
                double r = g / Math.sin(g);
                v *= r * r;
            }
            k[i] = v;
        }
        new DoubleFFT_1D(padded).realForward(k);
        response = new double[padded / 2 + 1];
        response[0] = k[0] / tau;
        response[padded / 2] = k[1] / tau * filter.type().window(1.0, filter.cutoff());
        for (int i = 1; i < padded / 2; i++) {
            double nu = i / (padded / 2.0);
            response[i] = k[2 * i] / tau * filter.type().window(nu, filter.cutoff());
        }
    }

    /** max(64, next power of two ≥ 2n): the padding of scikit-image, no circular wrap-around. */
    static int paddedLength(int n) {
        int p = 64;
        while (p < 2 * n) {
            p <<= 1;
        }
        return p;
    }

    double[] response() {
        return response.clone();
    }

    /** Filters {@code rows} rows of length n in place. */
    void apply(double[] data, int rows) {
        Parallel.forRange(
                rows,
                (from, to) -> {
                    DoubleFFT_1D fft = new DoubleFFT_1D(padded);
                    double[] buf = new double[padded];
                    for (int r = from; r < to; r++) {
                        System.arraycopy(data, r * n, buf, 0, n);
                        java.util.Arrays.fill(buf, n, padded, 0.0);
                        fft.realForward(buf);
                        buf[0] *= response[0];
                        buf[1] *= response[padded / 2];
                        for (int i = 1; i < padded / 2; i++) {
                            double h = response[i];
                            buf[2 * i] *= h;
                            buf[2 * i + 1] *= h;
                        }
                        fft.realInverse(buf, true);
                        System.arraycopy(buf, 0, data, r * n, n);
                    }
                });
    }
}
