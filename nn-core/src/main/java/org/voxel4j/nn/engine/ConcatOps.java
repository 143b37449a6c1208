package org.voxel4j.nn.engine;

import java.util.Arrays;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Concatenation along one axis as bulk memory copies (the skip connections of U-Nets: {@code
 * torch.cat([up, skip], dim=1)}); its gradient splits the upstream gradient the same way.
 */
public final class ConcatOps {
    private ConcatOps() {}

    /** Concatenates {@code xs} (equal shapes except along {@code axis}) along {@code axis}. */
    public static SDVariable concat(SameDiff sd, int axis, SDVariable... xs) {
        if (axis < 0) {
            throw new IllegalArgumentException("axis must be >= 0, got " + axis);
        }
        if (xs.length < 2) {
            throw new IllegalArgumentException(
                    "concat needs at least two inputs, got " + xs.length);
        }
        return new ConcatOp(sd, xs, axis).outputVariable();
    }

    /** {@code [outer, axis * inner]} block sizes of {@code shape} around {@code axis}. */
    private static long[] blocks(long[] shape, int axis) {
        long[] a = JavaOp.aroundAxis(shape, axis, "concat");
        return new long[] {a[0], a[1] * a[2]};
    }

    /**
     * Copies between the pieces and the whole: {@code toWhole} true copies pieces into {@code
     * whole}, false copies {@code whole} into the pieces.
     */
    private static void copy(INDArray whole, INDArray[] pieces, int axis, boolean toWhole) {
        Buf w = Buf.of(whole);
        Buf[] p = new Buf[pieces.length];
        long[] len = new long[pieces.length];
        long total = 0;
        long outer = blocks(whole.shape(), axis)[0];
        for (int i = 0; i < pieces.length; i++) {
            p[i] = Buf.of(toWhole ? Buf.denseCopy(pieces[i]) : pieces[i]);
            len[i] = blocks(pieces[i].shape(), axis)[1];
            total += len[i];
        }
        long rowLen = total;
        Parallel.range(
                (int) outer * pieces.length,
                total / pieces.length,
                (from, to) -> {
                    for (int k = from; k < to; k++) {
                        int o = k / pieces.length;
                        int i = k % pieces.length;
                        long at = o * rowLen;
                        for (int j = 0; j < i; j++) {
                            at += len[j];
                        }
                        int src = (int) (o * len[i]);
                        if (toWhole) {
                            p[i].copyTo(w, src, (int) at, (int) len[i]);
                        } else {
                            w.copyTo(p[i], (int) at, src, (int) len[i]);
                        }
                    }
                });
    }

    /** Forward: inputs x1..xk; output their concatenation. */
    public static final class ConcatOp extends JavaOp {
        private int catAxis;

        public ConcatOp() {}

        ConcatOp(SameDiff sd, SDVariable[] xs, int axis) {
            super(sd, xs);
            addIArgument(axis);
            readArguments();
        }

        @Override
        protected void readArguments() {
            catAxis = (int) iArg(0);
        }

        @Override
        public String opName() {
            return "voxel4j_concat";
        }

        @Override
        protected int outputCount() {
            return 1;
        }

        @Override
        protected long[][] outputShapes(INDArray[] in) {
            long[] s = in[0].shape().clone();
            blocks(s, catAxis);
            for (int i = 1; i < in.length; i++) {
                long[] t = in[i].shape();
                boolean ok = t.length == s.length;
                for (int d = 0; ok && d < t.length; d++) {
                    ok = d == catAxis || t[d] == s[d];
                }
                if (!ok || in[i].dataType() != in[0].dataType()) {
                    throw new IllegalArgumentException(
                            "cannot concatenate "
                                    + Arrays.toString(in[0].shape())
                                    + " and "
                                    + Arrays.toString(t)
                                    + " along axis "
                                    + catAxis);
                }
                s[catAxis] += t[catAxis];
            }
            return new long[][] {s};
        }

        @Override
        protected void compute(INDArray[] in, INDArray[] out) {
            copy(out[0], in, catAxis, true);
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grads) {
            SDVariable[] a = args();
            SDVariable[] in = new SDVariable[a.length + 1];
            in[0] = grads.get(0);
            System.arraycopy(a, 0, in, 1, a.length);
            return List.of(new SplitLikeOp(sameDiff, in, catAxis).outputVariables());
        }
    }

    /**
     * Backward of {@link ConcatOp}: inputs dy and the forward inputs (for their shapes); outputs
     * the slices of dy.
     */
    public static final class SplitLikeOp extends JavaOp {
        private int catAxis;
        private int parts;

        public SplitLikeOp() {}

        SplitLikeOp(SameDiff sd, SDVariable[] inputs, int axis) {
            super(sd, inputs);
            addIArgument(axis, inputs.length - 1);
            readArguments();
        }

        @Override
        protected void readArguments() {
            catAxis = (int) iArg(0);
            parts = (int) iArg(1);
        }

        @Override
        public String opName() {
            return "voxel4j_split_like";
        }

        @Override
        protected int outputCount() {
            return parts;
        }

        @Override
        protected long[][] outputShapes(INDArray[] in) {
            long[][] s = new long[parts][];
            long sum = 0;
            for (int i = 0; i < parts; i++) {
                s[i] = in[i + 1].shape();
                sum += s[i][catAxis];
            }
            if (in[0].rank() != s[0].length || in[0].size(catAxis) != sum) {
                throw new IllegalArgumentException(
                        "concat gradient has shape "
                                + Arrays.toString(in[0].shape())
                                + ", expected "
                                + sum
                                + " along axis "
                                + catAxis);
            }
            return s;
        }

        @Override
        protected void compute(INDArray[] in, INDArray[] out) {
            copy(Buf.denseCopy(in[0]), out, catAxis, false);
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grads) {
            throw new UnsupportedOperationException(
                    "second derivatives of concatenation are not implemented");
        }
    }
}
