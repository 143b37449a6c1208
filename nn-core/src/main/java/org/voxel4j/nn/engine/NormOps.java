package org.voxel4j.nn.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Fused normalisation ops with hand-written gradients (kernels and formulas in {@link
 * NormKernels}): one op computes {@code y} together with the statistics, one op computes every
 * gradient, each in two or three passes over the data with no full-size temporaries.
 */
public final class NormOps {
    private NormOps() {}

    /** How a channel norm groups values for its statistics. */
    public enum Kind {
        /** Per sample and channel, over the spatial positions. */
        INSTANCE,
        /** Per sample and group of consecutive channels, over those channels' positions. */
        GROUP,
        /** Per channel, over the batch and the spatial positions. */
        BATCH
    }

    /**
     * The normalised output and the statistics it used: means and biased variances of shape {@code
     * [N, C]} (instance), {@code [N, G]} (group), {@code [C]} (batch) or the leading axes (layer).
     * All three are differentiable.
     */
    public record Result(SDVariable y, SDVariable mean, SDVariable variance) {}

    /**
     * {@code y = γ_c · (x − μ) / sqrt(σ² + eps) + β_c} for {@code x} of shape {@code [N, C, *S]}
     * (any rank ≥ 2), statistics grouped as {@code kind} says.
     *
     * @param groups number of groups for {@link Kind#GROUP} (must divide C); ignored otherwise
     * @param gamma per-channel scale {@code [C]} or null
     * @param beta per-channel shift {@code [C]} or null
     */
    public static Result channelNorm(
            SameDiff sd,
            SDVariable x,
            Kind kind,
            int groups,
            SDVariable gamma,
            SDVariable beta,
            double eps) {
        if (kind == Kind.GROUP && groups < 1) {
            throw new IllegalArgumentException("groups must be >= 1, got " + groups);
        }
        SDVariable[] out =
                new ChannelNormOp(sd, x, gamma, beta, kind.ordinal(), groups, eps)
                        .outputVariables();
        return new Result(out[0], out[1], out[2]);
    }

    /**
     * Layer normalisation over the last {@code normalizedDims} axes of {@code x} with elementwise
     * {@code γ}, {@code β} shaped like those axes (either may be null).
     */
    public static Result layerNorm(
            SameDiff sd,
            SDVariable x,
            int normalizedDims,
            SDVariable gamma,
            SDVariable beta,
            double eps) {
        if (normalizedDims < 1) {
            throw new IllegalArgumentException(
                    "normalizedDims must be >= 1, got " + normalizedDims);
        }
        SDVariable[] out = new RowNormOp(sd, x, gamma, beta, normalizedDims, eps).outputVariables();
        return new Result(out[0], out[1], out[2]);
    }

    static SDVariable[] present(SDVariable... vs) {
        return Arrays.stream(vs).filter(v -> v != null).toArray(SDVariable[]::new);
    }

    /**
     * The leaky ReLU (slope 0: ReLU) of a channel norm's output as one op, when {@code x} is the
     * normalised output of an instance or group norm built by {@link #channelNorm} without an
     * activation; null otherwise. The activation then costs no pass of its own: the forward applies
     * it while writing {@code y}, the backward recomputes the pre-activation's sign from {@code x}
     * while it reads {@code x} anyway. The unfused norm op stays in the graph and runs only if
     * something else consumes its output.
     */
    public static SDVariable fuseLeakyRelu(SameDiff sd, SDVariable x, double slope) {
        if (!Double.isFinite(slope)) {
            throw new IllegalArgumentException("slope must be finite, got " + slope);
        }
        if (!sd.hasVariable(x.name())) {
            return null;
        }
        org.nd4j.autodiff.functions.DifferentialFunction f;
        try {
            f = sd.getVariableOutputOp(x.name());
        } catch (RuntimeException e) {
            return null;
        }
        if (!(f instanceof ChannelNormOp n)
                || n.hasAct
                || n.mode == NormKernels.Mode.BATCH
                || !n.outputVariables()[0].name().equals(x.name())) {
            return null;
        }
        SDVariable[] a = n.args();
        SDVariable gamma = n.hasGamma ? a[1] : null;
        SDVariable beta = n.hasBeta ? a[n.hasGamma ? 2 : 1] : null;
        return new ChannelNormOp(sd, a[0], gamma, beta, n.mode.ordinal(), n.groups, n.eps, slope)
                .outputVariables()[0];
    }

    /**
     * Forward of instance, group and batch norm, optionally followed by a leaky ReLU: inputs x,
     * [γ], [β]; outputs y, μ, σ².
     */
    public static final class ChannelNormOp extends JavaOp {
        private NormKernels.Mode mode;
        private int groups;
        private double eps;
        private boolean hasGamma;
        private boolean hasBeta;
        private boolean hasAct;
        private double slope;

        public ChannelNormOp() {}

        ChannelNormOp(
                SameDiff sd,
                SDVariable x,
                SDVariable gamma,
                SDVariable beta,
                int mode,
                int groups,
                double eps) {
            this(sd, x, gamma, beta, mode, groups, eps, Double.NaN);
        }

        ChannelNormOp(
                SameDiff sd,
                SDVariable x,
                SDVariable gamma,
                SDVariable beta,
                int mode,
                int groups,
                double eps,
                double slope) {
            super(sd, present(x, gamma, beta));
            addIArgument(mode, groups);
            addTArgument(eps, Double.isNaN(slope) ? 0 : slope);
            addBArgument(gamma != null, beta != null, !Double.isNaN(slope));
            readArguments();
        }

        @Override
        protected void readArguments() {
            mode = NormKernels.Mode.of(iArg(0));
            groups = (int) iArg(1);
            eps = tArg(0);
            hasGamma = bArg(0);
            hasBeta = bArg(1);
            hasAct = bArg(2);
            slope = tArg(1);
        }

        @Override
        public String opName() {
            return "voxel4j_channel_norm";
        }

        @Override
        protected int outputCount() {
            return 3;
        }

        @Override
        protected long[][] outputShapes(INDArray[] in) {
            NormKernels.Layout l = NormKernels.Layout.of(mode, in[0].shape(), groups);
            return new long[][] {in[0].shape(), l.statsShape(), l.statsShape()};
        }

        @Override
        protected void compute(INDArray[] in, INDArray[] out) {
            INDArray x = Buf.denseCopy(in[0]);
            NormKernels.Layout l = NormKernels.Layout.of(mode, x.shape(), groups);
            int k = 1;
            INDArray gamma = hasGamma ? in[k++] : null;
            INDArray beta = hasBeta ? in[k] : null;
            NormKernels.channelForward(
                    l, x, gamma, beta, eps, hasAct ? slope : Double.NaN, out[0], out[1], out[2]);
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grads) {
            SDVariable[] outs = outputVariables();
            SDVariable dy = grads.get(0) != null ? grads.get(0) : sameDiff.zerosLike(outs[0]);
            SDVariable gmean = grads.size() > 1 ? grads.get(1) : null;
            SDVariable gvar = grads.size() > 2 ? grads.get(2) : null;
            SDVariable[] a = args();
            SDVariable gamma = hasGamma ? a[1] : null;
            SDVariable beta = hasBeta ? a[hasGamma ? 2 : 1] : null;
            SDVariable[] d =
                    new ChannelNormBpOp(
                                    sameDiff,
                                    a[0],
                                    dy,
                                    outs[1],
                                    outs[2],
                                    gamma,
                                    hasAct ? beta : null,
                                    gmean,
                                    gvar,
                                    mode.ordinal(),
                                    groups,
                                    eps,
                                    hasBeta,
                                    hasAct ? slope : Double.NaN)
                            .outputVariables();
            return List.of(d);
        }
    }

    /**
     * Backward of {@link ChannelNormOp}: inputs x, dy, μ, σ², [γ], [β if there is an activation],
     * [dμ], [dσ²]; outputs dx, [dγ], [dβ].
     */
    public static final class ChannelNormBpOp extends JavaOp {
        private NormKernels.Mode mode;
        private int groups;
        private double eps;
        private boolean hasGamma;
        private boolean wantBeta;
        private boolean hasGmean;
        private boolean hasGvar;
        private boolean hasBetaInput;
        private boolean hasAct;
        private double slope;

        public ChannelNormBpOp() {}

        ChannelNormBpOp(
                SameDiff sd,
                SDVariable x,
                SDVariable dy,
                SDVariable mean,
                SDVariable var,
                SDVariable gamma,
                SDVariable betaInput,
                SDVariable gmean,
                SDVariable gvar,
                int mode,
                int groups,
                double eps,
                boolean wantBeta,
                double slope) {
            super(sd, present(x, dy, mean, var, gamma, betaInput, gmean, gvar));
            addIArgument(mode, groups);
            addTArgument(eps, Double.isNaN(slope) ? 0 : slope);
            addBArgument(
                    gamma != null,
                    wantBeta,
                    gmean != null,
                    gvar != null,
                    betaInput != null,
                    !Double.isNaN(slope));
            readArguments();
        }

        @Override
        protected void readArguments() {
            mode = NormKernels.Mode.of(iArg(0));
            groups = (int) iArg(1);
            eps = tArg(0);
            slope = tArg(1);
            hasGamma = bArg(0);
            wantBeta = bArg(1);
            hasGmean = bArg(2);
            hasGvar = bArg(3);
            hasBetaInput = bArg(4);
            hasAct = bArg(5);
        }

        @Override
        public String opName() {
            return "voxel4j_channel_norm_bp";
        }

        @Override
        protected int outputCount() {
            return 1 + (hasGamma ? 1 : 0) + (wantBeta ? 1 : 0);
        }

        @Override
        protected long[][] outputShapes(INDArray[] in) {
            List<long[]> s = new ArrayList<>();
            s.add(in[0].shape());
            if (hasGamma) {
                s.add(in[4].shape());
            }
            if (wantBeta) {
                s.add(new long[] {in[0].size(1)});
            }
            return s.toArray(long[][]::new);
        }

        @Override
        protected void compute(INDArray[] in, INDArray[] out) {
            INDArray x = Buf.denseCopy(in[0]);
            INDArray dy = Buf.denseCopy(in[1]);
            NormKernels.Layout l = NormKernels.Layout.of(mode, x.shape(), groups);
            int k = 4;
            INDArray gamma = hasGamma ? in[k++] : null;
            INDArray beta = hasBetaInput ? in[k++] : null;
            INDArray gmean = hasGmean ? in[k++] : null;
            INDArray gvar = hasGvar ? in[k] : null;
            int o = 1;
            INDArray dgamma = hasGamma ? out[o++] : null;
            INDArray dbeta = wantBeta ? out[o] : null;
            NormKernels.channelBackward(
                    l,
                    x,
                    dy,
                    in[2],
                    in[3],
                    gamma,
                    beta,
                    gmean,
                    gvar,
                    eps,
                    hasAct ? slope : Double.NaN,
                    out[0],
                    dgamma,
                    dbeta);
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grads) {
            throw new UnsupportedOperationException(
                    "second derivatives of the fused normalisation are not implemented");
        }
    }

    /** Forward of layer norm over trailing axes: inputs x, [γ], [β]; outputs y, μ, σ². */
    public static final class RowNormOp extends JavaOp {
        private int dims;
        private double eps;
        private boolean hasGamma;
        private boolean hasBeta;

        public RowNormOp() {}

        RowNormOp(
                SameDiff sd,
                SDVariable x,
                SDVariable gamma,
                SDVariable beta,
                int dims,
                double eps) {
            super(sd, present(x, gamma, beta));
            addIArgument(dims);
            addTArgument(eps);
            addBArgument(gamma != null, beta != null);
            readArguments();
        }

        @Override
        protected void readArguments() {
            dims = (int) iArg(0);
            eps = tArg(0);
            hasGamma = bArg(0);
            hasBeta = bArg(1);
        }

        @Override
        public String opName() {
            return "voxel4j_row_norm";
        }

        @Override
        protected int outputCount() {
            return 3;
        }

        @Override
        protected long[][] outputShapes(INDArray[] in) {
            long[] lead = leading(in[0].shape(), dims);
            return new long[][] {in[0].shape(), lead, lead};
        }

        @Override
        protected void compute(INDArray[] in, INDArray[] out) {
            INDArray x = Buf.denseCopy(in[0]);
            int k = (int) trailing(x.shape(), dims);
            int rows = (int) (x.length() / k);
            int i = 1;
            INDArray gamma = hasGamma ? in[i++] : null;
            INDArray beta = hasBeta ? in[i] : null;
            NormKernels.rowForward(rows, k, x, gamma, beta, eps, out[0], out[1], out[2]);
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grads) {
            SDVariable[] outs = outputVariables();
            SDVariable dy = grads.get(0) != null ? grads.get(0) : sameDiff.zerosLike(outs[0]);
            SDVariable gmean = grads.size() > 1 ? grads.get(1) : null;
            SDVariable gvar = grads.size() > 2 ? grads.get(2) : null;
            SDVariable[] a = args();
            SDVariable gamma = hasGamma ? a[1] : null;
            return List.of(
                    new RowNormBpOp(
                                    sameDiff, a[0], dy, outs[1], outs[2], gamma, gmean, gvar, dims,
                                    eps, hasBeta)
                            .outputVariables());
        }
    }

    /**
     * Backward of {@link RowNormOp}: inputs x, dy, μ, σ², [γ], [dμ], [dσ²]; outputs dx, [dγ], [dβ].
     */
    public static final class RowNormBpOp extends JavaOp {
        private int dims;
        private double eps;
        private boolean hasGamma;
        private boolean wantBeta;
        private boolean hasGmean;
        private boolean hasGvar;

        public RowNormBpOp() {}

        RowNormBpOp(
                SameDiff sd,
                SDVariable x,
                SDVariable dy,
                SDVariable mean,
                SDVariable var,
                SDVariable gamma,
                SDVariable gmean,
                SDVariable gvar,
                int dims,
                double eps,
                boolean wantBeta) {
            super(sd, present(x, dy, mean, var, gamma, gmean, gvar));
            addIArgument(dims);
            addTArgument(eps);
            addBArgument(gamma != null, wantBeta, gmean != null, gvar != null);
            readArguments();
        }

        @Override
        protected void readArguments() {
            dims = (int) iArg(0);
            eps = tArg(0);
            hasGamma = bArg(0);
            wantBeta = bArg(1);
            hasGmean = bArg(2);
            hasGvar = bArg(3);
        }

        @Override
        public String opName() {
            return "voxel4j_row_norm_bp";
        }

        @Override
        protected int outputCount() {
            return 1 + (hasGamma ? 1 : 0) + (wantBeta ? 1 : 0);
        }

        @Override
        protected long[][] outputShapes(INDArray[] in) {
            List<long[]> s = new ArrayList<>();
            s.add(in[0].shape());
            long[] shape = in[0].shape();
            long[] trail = Arrays.copyOfRange(shape, shape.length - dims, shape.length);
            if (hasGamma) {
                s.add(in[4].shape());
            }
            if (wantBeta) {
                s.add(trail);
            }
            return s.toArray(long[][]::new);
        }

        @Override
        protected void compute(INDArray[] in, INDArray[] out) {
            INDArray x = Buf.denseCopy(in[0]);
            INDArray dy = Buf.denseCopy(in[1]);
            int k = (int) trailing(x.shape(), dims);
            int rows = (int) (x.length() / k);
            int i = 4;
            INDArray gamma = hasGamma ? in[i++] : null;
            INDArray gmean = hasGmean ? in[i++] : null;
            INDArray gvar = hasGvar ? in[i] : null;
            int o = 1;
            INDArray dgamma = hasGamma ? out[o++] : null;
            INDArray dbeta = wantBeta ? out[o] : null;
            NormKernels.rowBackward(
                    rows, k, x, dy, in[2], in[3], gamma, gmean, gvar, eps, out[0], dgamma, dbeta);
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grads) {
            throw new UnsupportedOperationException(
                    "second derivatives of the fused normalisation are not implemented");
        }
    }

    private static long[] leading(long[] shape, int dims) {
        if (shape.length < dims) {
            throw new IllegalArgumentException(
                    "layer norm over "
                            + dims
                            + " trailing axes needs rank >= "
                            + dims
                            + ", got shape "
                            + Arrays.toString(shape));
        }
        long[] lead = Arrays.copyOf(shape, shape.length - dims);
        return lead.length == 0 ? new long[] {1} : lead;
    }

    private static long trailing(long[] shape, int dims) {
        leading(shape, dims);
        long k = 1;
        for (int i = shape.length - dims; i < shape.length; i++) {
            k *= shape[i];
        }
        return k;
    }
}
