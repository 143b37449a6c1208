package org.voxel4j.volumetric.inference;

import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.Model;
import org.voxel4j.nn.OffHeapMemory;
import org.voxel4j.volumetric.transforms.VoxelArrays;

/**
 * Sliding-window inference (MONAI's {@code sliding_window_inference}; nnU-Net's and
 * TotalSegmentator's patch-based prediction) with bounded memory.
 *
 * <p>Windows of {@code patchSize} are placed per axis at {@code 0, s, 2s, ...} with the interval
 * {@code s = max(1, floor(p · (1 − overlap)))}, the last window shifted to end at the border
 * (MONAI's {@code dense_patch_slices}); an axis shorter than the patch is first padded with {@code
 * padValue} ({@code (p − n) / 2} before, the rest after) and the padding is cropped from the
 * result. Window outputs are blended with an {@link ImportanceMap} (Gaussian, σ = {@code
 * sigmaScale} · patch, MONAI's formula, or constant): {@code out = Σ w·f(window) / Σ w}.
 *
 * <p>Memory: a dense FLOAT image is read in place (others are copied to a float array once, padded
 * if needed), the weighted sum is accumulated in the array that is returned and divided in place,
 * the weight sum is a float array; per batch only the window batch (reused) and the network's
 * output exist as ND4J arrays, and {@link OffHeapMemory#maybeCollect()} runs after every batch, so
 * the footprint does not grow with the number of windows. With {@code flipTta}, each window is also
 * predicted mirrored along every subset of its axes (8 passes in 3D, nnU-Net's mirroring) and the
 * un-mirrored outputs averaged.
 *
 * @param patchSize window size per spatial axis
 * @param overlap fraction of the window shared with the next one, in [0, 1)
 * @param gaussian Gaussian (true) or constant (false) blending
 * @param sigmaScale Gaussian σ as a fraction of the patch size (1/8 in nnU-Net / TotalSegmentator)
 * @param batchSize windows per network call
 * @param flipTta mirror test-time augmentation
 * @param softmaxPerWindow apply a softmax over channels to each window's output before blending
 *     (nnU-Net v1); otherwise raw outputs (logits) are blended (MONAI, nnU-Net v2)
 * @param padValue image value used where a window reaches beyond a too-small volume
 */
public record SlidingWindow(
        List<Integer> patchSize,
        double overlap,
        boolean gaussian,
        double sigmaScale,
        int batchSize,
        boolean flipTta,
        boolean softmaxPerWindow,
        double padValue) {

    /** Receives {@code (windowsDone, windowsTotal)} after every batch. */
    @FunctionalInterface
    public interface Progress {
        void update(long done, long total);
    }

    public SlidingWindow {
        if (patchSize == null || patchSize.isEmpty() || patchSize.size() > 3) {
            throw new IllegalArgumentException("patchSize needs 1 to 3 axes, got " + patchSize);
        }
        for (Integer p : patchSize) {
            if (p == null || p < 1) {
                throw new IllegalArgumentException("patchSize axes must be >= 1, got " + patchSize);
            }
        }
        patchSize = List.copyOf(patchSize);
        if (!(overlap >= 0 && overlap < 1)) {
            throw new IllegalArgumentException("overlap must be in [0, 1), got " + overlap);
        }
        if (!(sigmaScale > 0) || Double.isInfinite(sigmaScale)) {
            throw new IllegalArgumentException(
                    "sigmaScale must be finite and > 0, got " + sigmaScale);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        if (!Double.isFinite(padValue)) {
            throw new IllegalArgumentException("padValue must be finite, got " + padValue);
        }
    }

    /** Overlap 0.5, Gaussian σ = 1/8 patch, batch 1, no TTA, logits blended, padding 0. */
    public static SlidingWindow of(List<Integer> patchSize) {
        return new SlidingWindow(patchSize, 0.5, true, 0.125, 1, false, false, 0);
    }

    public SlidingWindow withOverlap(double o) {
        return new SlidingWindow(
                patchSize, o, gaussian, sigmaScale, batchSize, flipTta, softmaxPerWindow, padValue);
    }

    public SlidingWindow withBatchSize(int b) {
        return new SlidingWindow(
                patchSize, overlap, gaussian, sigmaScale, b, flipTta, softmaxPerWindow, padValue);
    }

    public SlidingWindow withFlipTta(boolean t) {
        return new SlidingWindow(
                patchSize, overlap, gaussian, sigmaScale, batchSize, t, softmaxPerWindow, padValue);
    }

    public SlidingWindow withGaussian(boolean g) {
        return new SlidingWindow(
                patchSize, overlap, g, sigmaScale, batchSize, flipTta, softmaxPerWindow, padValue);
    }

    public SlidingWindow withSoftmaxPerWindow(boolean s) {
        return new SlidingWindow(
                patchSize, overlap, gaussian, sigmaScale, batchSize, flipTta, s, padValue);
    }

    public SlidingWindow withPadValue(double v) {
        return new SlidingWindow(
                patchSize, overlap, gaussian, sigmaScale, batchSize, flipTta, softmaxPerWindow, v);
    }

    /** Window start positions along one axis of {@code size} voxels (after padding). */
    public static int[] starts(int size, int patch, double overlap) {
        if (size <= patch) {
            return new int[] {0};
        }
        int interval = Math.max(1, (int) (patch * (1 - overlap)));
        List<Integer> out = new ArrayList<>();
        for (int d = 0; ; d++) {
            out.add(Math.min(d * interval, size - patch));
            if (d * interval + patch >= size) {
                break;
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The importance map of one window. */
    public float[] weights() {
        int[] p = patch();
        return gaussian ? ImportanceMap.gaussian(p, sigmaScale) : ImportanceMap.constant(p);
    }

    private int[] patch() {
        return patchSize.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Runs {@code model} (one input {@code [N, C, *patch]}) over {@code image}; see {@link
     * #run(Function, INDArray, int, Progress)}.
     */
    public INDArray run(Model model, INDArray image, Progress progress) {
        return run(new ModelOutputs(model), image, -1, progress);
    }

    /**
     * {@link Model#predict} as the window function. Its outputs are fresh arrays nobody else holds,
     * so they are closed as soon as they have been read: otherwise each window's output (7 MB for
     * two classes at 96³) waits for the garbage collector, and on the {@code sliding-window-256}
     * benchmark the resident set grew by ~6 MB per window between collections (1.3 vs 1.16 GB peak
     * on a 176³ volume with 27 windows, measured).
     */
    private record ModelOutputs(Model model) implements Function<INDArray, INDArray> {
        @Override
        public INDArray apply(INDArray x) {
            return model.predict(x);
        }
    }

    /**
     * Predicts {@code image} ({@code [C, *S]}, with as many spatial axes as {@code patchSize})
     * window by window.
     *
     * <p>The batch array handed to {@code net} is reused for the next batch of the same size, so
     * {@code net} must not keep it after returning ({@link Model#predict} does not).
     *
     * @param net maps a batch {@code [B, C, *patch]} to outputs {@code [B, K, *patch]}
     * @param outChannels K if known, else -1 (taken from the first output)
     * @param progress called after every batch; may be null
     * @return the blended outputs {@code [K, *S]}, FLOAT
     */
    public INDArray run(
            Function<INDArray, INDArray> net, INDArray image, int outChannels, Progress progress) {
        int[] shape = VoxelArrays.shapeOf(image);
        int r = patchSize.size();
        if (shape.length != r + 1) {
            throw new IllegalArgumentException(
                    "image shape "
                            + Arrays.toString(shape)
                            + " must be [C, "
                            + "spatial x "
                            + r
                            + "] for a "
                            + r
                            + "D patch "
                            + patchSize);
        }
        int channels = shape[0];
        int[] spatial = Arrays.copyOfRange(shape, 1, shape.length);
        int[] p = patch();
        int[] padded = new int[r];
        int[] before = new int[r];
        for (int a = 0; a < r; a++) {
            padded[a] = Math.max(spatial[a], p[a]);
            before[a] = (padded[a] - spatial[a]) / 2;
        }
        boolean needsPadding = !Arrays.equals(spatial, padded);
        FloatBuffer img =
                needsPadding
                        ? paddedImage(image, channels, spatial, padded, before)
                        : floats(image);
        int nVox = VoxelArrays.size(padded);
        int pVox = VoxelArrays.size(p);
        float[] w = weights();
        int[][] starts = new int[r][];
        long total = 1;
        for (int a = 0; a < r; a++) {
            starts[a] = starts(padded[a], p[a], overlap);
            total *= starts[a].length;
        }
        float[] wsum = new float[nVox];
        FloatTarget acc = null;
        int k = outChannels;
        List<int[]> windows = new ArrayList<>();
        enumerate(starts, 0, new int[r], windows);
        int[] vStrides = VoxelArrays.strides(padded);
        float[] batch = new float[batchSize * channels * pVox];
        Scratch scratch = new Scratch(p[r - 1]);
        long done = 0;
        for (int from = 0; from < windows.size(); from += batchSize) {
            int b = Math.min(batchSize, windows.size() - from);
            for (int i = 0; i < b; i++) {
                copyWindow(
                        img,
                        channels,
                        padded,
                        windows.get(from + i),
                        p,
                        batch,
                        i * channels * pVox);
            }
            float[] out = predict(net, batch, b, channels, p, scratch);
            int kk = out.length / (b * pVox);
            if (k < 0) {
                k = kk;
            } else if (kk != k) {
                throw new IllegalStateException(
                        "the network returned " + kk + " channels, expected " + k);
            }
            if (acc == null) {
                acc = new FloatTarget(prepend(k, padded));
            }
            for (int i = 0; i < b; i++) {
                accumulate(
                        out,
                        i * k * pVox,
                        k,
                        windows.get(from + i),
                        p,
                        vStrides,
                        nVox,
                        w,
                        acc.buf,
                        wsum,
                        scratch.row);
            }
            done += b;
            if (progress != null) {
                progress.update(done, total);
            }
            OffHeapMemory.maybeCollect();
        }
        // The image may have been read through a FloatBuffer, which does not keep the array (and
        // so its native memory, freed by the garbage collector) alive.
        Reference.reachabilityFence(image);
        if (!needsPadding) {
            // The blended volume is the result: divide in place rather than copy it.
            divideInPlace(acc.buf, k, wsum);
            return acc.array();
        }
        int sVox = VoxelArrays.size(spatial);
        FloatTarget result = new FloatTarget(prepend(k, spatial));
        int[] sStrides = VoxelArrays.strides(spatial);
        int[] idx = new int[r];
        for (int v = 0; v < sVox; v++) {
            int rem = v;
            int src = 0;
            for (int a = 0; a < r; a++) {
                idx[a] = rem / sStrides[a];
                rem %= sStrides[a];
                src += (idx[a] + before[a]) * vStrides[a];
            }
            float ws = wsum[src];
            for (int c = 0; c < k; c++) {
                result.buf.put(c * sVox + v, acc.buf.get(c * nVox + src) / ws);
            }
        }
        Reference.reachabilityFence(acc); // owns the native memory behind acc.buf
        return result.array();
    }

    /** Largest FLOAT array one {@link FloatBuffer} over ND4J memory can address (2 GB of bytes). */
    private static final long MAX_BUFFER_FLOATS = Integer.MAX_VALUE / Float.BYTES;

    /**
     * The elements of {@code a} in C order, read in place (no copy) when {@code a} is a dense
     * C-order FLOAT array from the first element of its buffer that a FloatBuffer can address;
     * otherwise {@code null}.
     */
    private static FloatBuffer direct(INDArray a) {
        if (a.dataType() != DataType.FLOAT
                || a.length() > MAX_BUFFER_FLOATS
                || a.offset() != 0
                || a.data().offset() != 0
                || a.data().length() != a.length()) {
            return null;
        }
        // C-order strides; the stride of a length-1 axis does not matter.
        long[] shape = a.shape();
        long[] stride = a.stride();
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return null;
            }
            expected *= shape[i];
        }
        return a.data().asNioFloat();
    }

    /** The elements of {@code a} in C order: in place when possible, else a float copy. */
    private static FloatBuffer floats(INDArray a) {
        FloatBuffer d = direct(a);
        return d != null ? d : FloatBuffer.wrap(VoxelArrays.toFloats(a));
    }

    /**
     * A FLOAT array filled from Java: written in place in ND4J memory when a FloatBuffer can
     * address it (no second copy when it is handed out), else on the heap and copied once at the
     * end.
     */
    private static final class FloatTarget {
        final FloatBuffer buf;
        private final INDArray nd;
        private final float[] heap;
        private final long[] shape;

        FloatTarget(long[] shape) {
            this.shape = shape;
            long n = 1;
            for (long s : shape) {
                n *= s;
            }
            if (n <= MAX_BUFFER_FLOATS) {
                nd = Nd4j.create(DataType.FLOAT, shape); // zero-filled
                heap = null;
                buf = nd.data().asNioFloat();
            } else {
                nd = null;
                heap = new float[Math.toIntExact(n)];
                buf = FloatBuffer.wrap(heap);
            }
        }

        INDArray array() {
            return nd != null ? nd : Nd4j.createFromArray(heap).reshape(shape);
        }
    }

    /**
     * Buffers reused from batch to batch, so that a batch does not allocate its own off-heap input
     * and heap copy of the output (ND4J frees off-heap memory only through the garbage collector).
     */
    private static final class Scratch {
        private INDArray input;
        private FloatBuffer inputBuf;
        private float[] output = new float[0];

        /** One row of the blended volume, for {@link #accumulate}. */
        final float[] row;

        Scratch(int rowLen) {
            row = new float[rowLen];
        }

        /**
         * {@code x} as an array of {@code shape}. Safe to reuse across calls: {@link Model#predict}
         * feeds an input of the graph's type to SameDiff as it is, whose session holds such a
         * placeholder under a dependency it never releases (so never writes into it or recycles it
         * through its array cache), and each output is read before the next batch is written.
         */
        INDArray input(float[] x, long[] shape) {
            if (input == null || !Arrays.equals(input.shape(), shape)) {
                input = Nd4j.create(DataType.FLOAT, shape);
                inputBuf = direct(input);
            }
            if (inputBuf == null) {
                return Nd4j.createFromArray(x).reshape(shape);
            }
            inputBuf.put(0, x, 0, x.length);
            return input;
        }

        /** The elements of {@code y} in C order as floats; valid until the next call. */
        float[] output(INDArray y) {
            FloatBuffer d = direct(y);
            if (d == null) {
                return y.castTo(DataType.FLOAT).dup('c').data().asFloat();
            }
            int n = (int) y.length();
            if (output.length != n) {
                output = new float[n];
            }
            d.get(0, output, 0, n);
            Reference.reachabilityFence(y); // owns the native memory behind d
            return output;
        }
    }

    private static long[] prepend(int k, int[] spatial) {
        long[] out = new long[spatial.length + 1];
        out[0] = k;
        for (int a = 0; a < spatial.length; a++) {
            out[a + 1] = spatial[a];
        }
        return out;
    }

    /** {@code acc[c, v] /= wsum[v]} for every channel c. */
    private static void divideInPlace(FloatBuffer acc, int k, float[] wsum) {
        int nVox = wsum.length;
        float[] chunk = new float[Math.min(nVox, 1 << 16)];
        for (int c = 0; c < k; c++) {
            for (int v0 = 0; v0 < nVox; v0 += chunk.length) {
                int len = Math.min(chunk.length, nVox - v0);
                int at = c * nVox + v0;
                acc.get(at, chunk, 0, len);
                for (int j = 0; j < len; j++) {
                    chunk[j] /= wsum[v0 + j];
                }
                acc.put(at, chunk, 0, len);
            }
        }
    }

    private static void enumerate(int[][] starts, int axis, int[] cur, List<int[]> out) {
        if (axis == starts.length) {
            out.add(cur.clone());
            return;
        }
        for (int s : starts[axis]) {
            cur[axis] = s;
            enumerate(starts, axis + 1, cur, out);
        }
    }

    private FloatBuffer paddedImage(
            INDArray image, int channels, int[] spatial, int[] padded, int[] before) {
        FloatBuffer src = floats(image);
        int sVox = VoxelArrays.size(spatial);
        int nVox = VoxelArrays.size(padded);
        float[] out = new float[channels * nVox];
        Arrays.fill(out, (float) padValue);
        int[] sStrides = VoxelArrays.strides(spatial);
        int[] pStrides = VoxelArrays.strides(padded);
        for (int v = 0; v < sVox; v++) {
            int rem = v;
            int dst = 0;
            for (int a = 0; a < spatial.length; a++) {
                dst += (rem / sStrides[a] + before[a]) * pStrides[a];
                rem %= sStrides[a];
            }
            for (int c = 0; c < channels; c++) {
                out[c * nVox + dst] = src.get(c * sVox + v);
            }
        }
        return FloatBuffer.wrap(out);
    }

    /** Copies the window at {@code start} (all channels) into {@code dst} at {@code offset}. */
    private static void copyWindow(
            FloatBuffer img,
            int channels,
            int[] vol,
            int[] start,
            int[] p,
            float[] dst,
            int offset) {
        int nVox = VoxelArrays.size(vol);
        int r = p.length;
        int rowLen = p[r - 1];
        int rows = VoxelArrays.size(p) / rowLen;
        int[] vStrides = VoxelArrays.strides(vol);
        for (int c = 0; c < channels; c++) {
            int o = offset + c * rows * rowLen;
            for (int row = 0; row < rows; row++) {
                int rem = row;
                int src = c * nVox + start[r - 1];
                for (int a = r - 2; a >= 0; a--) {
                    src += (rem % p[a] + start[a]) * vStrides[a];
                    rem /= p[a];
                }
                img.get(src, dst, o + row * rowLen, rowLen);
            }
        }
    }

    /**
     * The window batch's outputs {@code [b, K, *p]} in C order, averaged over the mirrored passes;
     * may be {@code scratch}'s buffer, valid until the next call.
     */
    private float[] predict(
            Function<INDArray, INDArray> net,
            float[] batch,
            int b,
            int channels,
            int[] p,
            Scratch scratch) {
        int pVox = VoxelArrays.size(p);
        float[] in =
                b * channels * pVox == batch.length
                        ? batch
                        : Arrays.copyOf(batch, b * channels * pVox);
        long[] shape = new long[p.length + 2];
        shape[0] = b;
        shape[1] = channels;
        for (int a = 0; a < p.length; a++) {
            shape[2 + a] = p[a];
        }
        int[] full = new int[p.length + 2];
        for (int a = 0; a < full.length; a++) {
            full[a] = (int) shape[a];
        }
        float[] sum = null;
        int passes = 0;
        int combos = flipTta ? 1 << p.length : 1;
        for (int mask = 0; mask < combos; mask++) {
            float[] x = mask == 0 ? in : flip(in, full, mask);
            INDArray y = net.apply(scratch.input(x, shape));
            float[] out = scratch.output(y);
            if (out.length % (b * pVox) != 0) {
                throw new IllegalStateException(
                        "the network output "
                                + Arrays.toString(y.shape())
                                + " does not match the window batch "
                                + Arrays.toString(shape));
            }
            if (net instanceof ModelOutputs && y.closeable()) {
                y.close(); // read into out (a Java array) above; see ModelOutputs
            }
            int k = out.length / (b * pVox);
            if (softmaxPerWindow) {
                softmax(out, b, k, pVox);
            }
            if (mask != 0) {
                int[] outShape = full.clone();
                outShape[1] = k;
                out = flip(out, outShape, mask);
            }
            if (sum == null) {
                // The next pass reads its output into the same scratch buffer.
                sum = combos > 1 ? out.clone() : out;
            } else {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += out[i];
                }
            }
            passes++;
        }
        if (passes > 1) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] /= passes;
            }
        }
        return sum;
    }

    /** Reverses the spatial axes selected by the bits of {@code mask} of a [B, C, *S] array. */
    static float[] flip(float[] x, int[] shape, int mask) {
        int r = shape.length - 2;
        int[] strides = VoxelArrays.strides(shape);
        float[] out = new float[x.length];
        int[] idx = new int[shape.length];
        for (int i = 0; i < x.length; i++) {
            int rem = i;
            int dst = 0;
            for (int a = 0; a < shape.length; a++) {
                idx[a] = rem / strides[a];
                rem %= strides[a];
                int v = idx[a];
                if (a >= 2 && (mask & (1 << (a - 2))) != 0) {
                    v = shape[a] - 1 - v;
                }
                dst += v * strides[a];
            }
            out[dst] = x[i];
        }
        assert r >= 1;
        return out;
    }

    private static void softmax(float[] v, int b, int k, int pVox) {
        for (int n = 0; n < b; n++) {
            int base = n * k * pVox;
            for (int i = 0; i < pVox; i++) {
                float max = Float.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    max = Math.max(max, v[base + c * pVox + i]);
                }
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    sum += Math.exp(v[base + c * pVox + i] - max);
                }
                for (int c = 0; c < k; c++) {
                    v[base + c * pVox + i] = (float) (Math.exp(v[base + c * pVox + i] - max) / sum);
                }
            }
        }
    }

    /**
     * Adds {@code w · out} of one window to {@code acc} and {@code w} to {@code wsum}, row by row
     * ({@code row} is scratch space of at least one row).
     */
    private static void accumulate(
            float[] out,
            int offset,
            int k,
            int[] start,
            int[] p,
            int[] vStrides,
            int nVox,
            float[] w,
            FloatBuffer acc,
            float[] wsum,
            float[] row) {
        int r = p.length;
        int pVox = w.length;
        int rowLen = p[r - 1];
        int rows = pVox / rowLen;
        for (int ro = 0; ro < rows; ro++) {
            int rem = ro;
            int dst = start[r - 1];
            for (int a = r - 2; a >= 0; a--) {
                dst += (rem % p[a] + start[a]) * vStrides[a];
                rem /= p[a];
            }
            int src = ro * rowLen;
            for (int j = 0; j < rowLen; j++) {
                wsum[dst + j] += w[src + j];
            }
            for (int c = 0; c < k; c++) {
                int o = offset + c * pVox + src;
                int d = c * nVox + dst;
                acc.get(d, row, 0, rowLen);
                for (int j = 0; j < rowLen; j++) {
                    row[j] += w[src + j] * out[o + j];
                }
                acc.put(d, row, 0, rowLen);
            }
        }
    }
}
