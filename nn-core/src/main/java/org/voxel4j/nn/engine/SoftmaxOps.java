package org.voxel4j.nn.engine;

import java.util.Arrays;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Softmax and log-softmax along one axis as single Java kernels, max-shifted (Blanchard, Higham
 * &amp; Higham 2021). With {@code y = softmax(x)}: {@code dx = y · (dy − Σ y·dy)}; with {@code y =
 * log_softmax(x)}: {@code dx = dy − exp(y) · Σ dy} (sums along the axis). The backward ops read the
 * forward output, not the input.
 */
public final class SoftmaxOps {
    private SoftmaxOps() {}

    /** Positions along the other axes processed together. */
    private static final int BLOCK = 1024;

    /** Softmax ({@code log = false}) or log-softmax along {@code axis} (non-negative). */
    public static SDVariable softmax(SameDiff sd, SDVariable x, int axis, boolean log) {
        if (axis < 0) {
            throw new IllegalArgumentException("axis must be >= 0, got " + axis);
        }
        return new SoftmaxOp(sd, x, axis, log).outputVariable();
    }

    /** {@code [outer, length, inner]} view of a shape around {@code axis}. */
    private static int[] view(long[] shape, int axis) {
        long[] a = JavaOp.aroundAxis(shape, axis, "softmax");
        long outer = a[0];
        long inner = a[2];
        if (outer * shape[axis] * inner > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "softmax input too large: " + Arrays.toString(shape));
        }
        return new int[] {(int) outer, (int) shape[axis], (int) inner};
    }

    /** Runs {@code body(outer, innerFrom, innerTo)} over all blocks in parallel. */
    private interface BlockBody {
        void run(int outer, int from, int to, double[] t1, double[] t2);
    }

    private static void blocks(int[] v, BlockBody body) {
        int perOuter = (v[2] + BLOCK - 1) / BLOCK;
        int total = v[0] * perOuter;
        Parallel.range(
                total,
                (long) BLOCK * v[1] * 3,
                (b0, b1) -> {
                    double[] t1 = new double[BLOCK];
                    double[] t2 = new double[BLOCK];
                    for (int b = b0; b < b1; b++) {
                        int o = b / perOuter;
                        int from = (b % perOuter) * BLOCK;
                        body.run(o, from, Math.min(v[2], from + BLOCK), t1, t2);
                    }
                });
    }

    /** Forward: input x; output y. */
    public static final class SoftmaxOp extends JavaOp {
        private int softmaxAxis;
        private boolean logSoftmax;

        public SoftmaxOp() {}

        SoftmaxOp(SameDiff sd, SDVariable x, int axis, boolean log) {
            super(sd, x);
            addIArgument(axis);
            addBArgument(log);
            readArguments();
        }

        @Override
        protected void readArguments() {
            softmaxAxis = (int) iArg(0);
            logSoftmax = bArg(0);
        }

        @Override
        public String opName() {
            return "voxel4j_softmax";
        }

        @Override
        protected int outputCount() {
            return 1;
        }

        @Override
        protected long[][] outputShapes(INDArray[] in) {
            view(in[0].shape(), softmaxAxis);
            return new long[][] {in[0].shape()};
        }

        @Override
        protected void compute(INDArray[] in, INDArray[] out) {
            INDArray xa = Buf.denseCopy(in[0]);
            int[] v = view(xa.shape(), softmaxAxis);
            Buf x = Buf.of(xa);
            Buf y = Buf.of(out[0]);
            int len = v[1];
            int inner = v[2];
            blocks(
                    v,
                    (o, from, to, max, sum) -> {
                        int n = to - from;
                        Arrays.fill(max, 0, n, Double.NEGATIVE_INFINITY);
                        Arrays.fill(sum, 0, n, 0);
                        for (int l = 0; l < len; l++) {
                            int row = (o * len + l) * inner;
                            for (int i = 0; i < n; i++) {
                                max[i] = Math.max(max[i], x.get(row + from + i));
                            }
                        }
                        for (int l = 0; l < len; l++) {
                            int row = (o * len + l) * inner;
                            for (int i = 0; i < n; i++) {
                                double e = Math.exp(x.get(row + from + i) - max[i]);
                                sum[i] += e;
                                if (!logSoftmax) {
                                    y.set(row + from + i, e);
                                }
                            }
                        }
                        for (int l = 0; l < len; l++) {
                            int row = (o * len + l) * inner;
                            for (int i = 0; i < n; i++) {
                                int at = row + from + i;
                                if (logSoftmax) {
                                    y.set(at, x.get(at) - max[i] - Math.log(sum[i]));
                                } else {
                                    y.set(at, y.get(at) / sum[i]);
                                }
                            }
                        }
                    });
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grads) {
            return List.of(
                    new SoftmaxBpOp(
                                    sameDiff,
                                    outputVariable(),
                                    grads.get(0),
                                    softmaxAxis,
                                    logSoftmax)
                            .outputVariable());
        }
    }

    /** Backward: inputs y (forward output), dy; output dx. */
    public static final class SoftmaxBpOp extends JavaOp {
        private int softmaxAxis;
        private boolean logSoftmax;

        public SoftmaxBpOp() {}

        SoftmaxBpOp(SameDiff sd, SDVariable y, SDVariable dy, int axis, boolean log) {
            super(sd, y, dy);
            addIArgument(axis);
            addBArgument(log);
            readArguments();
        }

        @Override
        protected void readArguments() {
            softmaxAxis = (int) iArg(0);
            logSoftmax = bArg(0);
        }

        @Override
        public String opName() {
            return "voxel4j_softmax_bp";
        }

        @Override
        protected int outputCount() {
            return 1;
        }

        @Override
        protected long[][] outputShapes(INDArray[] in) {
            view(in[0].shape(), softmaxAxis);
            if (!Arrays.equals(in[0].shape(), in[1].shape())) {
                throw new IllegalArgumentException(
                        "softmax gradient has shape "
                                + Arrays.toString(in[1].shape())
                                + ", expected "
                                + Arrays.toString(in[0].shape()));
            }
            return new long[][] {in[0].shape()};
        }

        @Override
        protected void compute(INDArray[] in, INDArray[] out) {
            INDArray ya = Buf.denseCopy(in[0]);
            int[] v = view(ya.shape(), softmaxAxis);
            Buf y = Buf.of(ya);
            Buf dy = Buf.of(Buf.denseCopy(in[1]));
            Buf dx = Buf.of(out[0]);
            int len = v[1];
            int inner = v[2];
            blocks(
                    v,
                    (o, from, to, s, unused) -> {
                        int n = to - from;
                        Arrays.fill(s, 0, n, 0);
                        for (int l = 0; l < len; l++) {
                            int row = (o * len + l) * inner + from;
                            for (int i = 0; i < n; i++) {
                                s[i] +=
                                        logSoftmax
                                                ? dy.get(row + i)
                                                : y.get(row + i) * dy.get(row + i);
                            }
                        }
                        for (int l = 0; l < len; l++) {
                            int row = (o * len + l) * inner + from;
                            for (int i = 0; i < n; i++) {
                                double yi = y.get(row + i);
                                double g = dy.get(row + i);
                                dx.set(
                                        row + i,
                                        logSoftmax ? g - Math.exp(yi) * s[i] : yi * (g - s[i]));
                            }
                        }
                    });
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grads) {
            throw new UnsupportedOperationException(
                    "second derivatives of softmax are not implemented");
        }
    }
}
