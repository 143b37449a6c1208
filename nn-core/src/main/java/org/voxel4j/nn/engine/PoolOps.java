package org.voxel4j.nn.engine;

import java.util.Arrays;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Max pooling over 2 or 3 spatial axes of {@code [N, C, (D,) H, W]} without padding or dilation,
 * output size {@code floor((in − k) / s) + 1} per axis (PyTorch {@code F.max_pool2d/3d} with {@code
 * ceil_mode=False}). The gradient goes to the first maximum of each window in scan order, as in
 * PyTorch; a NaN in a window is its maximum.
 */
public final class PoolOps {
    private PoolOps() {}

    /**
     * Max pooling with the given kernel and stride per spatial axis (2 or 3 axes).
     *
     * @param kernel kernel size per spatial axis
     * @param stride stride per spatial axis
     */
    public static SDVariable maxPool(SameDiff sd, SDVariable x, int[] kernel, int[] stride) {
        if (kernel.length != stride.length || kernel.length < 2 || kernel.length > 3) {
            throw new IllegalArgumentException(
                    "max pooling needs 2 or 3 kernel sizes and as many strides, got "
                            + Arrays.toString(kernel)
                            + " and "
                            + Arrays.toString(stride));
        }
        for (int i = 0; i < kernel.length; i++) {
            if (kernel[i] < 1 || stride[i] < 1) {
                throw new IllegalArgumentException(
                        "kernel and stride must be >= 1, got "
                                + Arrays.toString(kernel)
                                + " and "
                                + Arrays.toString(stride));
            }
        }
        return new MaxPoolOp(sd, x, kernel, stride).outputVariable();
    }

    /** Geometry of one pooling call, 2D inputs treated as depth 1. */
    record Geometry(int n, int c, int[] in, int[] k, int[] s, int[] out) {
        static Geometry of(long[] shape, int[] kernel, int[] stride) {
            int dims = kernel.length;
            if (shape.length != dims + 2) {
                throw new IllegalArgumentException(
                        "max pooling over "
                                + dims
                                + " axes expects rank "
                                + (dims + 2)
                                + " [N, C, ...], got shape "
                                + Arrays.toString(shape));
            }
            int[] in = new int[3];
            int[] k = new int[3];
            int[] s = new int[3];
            int[] out = new int[3];
            for (int a = 0; a < 3; a++) {
                int src = a - (3 - dims);
                in[a] = src < 0 ? 1 : (int) shape[2 + src];
                k[a] = src < 0 ? 1 : kernel[src];
                s[a] = src < 0 ? 1 : stride[src];
                if (in[a] < k[a]) {
                    throw new IllegalArgumentException(
                            "max pooling kernel "
                                    + Arrays.toString(kernel)
                                    + " is larger than the input "
                                    + Arrays.toString(shape));
                }
                out[a] = (in[a] - k[a]) / s[a] + 1;
            }
            if (shape[0] * shape[1] * in[0] * in[1] * in[2] > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(
                        "max pooling input too large: " + Arrays.toString(shape));
            }
            return new Geometry((int) shape[0], (int) shape[1], in, k, s, out);
        }

        long[] outShape(int dims) {
            long[] r = new long[dims + 2];
            r[0] = n;
            r[1] = c;
            for (int i = 0; i < dims; i++) {
                r[2 + i] = out[3 - dims + i];
            }
            return r;
        }

        int inPlane() {
            return in[0] * in[1] * in[2];
        }

        int outPlane() {
            return out[0] * out[1] * out[2];
        }

        /** Whether the windows cover the input exactly (no leftover rows at odd sizes). */
        boolean tiles() {
            return in[0] == out[0] * k[0] && in[1] == out[1] * k[1] && in[2] == out[2] * k[2];
        }

        /** Whether this is the common 2×2(×2) pooling with stride 2 that has a fast path. */
        boolean halving() {
            return (k[0] == 1 || k[0] == 2)
                    && k[1] == 2
                    && k[2] == 2
                    && s[0] == k[0]
                    && s[1] == 2
                    && s[2] == 2;
        }

        /**
         * Fast path of {@link #halving()} pooling, forward over one plane (float): the window
         * maxima by {@code Math.max}, which compiles without branches (a compare-and-branch version
         * mispredicts on random data and ran 5× slower).
         */
        void halvingForward(java.nio.FloatBuffer x, int base, java.nio.FloatBuffer y, int yi) {
            final int iw = in[2];
            final int hw = in[1] * iw;
            final int dStep = k[0] == 2 ? hw : 0;
            final int od = out[0];
            final int oh = out[1];
            final int ow = out[2];
            final int kd = k[0];
            int o = yi;
            for (int d = 0; d < od; d++) {
                for (int h = 0; h < oh; h++) {
                    int r0 = base + d * kd * hw + 2 * h * iw;
                    int r1 = r0 + iw;
                    int r2 = r0 + dStep;
                    int r3 = r1 + dStep;
                    for (int w = 0; w < ow; w++) {
                        int c = 2 * w;
                        float m =
                                Math.max(
                                        Math.max(
                                                Math.max(x.get(r0 + c), x.get(r0 + c + 1)),
                                                Math.max(x.get(r1 + c), x.get(r1 + c + 1))),
                                        Math.max(
                                                Math.max(x.get(r2 + c), x.get(r2 + c + 1)),
                                                Math.max(x.get(r3 + c), x.get(r3 + c + 1))));
                        y.put(o++, m);
                    }
                }
            }
        }

        /**
         * Fast path of {@link #halving()} pooling, backward over one plane (float): puts {@code dy}
         * at the first maximum of each window (scan order d, h, w; found by conditional moves from
         * the back) and zeros at the window's other positions of {@code dx}; positions outside
         * every window (odd sizes) must have been zeroed by the caller.
         */
        void halvingBackward(
                java.nio.FloatBuffer x,
                int base,
                java.nio.FloatBuffer dy,
                int yi,
                java.nio.FloatBuffer dx) {
            final int iw = in[2];
            final int hw = in[1] * iw;
            final int dStep = k[0] == 2 ? hw : 0;
            final int od = out[0];
            final int oh = out[1];
            final int ow = out[2];
            final int kd = k[0];
            int o = yi;
            for (int d = 0; d < od; d++) {
                for (int h = 0; h < oh; h++) {
                    int r0 = base + d * kd * hw + 2 * h * iw;
                    int r1 = r0 + iw;
                    int r2 = r0 + dStep;
                    int r3 = r1 + dStep;
                    for (int w = 0; w < ow; w++) {
                        int c = 2 * w;
                        float a0 = x.get(r0 + c);
                        float a1 = x.get(r0 + c + 1);
                        float a2 = x.get(r1 + c);
                        float a3 = x.get(r1 + c + 1);
                        float a4 = x.get(r2 + c);
                        float a5 = x.get(r2 + c + 1);
                        float a6 = x.get(r3 + c);
                        float a7 = x.get(r3 + c + 1);
                        float m =
                                Math.max(
                                        Math.max(Math.max(a0, a1), Math.max(a2, a3)),
                                        Math.max(Math.max(a4, a5), Math.max(a6, a7)));
                        int at = r3 + c + 1;
                        at = a6 == m ? r3 + c : at;
                        at = a5 == m ? r2 + c + 1 : at;
                        at = a4 == m ? r2 + c : at;
                        at = a3 == m ? r1 + c + 1 : at;
                        at = a2 == m ? r1 + c : at;
                        at = a1 == m ? r0 + c + 1 : at;
                        at = a0 == m ? r0 + c : at;
                        if (m != m) {
                            at = base + nanPosition(x, base, d, h, w);
                        }
                        // Windows do not overlap: write all of each window, the gradient at its
                        // maximum and zeros elsewhere (no separate zero fill, no read-back).
                        float g = dy.get(o++);
                        dx.put(r0 + c, at == r0 + c ? g : 0f);
                        dx.put(r0 + c + 1, at == r0 + c + 1 ? g : 0f);
                        dx.put(r1 + c, at == r1 + c ? g : 0f);
                        dx.put(r1 + c + 1, at == r1 + c + 1 ? g : 0f);
                        if (dStep != 0) {
                            dx.put(r2 + c, at == r2 + c ? g : 0f);
                            dx.put(r2 + c + 1, at == r2 + c + 1 ? g : 0f);
                            dx.put(r3 + c, at == r3 + c ? g : 0f);
                            dx.put(r3 + c + 1, at == r3 + c + 1 ? g : 0f);
                        }
                    }
                }
            }
        }

        private int nanPosition(java.nio.FloatBuffer x, int base, int d, int h, int w) {
            return argmaxF32(x, base, d, h, w);
        }

        /** Index within its input plane of the first maximum of output window {@code (d, h, w)}. */
        int argmax(Buf x, int base, int d, int h, int w) {
            if (x instanceof Buf.F32 f) {
                return argmaxF32(f.b, base, d, h, w);
            }
            int best = -1;
            double max = 0;
            int d0 = d * s[0];
            int h0 = h * s[1];
            int w0 = w * s[2];
            for (int i = 0; i < k[0]; i++) {
                for (int j = 0; j < k[1]; j++) {
                    int row = ((d0 + i) * in[1] + h0 + j) * in[2] + w0;
                    for (int l = 0; l < k[2]; l++) {
                        double v = x.get(base + row + l);
                        if (best < 0 || v > max || Double.isNaN(v) && !Double.isNaN(max)) {
                            best = row + l;
                            max = v;
                        }
                    }
                }
            }
            return best;
        }

        /**
         * Float version without data-dependent branches (they mispredict on random data and cost
         * more than the arithmetic): the maximum by {@code Math.max}, then the first position
         * holding it by a backward scan of conditional moves.
         */
        private int argmaxF32(java.nio.FloatBuffer x, int base, int d, int h, int w) {
            int d0 = d * s[0];
            int h0 = h * s[1];
            int w0 = w * s[2];
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < k[0]; i++) {
                for (int j = 0; j < k[1]; j++) {
                    int row = base + ((d0 + i) * in[1] + h0 + j) * in[2] + w0;
                    for (int l = 0; l < k[2]; l++) {
                        max = Math.max(max, x.get(row + l));
                    }
                }
            }
            int best = -1;
            for (int i = k[0] - 1; i >= 0; i--) {
                for (int j = k[1] - 1; j >= 0; j--) {
                    int row = ((d0 + i) * in[1] + h0 + j) * in[2] + w0;
                    for (int l = k[2] - 1; l >= 0; l--) {
                        best = x.get(base + row + l) == max ? row + l : best;
                    }
                }
            }
            if (best < 0) {
                // NaN in the window (Math.max returned it): the first NaN is the maximum.
                for (int i = 0; i < k[0] && best < 0; i++) {
                    for (int j = 0; j < k[1] && best < 0; j++) {
                        int row = ((d0 + i) * in[1] + h0 + j) * in[2] + w0;
                        for (int l = 0; l < k[2] && best < 0; l++) {
                            if (Float.isNaN(x.get(base + row + l))) {
                                best = row + l;
                            }
                        }
                    }
                }
            }
            return best;
        }
    }

    private static void checkCounts(int[] kernel, int[] stride) {
        if (kernel.length != stride.length) {
            throw new IllegalStateException("corrupt pooling arguments");
        }
    }

    /** Forward: input x; output y. */
    public static final class MaxPoolOp extends JavaOp {
        private int[] kernel;
        private int[] stride;

        public MaxPoolOp() {}

        MaxPoolOp(SameDiff sd, SDVariable x, int[] kernel, int[] stride) {
            super(sd, x);
            addIArgument(kernel.length);
            addIArgument(kernel);
            addIArgument(stride);
            readArguments();
        }

        @Override
        protected void readArguments() {
            int dims = (int) iArg(0);
            kernel = new int[dims];
            stride = new int[dims];
            for (int i = 0; i < dims; i++) {
                kernel[i] = (int) iArg(1 + i);
                stride[i] = (int) iArg(1 + dims + i);
            }
            checkCounts(kernel, stride);
        }

        @Override
        public String opName() {
            return "voxel4j_max_pool";
        }

        @Override
        protected int outputCount() {
            return 1;
        }

        @Override
        protected long[][] outputShapes(INDArray[] in) {
            return new long[][] {
                Geometry.of(in[0].shape(), kernel, stride).outShape(kernel.length)
            };
        }

        @Override
        protected void compute(INDArray[] in, INDArray[] out) {
            INDArray xa = Buf.denseCopy(in[0]);
            Geometry g = Geometry.of(xa.shape(), kernel, stride);
            Buf x = Buf.of(xa);
            Buf y = Buf.of(out[0]);
            int planes = g.n() * g.c();
            int ip = g.inPlane();
            int op = g.outPlane();
            int[] o = g.out();
            boolean fast = g.halving() && x instanceof Buf.F32;
            Parallel.range(
                    planes,
                    ip,
                    (p0, p1) -> {
                        for (int p = p0; p < p1; p++) {
                            int base = p * ip;
                            int yi = p * op;
                            if (fast) {
                                g.halvingForward(((Buf.F32) x).b, base, ((Buf.F32) y).b, yi);
                                continue;
                            }
                            for (int d = 0; d < o[0]; d++) {
                                for (int h = 0; h < o[1]; h++) {
                                    for (int w = 0; w < o[2]; w++) {
                                        y.set(yi++, x.get(base + g.argmax(x, base, d, h, w)));
                                    }
                                }
                            }
                        }
                    });
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grads) {
            return List.of(
                    new MaxPoolBpOp(sameDiff, arg(0), grads.get(0), kernel, stride)
                            .outputVariable());
        }
    }

    /** Backward: inputs x, dy; output dx. */
    public static final class MaxPoolBpOp extends JavaOp {
        private int[] kernel;
        private int[] stride;

        public MaxPoolBpOp() {}

        MaxPoolBpOp(SameDiff sd, SDVariable x, SDVariable dy, int[] kernel, int[] stride) {
            super(sd, x, dy);
            addIArgument(kernel.length);
            addIArgument(kernel);
            addIArgument(stride);
            readArguments();
        }

        @Override
        protected void readArguments() {
            int dims = (int) iArg(0);
            kernel = new int[dims];
            stride = new int[dims];
            for (int i = 0; i < dims; i++) {
                kernel[i] = (int) iArg(1 + i);
                stride[i] = (int) iArg(1 + dims + i);
            }
            checkCounts(kernel, stride);
        }

        @Override
        public String opName() {
            return "voxel4j_max_pool_bp";
        }

        @Override
        protected int outputCount() {
            return 1;
        }

        @Override
        protected long[][] outputShapes(INDArray[] in) {
            long[] expected = Geometry.of(in[0].shape(), kernel, stride).outShape(kernel.length);
            if (!Arrays.equals(expected, in[1].shape())) {
                throw new IllegalArgumentException(
                        "max pooling gradient has shape "
                                + Arrays.toString(in[1].shape())
                                + ", expected "
                                + Arrays.toString(expected));
            }
            return new long[][] {in[0].shape()};
        }

        @Override
        protected void compute(INDArray[] in, INDArray[] out) {
            INDArray xa = Buf.denseCopy(in[0]);
            Geometry g = Geometry.of(xa.shape(), kernel, stride);
            Buf x = Buf.of(xa);
            Buf dy = Buf.of(Buf.denseCopy(in[1]));
            Buf dx = Buf.of(out[0]);
            int planes = g.n() * g.c();
            int ip = g.inPlane();
            int op = g.outPlane();
            int[] o = g.out();
            boolean fast = g.halving() && x instanceof Buf.F32;
            Parallel.range(
                    planes,
                    ip,
                    (p0, p1) -> {
                        for (int p = p0; p < p1; p++) {
                            int base = p * ip;
                            if (!fast || !g.tiles()) {
                                dx.fill(base, ip, 0);
                            }
                            int yi = p * op;
                            if (fast) {
                                g.halvingBackward(
                                        ((Buf.F32) x).b,
                                        base,
                                        ((Buf.F32) dy).b,
                                        yi,
                                        ((Buf.F32) dx).b);
                                continue;
                            }
                            for (int d = 0; d < o[0]; d++) {
                                for (int h = 0; h < o[1]; h++) {
                                    for (int w = 0; w < o[2]; w++) {
                                        int at = base + g.argmax(x, base, d, h, w);
                                        dx.set(at, dx.get(at) + dy.get(yi++));
                                    }
                                }
                            }
                        }
                    });
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grads) {
            throw new UnsupportedOperationException(
                    "second derivatives of max pooling are not implemented");
        }
    }
}
