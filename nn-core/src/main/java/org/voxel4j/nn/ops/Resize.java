package org.voxel4j.nn.ops;

import java.util.Arrays;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Resampling of channels-first tensors {@code [N, C, *S]} (1 to 3 spatial axes) with PyTorch {@code
 * F.interpolate} semantics, and average-pool downsampling.
 *
 * <p>ND4J's {@code resizeBiLinear} and {@code imageResize} are broken in 1.0.0-M2.1 (NPE /
 * reflection error), so everything here is built from slices, concatenation, reshapes and matrix
 * products, all separable per axis:
 *
 * <ul>
 *   <li>{@link #upsampleNearest} and {@link #upsampleLinear} take integer scale factors and need no
 *       static shapes. Linear upsampling uses PyTorch's default {@code align_corners=False}: output
 *       {@code j} samples the input at {@code (j + 0.5) / f - 0.5}, clamped to the edge. For {@code
 *       j = f i + r} that is a fixed two-tap stencil on {@code (x[i-1], x[i])} or {@code (x[i],
 *       x[i+1])} depending on the phase {@code r}, evaluated on a replicate-padded copy (the
 *       padding reproduces PyTorch's edge clamping) and interleaved. For {@code f = 2} this equals
 *       nearest upsampling followed by the {@code [1/4, 1/2, 1/4]} smoothing.
 *   <li>{@link #resize} goes to an explicit output size and needs the input's spatial size as an
 *       explicit argument (interpolation weights depend on it; shapes are not known when the graph
 *       is built). Each axis is resampled by a matrix product with a {@code [in, out]}
 *       interpolation matrix after moving that axis last. Modes: nearest (PyTorch's legacy {@code
 *       'nearest'}), linear ({@code 'linear'/'bilinear'/'trilinear'}, either {@code align_corners})
 *       and area ({@code 'area'} = adaptive average pooling). With {@code align_corners=True} the
 *       weights depend on the input size, so linear upsampling with that flag must go through this
 *       method.
 *   <li>{@link #avgPool} averages non-overlapping {@code f}-blocks (PyTorch {@code F.avg_pool3d(x,
 *       f, f)}: trailing elements that do not fill a block are dropped), for input pyramids; built
 *       from a crop and the sum of the {@code f} strided phases {@code x[r::f]} per axis, which
 *       works for 1 to 3 spatial axes alike.
 * </ul>
 */
public final class Resize {
    private Resize() {}

    /** Interpolation mode of {@link #resize}. */
    public enum Mode {
        /** PyTorch {@code mode='nearest'}: {@code src = min(floor(j * in / out), in - 1)}. */
        NEAREST,
        /** PyTorch {@code 'linear'}, {@code 'bilinear'}, {@code 'trilinear'}. */
        LINEAR,
        /** PyTorch {@code mode='area'}: adaptive average pooling. */
        AREA
    }

    /**
     * Nearest-neighbour upsampling by integer factors (PyTorch {@code F.interpolate(x,
     * scale_factor=factors, mode='nearest')}): every element is repeated {@code f} times along each
     * axis.
     *
     * @param factors one factor ≥ 1 per spatial axis; their number gives the rank
     */
    public static SDVariable upsampleNearest(SameDiff sd, SDVariable x, int... factors) {
        int rank = checkFactors(factors) + 2;
        SDVariable out = x;
        for (int i = 0; i < factors.length; i++) {
            out = Shapes.repeatInterleave(sd, out, rank, 2 + i, factors[i]);
        }
        return out;
    }

    /**
     * Linear / bilinear / trilinear upsampling by integer factors with {@code align_corners=False}
     * (PyTorch {@code F.interpolate(x, scale_factor=factors, mode='trilinear')} and its 1D/2D
     * forms). No static shapes needed.
     *
     * @param factors one factor ≥ 1 per spatial axis; their number gives the rank
     */
    public static SDVariable upsampleLinear(SameDiff sd, SDVariable x, int... factors) {
        int rank = checkFactors(factors) + 2;
        SDVariable out = x;
        for (int i = 0; i < factors.length; i++) {
            out = upsampleLinearAxis(sd, out, rank, 2 + i, factors[i]);
        }
        return out;
    }

    /**
     * Resamples the spatial axes from {@code inSize} to {@code outSize} (PyTorch {@code
     * F.interpolate(x, size=outSize, mode=..., align_corners=...)}).
     *
     * @param mode interpolation mode
     * @param alignCorners PyTorch's {@code align_corners} (default false); only meaningful for
     *     {@link Mode#LINEAR}, must be false otherwise
     * @param inSize the input's spatial size (must match the run-time shape: the weights are
     *     computed from it)
     * @param outSize the wanted spatial size
     */
    public static SDVariable resize(
            SameDiff sd,
            SDVariable x,
            Mode mode,
            boolean alignCorners,
            long[] inSize,
            long[] outSize) {
        if (mode == null) {
            throw new IllegalArgumentException("resize mode must not be null");
        }
        if (inSize == null || outSize == null || inSize.length != outSize.length) {
            throw new IllegalArgumentException(
                    "inSize and outSize must have one entry per spatial axis, got "
                            + Arrays.toString(inSize)
                            + " and "
                            + Arrays.toString(outSize));
        }
        Shapes.checkSpatialDims(inSize.length);
        for (int i = 0; i < inSize.length; i++) {
            if (inSize[i] < 1 || outSize[i] < 1) {
                throw new IllegalArgumentException(
                        "sizes must be >= 1, got inSize "
                                + Arrays.toString(inSize)
                                + " outSize "
                                + Arrays.toString(outSize));
            }
        }
        if (alignCorners && mode != Mode.LINEAR) {
            throw new IllegalArgumentException(
                    "align_corners only applies to LINEAR mode (as in PyTorch), got " + mode);
        }
        int rank = inSize.length + 2;
        SDVariable out = x;
        for (int i = 0; i < inSize.length; i++) {
            double[][] m = matrix(mode, alignCorners, (int) inSize[i], (int) outSize[i]);
            if (!isIdentity(m)) {
                out = applyAlongAxis(sd, out, rank, 2 + i, m);
            }
        }
        return out;
    }

    /**
     * Average pooling with kernel = stride = {@code factors} and no padding (PyTorch {@code
     * F.avg_pool{1,2,3}d(x, factors, factors)}): each output element is the mean of a
     * non-overlapping block; elements beyond the last full block are dropped.
     *
     * @param factors one factor ≥ 1 per spatial axis; their number gives the rank
     */
    public static SDVariable avgPool(SameDiff sd, SDVariable x, int... factors) {
        int k = checkFactors(factors);
        int rank = k + 2;
        if (Arrays.stream(factors).allMatch(f -> f == 1)) {
            return x;
        }
        // Crop every axis to a whole number of blocks, then average the f phases x[r::f].
        long[] f = new long[rank];
        Arrays.fill(f, 1);
        for (int i = 0; i < k; i++) {
            f[2 + i] = factors[i];
        }
        SDVariable fs = Shapes.longs(sd, f);
        SDVariable end = sd.shape(x).div(fs).mul(fs);
        long[] ones = new long[rank];
        Arrays.fill(ones, 1);
        SDVariable out =
                sd.stridedSlice(
                        x,
                        Shapes.longs(sd, new long[rank]),
                        end,
                        Shapes.longs(sd, ones),
                        0,
                        0,
                        0,
                        0,
                        0);
        for (int i = 0; i < k; i++) {
            int axis = 2 + i;
            if (factors[i] == 1) {
                continue;
            }
            SDVariable sum = null;
            for (int r = 0; r < factors[i]; r++) {
                SDVariable phase = Shapes.slice(sd, out, rank, axis, r, Shapes.END, factors[i]);
                sum = sum == null ? phase : sum.add(phase);
            }
            out = sum.mul(1.0 / factors[i]);
        }
        return out;
    }

    /**
     * The {@code [out, in]} interpolation matrix of one axis: {@code y = M x} resamples a vector of
     * length {@code in} to length {@code out} with PyTorch's index arithmetic.
     */
    public static double[][] matrix(Mode mode, boolean alignCorners, int in, int out) {
        double[][] m = new double[out][in];
        switch (mode) {
            case NEAREST -> {
                // PyTorch 1.13 nearest_idx(): float arithmetic, with exact shortcuts.
                float scale = (float) in / out;
                for (int j = 0; j < out; j++) {
                    int src;
                    if (out == in) {
                        src = j;
                    } else if (out == 2 * in) {
                        src = j >> 1;
                    } else {
                        src = Math.min((int) Math.floor(j * scale), in - 1);
                    }
                    m[j][src] = 1;
                }
            }
            case LINEAR -> {
                double scale =
                        alignCorners
                                ? (out > 1 ? (double) (in - 1) / (out - 1) : 0)
                                : (double) in / out;
                for (int j = 0; j < out; j++) {
                    double src = alignCorners ? scale * j : scale * (j + 0.5) - 0.5;
                    if (src < 0) {
                        src = 0;
                    }
                    int i0 = (int) src;
                    int i1 = i0 < in - 1 ? i0 + 1 : i0;
                    double l1 = src - i0;
                    m[j][i0] += 1 - l1;
                    m[j][i1] += l1;
                }
            }
            case AREA -> {
                for (int j = 0; j < out; j++) {
                    int start = (int) Math.floorDiv((long) j * in, out);
                    int end = (int) (((long) (j + 1) * in + out - 1) / out);
                    for (int i = start; i < end; i++) {
                        m[j][i] = 1.0 / (end - start);
                    }
                }
            }
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
        return m;
    }

    private static SDVariable upsampleLinearAxis(
            SameDiff sd, SDVariable x, int rank, int axis, int f) {
        if (f == 1) {
            return x;
        }
        SDVariable xp = Padding.padAxis(sd, x, rank, axis, 1, 1, Padding.Mode.REPLICATE);
        SDVariable prev = Shapes.slice(sd, xp, rank, axis, 0, -2);
        SDVariable mid = Shapes.slice(sd, xp, rank, axis, 1, -1);
        SDVariable next = Shapes.slice(sd, xp, rank, axis, 2, Shapes.END);
        SDVariable[] phases = new SDVariable[f];
        for (int r = 0; r < f; r++) {
            // Offset of the sample point from input index i for output f*i + r.
            double delta = (2.0 * r + 1 - f) / (2.0 * f);
            if (delta < 0) {
                phases[r] = prev.mul(-delta).add(mid.mul(1 + delta));
            } else if (delta > 0) {
                phases[r] = mid.mul(1 - delta).add(next.mul(delta));
            } else {
                phases[r] = mid;
            }
        }
        return Shapes.interleave(sd, rank, axis, phases);
    }

    private static SDVariable applyAlongAxis(
            SameDiff sd, SDVariable x, int rank, int axis, double[][] m) {
        int out = m.length;
        int in = m[0].length;
        int[] perm = new int[rank];
        int[] inverse = new int[rank];
        for (int d = 0, p = 0; d < rank; d++) {
            if (d != axis) {
                perm[p++] = d;
            }
        }
        perm[rank - 1] = axis;
        for (int d = 0; d < rank; d++) {
            inverse[perm[d]] = d;
        }
        boolean last = axis == rank - 1;
        SDVariable xt = last ? x : sd.permute(x, perm);
        SDVariable shape = sd.shape(xt);
        INDArray mt = Nd4j.create(DataType.DOUBLE, in, out);
        for (int j = 0; j < out; j++) {
            for (int i = 0; i < in; i++) {
                mt.putScalar(i, j, m[j][i]);
            }
        }
        SDVariable w = sd.constant(mt.castTo(x.dataType()));
        SDVariable y = sd.mmul(sd.reshape(xt, -1, in), w);
        y =
                sd.reshape(
                        y,
                        Shapes.shapeOf(sd, Shapes.dims(sd, shape, 0, rank - 1), new long[] {out}));
        return last ? y : sd.permute(y, inverse);
    }

    private static boolean isIdentity(double[][] m) {
        if (m.length != m[0].length) {
            return false;
        }
        for (int j = 0; j < m.length; j++) {
            for (int i = 0; i < m.length; i++) {
                if (m[j][i] != (i == j ? 1.0 : 0.0)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static int checkFactors(int[] factors) {
        if (factors == null) {
            throw new IllegalArgumentException("factors must not be null");
        }
        Shapes.checkSpatialDims(factors.length);
        for (int f : factors) {
            if (f < 1) {
                throw new IllegalArgumentException(
                        "scale factors must be >= 1, got " + Arrays.toString(factors));
            }
        }
        return factors.length;
    }

    private static long[] toLongs(int[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }
}
