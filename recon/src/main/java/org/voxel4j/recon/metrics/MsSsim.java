package org.voxel4j.recon.metrics;

/**
 * Multi-scale SSIM (Z. Wang, E. P. Simoncelli, A. C. Bovik, "Multiscale structural similarity for
 * image quality assessment", Asilomar 2003, eq. 7): {@code MS-SSIM = Π_{j<M} cs_j^{w_j} ·
 * ssim_M^{w_M}} over M = 5 scales with weights 0.0448, 0.2856, 0.3001, 0.2363, 0.1333, where {@code
 * cs_j} is the mean contrast-structure term at scale j and {@code ssim_M} the mean SSIM at the
 * coarsest scale (the form of the reference implementations); each scale uses {@link
 * SsimOptions#wang()} (Gaussian σ 1.5, 11 taps, crop 5), and the next scale is the 2×(×2) mean of
 * the previous one (a trailing odd row/column/slice is dropped). Negative means are clamped to 0
 * before the power, as in pytorch-msssim. Every side must be at least 11·2⁴ = 176.
 */
public final class MsSsim {
    /** The five scale weights of Wang et al. 2003. */
    public static final double[] WEIGHTS = {0.0448, 0.2856, 0.3001, 0.2363, 0.1333};

    private MsSsim() {}

    /** MS-SSIM of two 2D or 3D images (length-1 axes dropped) with data range R. */
    public static double compute(double[] a, double[] b, int[] shape, double dataRange) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(
                    "images have " + a.length + " and " + b.length + " values");
        }
        if (!(dataRange > 0)) {
            throw new IllegalArgumentException("data range must be positive, got " + dataRange);
        }
        int[] d = ImageMetrics.dims(shape, a.length);
        boolean is3d = d[0] > 1;
        int min = 11 << 4;
        if (d[1] < min || d[2] < min || (is3d && d[0] < min)) {
            throw new IllegalArgumentException(
                    "MS-SSIM over 5 scales needs every side >= "
                            + min
                            + ", got "
                            + java.util.Arrays.toString(shape));
        }
        double result = 1;
        double[] x = a;
        double[] y = b;
        SsimOptions o = SsimOptions.wang();
        for (int j = 0; j < WEIGHTS.length; j++) {
            SsimEngine.Result r = SsimEngine.run(x, y, d, null, o, dataRange, false);
            double v = j < WEIGHTS.length - 1 ? r.cs() : r.ssim();
            result *= Math.pow(Math.max(v, 0), WEIGHTS[j]);
            if (j < WEIGHTS.length - 1) {
                int[] nd = {is3d ? d[0] / 2 : 1, d[1] / 2, d[2] / 2};
                x = downsample(x, d, nd, is3d);
                y = downsample(y, d, nd, is3d);
                d = nd;
            }
        }
        return result;
    }

    private static double[] downsample(double[] in, int[] d, int[] nd, boolean is3d) {
        double[] out = new double[nd[0] * nd[1] * nd[2]];
        int fz = is3d ? 2 : 1;
        double norm = 1.0 / (fz * 4);
        for (int k = 0; k < nd[0]; k++) {
            for (int r = 0; r < nd[1]; r++) {
                for (int c = 0; c < nd[2]; c++) {
                    double s = 0;
                    for (int dz = 0; dz < fz; dz++) {
                        for (int dr = 0; dr < 2; dr++) {
                            int base = ((k * fz + dz) * d[1] + 2 * r + dr) * d[2] + 2 * c;
                            s += in[base] + in[base + 1];
                        }
                    }
                    out[(k * nd[1] + r) * nd[2] + c] = s * norm;
                }
            }
        }
        return out;
    }
}
