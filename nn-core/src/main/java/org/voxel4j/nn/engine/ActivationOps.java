package org.voxel4j.nn.engine;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Elementwise activations as single-pass Java kernels: {@code leakyRelu} (and {@code relu} as slope
 * 0) with PyTorch's semantics, {@code x > 0 ? x : slope · x}, and the derivative PyTorch uses,
 * {@code x > 0 ? 1 : slope} (also at 0).
 */
public final class ActivationOps {
    private ActivationOps() {}

    /** Elements per parallel chunk of an elementwise kernel. */
    static final int CHUNK = 1 << 15;

    /** Leaky ReLU with the given negative slope (0 gives ReLU). */
    public static SDVariable leakyRelu(SameDiff sd, SDVariable x, double slope) {
        if (!Double.isFinite(slope)) {
            throw new IllegalArgumentException("slope must be finite, got " + slope);
        }
        return new LeakyReluOp(sd, x, slope).outputVariable();
    }

    /** Runs {@code body(from, len)} over {@code [0, n)} in parallel chunks. */
    static void elementwise(int n, Parallel.Range body) {
        int chunks = (n + CHUNK - 1) / CHUNK;
        Parallel.range(
                chunks,
                CHUNK,
                (c0, c1) -> {
                    int from = c0 * CHUNK;
                    int to = (int) Math.min(n, (long) c1 * CHUNK);
                    body.run(from, to - from);
                });
    }

    /** Forward: input x; output y. */
    public static final class LeakyReluOp extends JavaOp {
        private double slope;

        public LeakyReluOp() {}

        LeakyReluOp(SameDiff sd, SDVariable x, double slope) {
            super(sd, x);
            addTArgument(slope);
            readArguments();
        }

        @Override
        protected void readArguments() {
            slope = tArg(0);
        }

        @Override
        public String opName() {
            return "voxel4j_leaky_relu";
        }

        @Override
        protected int outputCount() {
            return 1;
        }

        @Override
        protected long[][] outputShapes(INDArray[] in) {
            return new long[][] {in[0].shape()};
        }

        @Override
        protected void compute(INDArray[] in, INDArray[] out) {
            Buf x = Buf.of(Buf.denseCopy(in[0]));
            Buf y = Buf.of(out[0]);
            elementwise(x.n, (from, len) -> x.leakyReluTo(y, from, len, slope));
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grads) {
            return List.of(
                    new LeakyReluBpOp(sameDiff, arg(0), grads.get(0), slope).outputVariable());
        }
    }

    /** Backward: inputs x, dy; output dx. */
    public static final class LeakyReluBpOp extends JavaOp {
        private double slope;

        public LeakyReluBpOp() {}

        LeakyReluBpOp(SameDiff sd, SDVariable x, SDVariable dy, double slope) {
            super(sd, x, dy);
            addTArgument(slope);
            readArguments();
        }

        @Override
        protected void readArguments() {
            slope = tArg(0);
        }

        @Override
        public String opName() {
            return "voxel4j_leaky_relu_bp";
        }

        @Override
        protected int outputCount() {
            return 1;
        }

        @Override
        protected long[][] outputShapes(INDArray[] in) {
            if (in[0].length() != in[1].length()) {
                throw new IllegalArgumentException(
                        "leaky ReLU gradient: input has "
                                + in[0].length()
                                + " elements, upstream gradient "
                                + in[1].length());
            }
            return new long[][] {in[0].shape()};
        }

        @Override
        protected void compute(INDArray[] in, INDArray[] out) {
            Buf x = Buf.of(Buf.denseCopy(in[0]));
            Buf dy = Buf.of(Buf.denseCopy(in[1]));
            Buf dx = Buf.of(out[0]);
            elementwise(x.n, (from, len) -> x.leakyReluBackTo(dx, dy, from, len, slope));
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grads) {
            // d(dx)/d(dy) is the same mask; d(dx)/dx is zero almost everywhere.
            SDVariable ddy =
                    new LeakyReluBpOp(sameDiff, arg(0), grads.get(0), slope).outputVariable();
            return List.of(sameDiff.zerosLike(arg(0)), ddy);
        }
    }
}
