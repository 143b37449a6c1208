package org.voxel4j.recon.metrics;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MAE, PSNR and SSIM exactly as METRICS.md defines them ("Image similarity"). Images are row-major
 * arrays with a shape {@code [H, W]} or {@code [D, H, W]}; axes of length 1 are dropped, so a
 * single-slice volume is compared as a 2D image. A mask selects the evaluated voxels; without one
 * the whole array is compared.
 */
public final class ImageMetrics {
    private ImageMetrics() {}

    /** Mean absolute error over the mask (null = all voxels). */
    public static double mae(double[] pred, double[] ref, boolean[] mask) {
        checkSame(pred, ref, mask);
        double s = 0;
        long n = 0;
        for (int i = 0; i < pred.length; i++) {
            if (mask == null || mask[i]) {
                s += Math.abs(pred[i] - ref[i]);
                n++;
            }
        }
        return s / requireVoxels(n);
    }

    /** Mean squared error over the mask. */
    public static double mse(double[] pred, double[] ref, boolean[] mask) {
        checkSame(pred, ref, mask);
        double s = 0;
        long n = 0;
        for (int i = 0; i < pred.length; i++) {
            if (mask == null || mask[i]) {
                double d = pred[i] - ref[i];
                s += d * d;
                n++;
            }
        }
        return s / requireVoxels(n);
    }

    /** {@code 10·log10(R² / MSE)} over the mask; +∞ for identical images. */
    public static double psnr(double[] pred, double[] ref, boolean[] mask, double dataRange) {
        checkRange(dataRange);
        double mse = mse(pred, ref, mask);
        return 10 * Math.log10(dataRange * dataRange / mse);
    }

    /** Mean SSIM over the cropped map (and the mask if given), see {@link SsimOptions}. */
    public static double ssim(
            double[] pred,
            double[] ref,
            int[] shape,
            boolean[] mask,
            SsimOptions options,
            double dataRange) {
        checkSame(pred, ref, mask);
        checkRange(dataRange);
        return SsimEngine.run(pred, ref, dims(shape, pred.length), mask, options, dataRange, false)
                .ssim();
    }

    /** The full SSIM map (same shape as the input, no cropping). */
    public static double[] ssimMap(
            double[] pred, double[] ref, int[] shape, SsimOptions options, double dataRange) {
        checkSame(pred, ref, null);
        checkRange(dataRange);
        return SsimEngine.run(pred, ref, dims(shape, pred.length), null, options, dataRange, true)
                .map();
    }

    /**
     * MAE, PSNR and SSIM under a preset.
     *
     * @param dataRange for {@link SsimPreset#WANG}: required (> 0); for {@link
     *     SsimPreset#SYNTHRAD2023}: NaN or 4024 (the range is fixed by the preset)
     */
    public static ImageQuality evaluate(
            double[] pred,
            double[] ref,
            int[] shape,
            boolean[] mask,
            SsimPreset preset,
            double dataRange) {
        checkSame(pred, ref, mask);
        int[] d = dims(shape, pred.length);
        if (preset == SsimPreset.WANG) {
            if (!(dataRange > 0) || Double.isInfinite(dataRange)) {
                throw new IllegalArgumentException(
                        "preset wang needs a positive data range, got " + dataRange);
            }
            double ssim =
                    SsimEngine.run(pred, ref, d, mask, SsimOptions.wang(), dataRange, false).ssim();
            return new ImageQuality(
                    mae(pred, ref, mask), psnr(pred, ref, mask, dataRange), ssim, preset);
        }
        double lo = SsimPreset.SYNTHRAD_MIN_HU;
        double hi = SsimPreset.SYNTHRAD_MAX_HU;
        double range = hi - lo;
        if (!Double.isNaN(dataRange) && dataRange != range) {
            throw new IllegalArgumentException(
                    "preset synthrad2023 fixes the data range to "
                            + range
                            + " (HU "
                            + lo
                            + ".."
                            + hi
                            + "), got "
                            + dataRange);
        }
        double mae = mae(pred, ref, mask);
        double[] pc = new double[pred.length];
        double[] rc = new double[ref.length];
        org.voxel4j.recon.Parallel.forRange(
                pred.length,
                (from, to) -> {
                    for (int i = from; i < to; i++) {
                        pc[i] = Math.min(hi, Math.max(lo, pred[i]));
                        rc[i] = Math.min(hi, Math.max(lo, ref[i]));
                    }
                });
        double psnr = psnr(pc, rc, mask, range);
        org.voxel4j.recon.Parallel.forRange(
                pred.length,
                (from, to) -> {
                    for (int i = from; i < to; i++) {
                        boolean in = mask == null || mask[i];
                        pc[i] = (in ? pc[i] : lo) - lo;
                        rc[i] = (in ? rc[i] : lo) - lo;
                    }
                });
        double ssim =
                SsimEngine.run(pc, rc, d, mask, SsimOptions.synthrad2023(), range, false).ssim();
        return new ImageQuality(mae, psnr, ssim, preset);
    }

    /**
     * INDArray entry point: {@code pred}, {@code ref} (and {@code mask}, nonzero = inside, may be
     * null) of one shape, 2D or 3D (length-1 axes dropped).
     */
    public static ImageQuality evaluate(
            INDArray pred, INDArray ref, INDArray mask, SsimPreset preset, double dataRange) {
        if (!Arrays.equals(pred.shape(), ref.shape())) {
            throw new IllegalArgumentException(
                    "prediction shape "
                            + Arrays.toString(pred.shape())
                            + " differs from reference shape "
                            + Arrays.toString(ref.shape()));
        }
        if (mask != null && !Arrays.equals(mask.shape(), ref.shape())) {
            throw new IllegalArgumentException(
                    "mask shape "
                            + Arrays.toString(mask.shape())
                            + " differs from image shape "
                            + Arrays.toString(ref.shape()));
        }
        long[] s = pred.shape();
        int[] shape = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            shape[i] = Math.toIntExact(s[i]);
        }
        boolean[] m = null;
        if (mask != null) {
            double[] md = toDouble(mask);
            m = new boolean[md.length];
            for (int i = 0; i < md.length; i++) {
                m[i] = md[i] != 0;
            }
        }
        return evaluate(toDouble(pred), toDouble(ref), shape, m, preset, dataRange);
    }

    static double[] toDouble(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    /** The shape as {@code [D, H, W]} with D = 1 for 2D, after dropping length-1 axes. */
    static int[] dims(int[] shape, int length) {
        if (shape == null) {
            throw new IllegalArgumentException("image shape is null");
        }
        int[] kept = Arrays.stream(shape).filter(v -> v != 1).toArray();
        long n = 1;
        for (int v : shape) {
            if (v < 1) {
                throw new IllegalArgumentException("bad image shape " + Arrays.toString(shape));
            }
            n *= v;
        }
        if (n != length) {
            throw new IllegalArgumentException(
                    "image shape "
                            + Arrays.toString(shape)
                            + " holds "
                            + n
                            + " values but the array has "
                            + length);
        }
        if (kept.length == 2) {
            return new int[] {1, kept[0], kept[1]};
        }
        if (kept.length == 3) {
            return kept;
        }
        throw new IllegalArgumentException(
                "image metrics need a 2D or 3D image (after dropping length-1 axes), got shape "
                        + Arrays.toString(shape));
    }

    private static void checkSame(double[] pred, double[] ref, boolean[] mask) {
        if (pred.length != ref.length) {
            throw new IllegalArgumentException(
                    "prediction has " + pred.length + " values, reference " + ref.length);
        }
        if (mask != null && mask.length != ref.length) {
            throw new IllegalArgumentException(
                    "mask has " + mask.length + " values, images " + ref.length);
        }
    }

    private static void checkRange(double r) {
        if (!(r > 0) || Double.isInfinite(r)) {
            throw new IllegalArgumentException("data range must be positive, got " + r);
        }
    }

    private static long requireVoxels(long n) {
        if (n == 0) {
            throw new IllegalArgumentException("the mask selects no voxel");
        }
        return n;
    }
}
