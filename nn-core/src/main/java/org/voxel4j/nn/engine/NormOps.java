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

    /** Forward of instance, group and batch norm: inputs x, [γ], [β]; outputs y, μ, σ². */
    public static final class ChannelNormOp extends JavaOp {
        private NormKernels.Mode mode;
        private int groups;
        private double eps;
        private boolean hasGamma;
        private boolean hasBeta;

        public ChannelNormOp() {}

        ChannelNormOp(
                SameDiff sd,
                SDVariable x,
                SDVariable gamma,
                SDVariable beta,
                int mode,
                int groups,
                double eps) {
            super(sd, present(x, gamma, beta));
            addIArgument(mode, groups);
            addTArgument(eps);
            addBArgument(gamma != null, beta != null);
            readArguments();
        }

        @Override
        protected void readArguments() {
            mode = NormKernels.Mode.of(iArg(0));
            groups = (int) iArg(1);
            eps = tArg(0);
            hasGamma = bArg(0);
            hasBeta = bArg(1);
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
            NormKernels.channelForward(l, x, gamma, beta, eps, out[0], out[1], out[2]);
        }

        @Override
        public List<SDVariable> doDiff(List<SDVariable> grads) {
            SDVariable[] outs = outputVariables();
            SDVariable dy = grads.get(0) != null ? grads.get(0) : sameDiff.zerosLike(outs[0]);
            SDVariable gmean = grads.size() > 1 ? grads.get(1) : null;
            SDVariable gvar = grads.size() > 2 ? grads.get(2) : null;
            SDVariable[] a = args();
            SDVariable gamma = hasGamma ? a[1] : null;
            SDVariable[] d =
                    new ChannelNormBpOp(
                                    sameDiff,
                                    a[0],
                                    dy,
                                    outs[1],
                                    outs[2],
                                    gamma,
                                    gmean,
                                    gvar,
                                    mode.ordinal(),
                                    groups,
                                    eps,
                                    hasBeta)
                            .outputVariables();
            return List.of(d);
        }
    }

    /**
     * Backward of {@link ChannelNormOp}: inputs x, dy, μ, σ², [γ], [dμ], [dσ²]; outputs dx, [dγ],
     * [dβ].
     */
    public static final class ChannelNormBpOp extends JavaOp {
        private NormKernels.Mode mode;
        private int groups;
        private double eps;
        private boolean hasGamma;
        private boolean wantBeta;
        private boolean hasGmean;
        private boolean hasGvar;

        public ChannelNormBpOp() {}

        ChannelNormBpOp(
                SameDiff sd,
                SDVariable x,
                SDVariable dy,
                SDVariable mean,
                SDVariable var,
                SDVariable gamma,
                SDVariable gmean,
                SDVariable gvar,
                int mode,
                int groups,
                double eps,
                boolean wantBeta) {
            super(sd, present(x, dy, mean, var, gamma, gmean, gvar));
            addIArgument(mode, groups);
            addTArgument(eps);
            addBArgument(gamma != null, wantBeta, gmean != null, gvar != null);
            readArguments();
        }

        @Override
        protected void readArguments() {
            mode = NormKernels.Mode.of(iArg(0));
            groups = (int) iArg(1);
            eps = tArg(0);
            hasGamma = bArg(0);
            wantBeta = bArg(1);
            hasGmean = bArg(2);
            hasGvar = bArg(3);
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
            INDArray gmean = hasGmean ? in[k++] : null;
            INDArray gvar = hasGvar ? in[k] : null;
            int o = 1;
            INDArray dgamma = hasGamma ? out[o++] : null;
            INDArray dbeta = wantBeta ? out[o] : null;
            NormKernels.channelBackward(
                    l, x, dy, in[2], in[3], gamma, gmean, gvar, eps, out[0], dgamma, dbeta);
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
