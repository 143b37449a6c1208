package org.voxel4j.nn.engine;

import java.util.Arrays;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * 2D/3D convolution and transposed convolution on ND4J's native kernels (oneDNN where available),
 * with weights in PyTorch's layout: {@code [out, in, k...]} for convolution, {@code [in, out,
 * k...]} for transposed convolution. The native ops accept that layout directly (weight-format
 * argument 1), so the graph needs no permutation of the weights forward nor of their gradients
 * backward — SameDiff's own conv ops take {@code [k..., in, out]} and cost two strided copies per
 * layer and step. Channels-first data, explicit zero padding, no groups (callers split groups).
 */
public final class ConvOps {
    private ConvOps() {}

    /**
     * {@code conv(x, w) + b} (PyTorch {@code F.conv2d/3d}) with per-axis kernel (from the weight),
     * stride, padding and dilation.
     *
     * @param b bias {@code [out]} or null
     */
    public static SDVariable conv(
            SameDiff sd,
            SDVariable x,
            SDVariable w,
            SDVariable b,
            int[] kernel,
            int[] stride,
            int[] padding,
            int[] dilation) {
        Spec s = Spec.of(false, kernel, stride, padding, dilation);
        return new ConvOp(sd, NormOps.present(x, w, b), s, b != null).outputVariable();
    }

    /**
     * Transposed convolution (PyTorch {@code F.conv_transpose2d/3d} without output padding), weight
     * {@code [in, out, k...]}.
     *
     * @param b bias {@code [out]} or null
     */
    public static SDVariable convTranspose(
            SameDiff sd,
            SDVariable x,
            SDVariable w,
            SDVariable b,
            int[] kernel,
            int[] stride,
            int[] padding,
            int[] dilation) {
        Spec s = Spec.of(true, kernel, stride, padding, dilation);
        return new ConvOp(sd, NormOps.present(x, w, b), s, b != null).outputVariable();
    }

    /** Geometry of a convolution; {@code transposed} selects deconvolution. */
    record Spec(boolean transposed, int[] k, int[] s, int[] p, int[] d) {
        static Spec of(boolean transposed, int[] k, int[] s, int[] p, int[] d) {
            int n = k.length;
            if (n < 2 || n > 3 || s.length != n || p.length != n || d.length != n) {
                throw new IllegalArgumentException(
                        "convolution needs 2 or 3 spatial axes with one kernel, stride, padding and"
                                + " dilation each, got k="
                                + Arrays.toString(k)
                                + " s="
                                + Arrays.toString(s)
                                + " p="
                                + Arrays.toString(p)
                                + " d="
                                + Arrays.toString(d));
            }
            for (int i = 0; i < n; i++) {
                if (k[i] < 1 || s[i] < 1 || p[i] < 0 || d[i] < 1) {
                    throw new IllegalArgumentException(
                            "invalid convolution geometry k="
                                    + Arrays.toString(k)
                                    + " s="
                                    + Arrays.toString(s)
                                    + " p="
                                    + Arrays.toString(p)
                                    + " d="
                                    + Arrays.toString(d));
                }
            }
            return new Spec(transposed, k, s, p, d);
        }

        int dims() {
            return k.length;
        }

        /**
         * Native integer arguments: kernel, stride, padding, dilation per axis, then "same" mode 0,
         * data format 0 (channels first), weight format 1 (PyTorch layout).
         */
        int[] nativeArgs() {
            int n = dims();
            int[] a = new int[4 * n + 3];
            for (int i = 0; i < n; i++) {
                a[i] = k[i];
                a[n + i] = s[i];
                a[2 * n + i] = p[i];
                a[3 * n + i] = d[i];
            }
            a[4 * n] = 0;
            a[4 * n + 1] = 0;
            a[4 * n + 2] = 1;
            return a;
        }

        String forwardName() {
            return transposed
                    ? (dims() == 3 ? "deconv3d" : "deconv2d")
                    : (dims() == 3 ? "conv3dnew" : "conv2d");
        }

        String backwardName() {
            return forwardName() + "_bp";
        }

        long[] outShape(long[] x, long[] w) {
            int n = dims();
            if (x.length != n + 2 || w.length != n + 2) {
                throw new IllegalArgumentException(
                        "convolution over "
                                + n
                                + " axes expects input and weight of rank "
                                + (n + 2)
                                + ", got "
                                + Arrays.toString(x)
                                + " and "
                                + Arrays.toString(w));
            }
            long inC = transposed ? w[0] : w[1];
            long outC = transposed ? w[1] : w[0];
            if (x[1] != inC) {
                throw new IllegalArgumentException(
                        "convolution input has "
                                + x[1]
                                + " channels, the weight "
                                + Arrays.toString(w)
                                + " expects "
                                + inC);
            }
            long[] o = new long[n + 2];
            o[0] = x[0];
            o[1] = outC;
            for (int i = 0; i < n; i++) {
                if (w[2 + i] != k[i]) {
                    throw new IllegalArgumentException(
                            "weight "
                                    + Arrays.toString(w)
                                    + " does not match kernel "
                                    + Arrays.toString(k));
                }
                long ext = (long) d[i] * (k[i] - 1) + 1;
                o[2 + i] =
                        transposed
                                ? (x[2 + i] - 1) * s[i] - 2L * p[i] + ext
                                : (x[2 + i] + 2L * p[i] - ext) / s[i] + 1;
                if (o[2 + i] < 1) {
                    throw new IllegalArgumentException(
                            "convolution output would be empty for input "
                                    + Arrays.toString(x)
                                    + " and kernel "
                                    + Arrays.toString(k));
                }
            }
            return o;
        }

        void addArgs(JavaOp op) {
            op.addIArgument(transposed ? 1 : 0, dims());
            op.addIArgument(toLongs(k));
            op.addIArgument(toLongs(s));
            op.addIArgument(toLongs(p));
            op.addIArgument(toLongs(d));
        }

        static Spec read(JavaOp op, int at) {
            boolean t = op.iArg(at) == 1;
            int n = (int) op.iArg(at + 1);
            int[][] v = new int[4][n];
            for (int j = 0; j < 4; j++) {
                for (int i = 0; i < n; i++) {
                    v[j][i] = (int) op.iArg(at + 2 + j * n + i);
                }
            }
            return new Spec(t, v[0], v[1], v[2], v[3]);
        }

        private static long[] toLongs(int[] a) {
            return Arrays.stream(a).asLongStream().toArray();
        }
    }

    /**
     * Runs a native op with our own op context, purged afterwards: {@code Nd4j.exec(op)} leaves the
     * buffers' native use counts raised until the garbage collector runs, and SameDiff's array
     * cache (like the engine's pool) refuses to reuse buffers whose use count says they are shared,
     * so every conv input and output was a fresh allocation in every step.
     */
    private static void exec(String name, INDArray[] in, INDArray[] out, int[] args) {
        DynamicCustomOp op = DynamicCustomOp.builder(name).build();
        try (OpContext ctx = Nd4j.getExecutioner().buildContext()) {
            ctx.setInputArrays(in);
            ctx.setOutputArrays(out);
            ctx.setIArguments(Arrays.stream(args).asLongStream().toArray());
            Nd4j.exec(op, ctx);
            ctx.purge();
        } catch (Exception e) {
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("native " + name + " failed", e);
        }
    }

    /** Forward: inputs x, w, [b]; output y. */
    public static final class ConvOp extends JavaOp {
        private Spec spec;
        private boolean hasBias;

        public ConvOp() {}

        ConvOp(SameDiff sd, SDVariable[] inputs, Spec spec, boolean hasBias) {
            super(sd, inputs);
            spec.addArgs(this);
            addBArgument(hasBias);
            readArguments();
        }

        @Override
        protected void readArguments() {
            spec = Spec.read(this, 0);
            hasBias = bArg(0);
        }

        @Override
        public String opName() {
            return "voxel4j_conv";
        }

        @Override
        protected int outputCount() {
            return 1;
        }

        @Override
        protected long[][] outputShapes(INDArray[] in) {
            return new long[][] {spec.outShape(in[0].shape(), in[1].shape())};
        }

        @Override
        protected void compute(INDArray[] in, INDArray[] out) {
            exec(spec.forwardName(), in, out, spec.nativeArgs());
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grads) {
            SDVariable[] a = args();
            SDVariable[] in =
                    hasBias
                            ? new SDVariable[] {a[0], a[1], a[2], grads.get(0)}
                            : new SDVariable[] {a[0], a[1], grads.get(0)};
            return List.of(new ConvBpOp(sameDiff, in, spec, hasBias).outputVariables());
        }
    }

    /** Backward: inputs x, w, [b], dy; outputs dx, dw, [db]. */
    public static final class ConvBpOp extends JavaOp {
        private Spec spec;
        private boolean hasBias;

        public ConvBpOp() {}

        ConvBpOp(SameDiff sd, SDVariable[] inputs, Spec spec, boolean hasBias) {
            super(sd, inputs);
            spec.addArgs(this);
            addBArgument(hasBias);
            readArguments();
        }

        @Override
        protected void readArguments() {
            spec = Spec.read(this, 0);
            hasBias = bArg(0);
        }

        @Override
        public String opName() {
            return "voxel4j_conv_bp";
        }

        @Override
        protected int outputCount() {
            return hasBias ? 3 : 2;
        }

        @Override
        protected long[][] outputShapes(INDArray[] in) {
            long[] y = spec.outShape(in[0].shape(), in[1].shape());
            INDArray dy = in[in.length - 1];
            if (!Arrays.equals(y, dy.shape())) {
                throw new IllegalArgumentException(
                        "convolution gradient has shape "
                                + Arrays.toString(dy.shape())
                                + ", expected "
                                + Arrays.toString(y));
            }
            return hasBias
                    ? new long[][] {in[0].shape(), in[1].shape(), in[2].shape()}
                    : new long[][] {in[0].shape(), in[1].shape()};
        }

        @Override
        protected void compute(INDArray[] in, INDArray[] out) {
            exec(spec.backwardName(), in, out, spec.nativeArgs());
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grads) {
            throw new UnsupportedOperationException(
                    "second derivatives of convolutions are not implemented");
        }
    }
}
