package org.voxel4j.volumetric.transforms;

import java.util.Arrays;

/** Index arithmetic on flat C-order arrays shared by the spatial transforms. */
final class Grids {
    private Grids() {}

    /**
     * out[o] = in[src(o)] where output axis {@code a} reads input axis {@code perm[a]}, reversed
     * when {@code flip[a]}; the output shape is {@code shape[perm[a]]}.
     */
    static double[] permuteFlip(double[] in, int[] shape, int[] perm, boolean[] flip) {
        int r = shape.length;
        int[] inStrides = VoxelArrays.strides(shape);
        int[] outShape = new int[r];
        int[] step = new int[r];
        int base = 0;
        for (int a = 0; a < r; a++) {
            outShape[a] = shape[perm[a]];
            int s = inStrides[perm[a]];
            if (flip[a]) {
                base += (outShape[a] - 1) * s;
                step[a] = -s;
            } else {
                step[a] = s;
            }
        }
        double[] out = new double[in.length];
        int[] idx = new int[r];
        int src = base;
        int last = r - 1;
        int lastStep = step[last];
        int lastLen = outShape[last];
        for (int o = 0; o < out.length; o += lastLen) {
            int s = src;
            for (int k = 0; k < lastLen; k++, s += lastStep) {
                out[o + k] = in[s];
            }
            // Advance the odometer over all but the last axis.
            for (int a = last - 1; a >= 0; a--) {
                idx[a]++;
                src += step[a];
                if (idx[a] < outShape[a]) {
                    break;
                }
                src -= step[a] * outShape[a];
                idx[a] = 0;
            }
        }
        return out;
    }

    static int[] permutedShape(int[] shape, int[] perm) {
        int[] out = new int[shape.length];
        for (int a = 0; a < shape.length; a++) {
            out[a] = shape[perm[a]];
        }
        return out;
    }

    /**
     * The window [start, start + size) of {@code in} along every axis; positions outside the input
     * get {@code pad}.
     */
    static double[] window(double[] in, int[] shape, int[] start, int[] size, double pad) {
        int r = shape.length;
        int n = VoxelArrays.size(size);
        double[] out = new double[n];
        int[] inStrides = VoxelArrays.strides(shape);
        int last = r - 1;
        int[] idx = new int[r];
        // Row by row along the last axis: copy the overlapping run, pad the rest.
        int lo = Math.max(0, -start[last]);
        int hi = Math.min(size[last], shape[last] - start[last]);
        for (int o = 0; o < n; o += size[last]) {
            boolean inside = true;
            int srcRow = 0;
            for (int a = 0; a < last; a++) {
                int p = start[a] + idx[a];
                if (p < 0 || p >= shape[a]) {
                    inside = false;
                    break;
                }
                srcRow += p * inStrides[a];
            }
            if (inside && lo < hi) {
                Arrays.fill(out, o, o + lo, pad);
                System.arraycopy(in, srcRow + start[last] + lo, out, o + lo, hi - lo);
                Arrays.fill(out, o + hi, o + size[last], pad);
            } else {
                Arrays.fill(out, o, o + size[last], pad);
            }
            for (int a = last - 1; a >= 0; a--) {
                if (++idx[a] < size[a]) {
                    break;
                }
                idx[a] = 0;
            }
        }
        return out;
    }

    /**
     * Resizes one axis to {@code newLen} with the half-pixel convention: output sample j sits at
     * input coordinate (j + 0.5) * n / newLen - 0.5, clamped to [0, n - 1].
     */
    static double[] resizeAxis(double[] in, int[] shape, int axis, int newLen, boolean linear) {
        int n = shape[axis];
        int inner = 1;
        for (int a = axis + 1; a < shape.length; a++) {
            inner *= shape[a];
        }
        int outer = in.length / (n * inner);
        double[] out = new double[outer * newLen * inner];
        int[] i0 = new int[newLen];
        int[] i1 = new int[newLen];
        double[] w1 = new double[newLen];
        for (int j = 0; j < newLen; j++) {
            if (linear) {
                double src = (j + 0.5) * n / newLen - 0.5;
                if (src < 0) {
                    src = 0;
                }
                int a = (int) Math.floor(src);
                if (a > n - 1) {
                    a = n - 1;
                }
                i0[j] = a;
                i1[j] = Math.min(a + 1, n - 1);
                w1[j] = Math.min(src - a, 1.0);
            } else {
                // floor((j + 0.5) * n / newLen) in exact integer arithmetic.
                long num = (2L * j + 1) * n;
                int a = (int) (num / (2L * newLen));
                i0[j] = Math.min(a, n - 1);
                i1[j] = i0[j];
                w1[j] = 0;
            }
        }
        for (int o = 0; o < outer; o++) {
            int inBase = o * n * inner;
            int outBase = o * newLen * inner;
            for (int j = 0; j < newLen; j++) {
                int r0 = inBase + i0[j] * inner;
                int r1 = inBase + i1[j] * inner;
                int w = outBase + j * inner;
                double b = w1[j];
                if (b == 0) {
                    System.arraycopy(in, r0, out, w, inner);
                } else {
                    double a = 1 - b;
                    for (int k = 0; k < inner; k++) {
                        out[w + k] = a * in[r0 + k] + b * in[r1 + k];
                    }
                }
            }
        }
        return out;
    }
}
