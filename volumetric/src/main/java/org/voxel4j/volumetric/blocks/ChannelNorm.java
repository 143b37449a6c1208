package org.voxel4j.volumetric.blocks;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.voxel4j.nn.Init;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.engine.Engine;
import org.voxel4j.nn.ops.Norms;

/**
 * Instance or batch normalisation of {@code [N, C, *S]} with a known number of spatial axes:
 * PyTorch's {@code InstanceNorm{2,3}d(C, affine=True)} (statistics per sample and channel over the
 * spatial axes) and {@code BatchNorm{2,3}d(C)} (statistics per channel over batch and spatial axes
 * in training, running statistics in evaluation, updated with the unbiased batch variance and
 * {@code momentum}). Parameters and buffers carry nn-core's names ({@code weight}, {@code bias},
 * {@code running_mean}, {@code running_var}) and shapes, so weights are interchangeable with {@code
 * InstanceNorm} / {@code BatchNorm}.
 *
 * <p>With voxel4j's engine on (the default), training-mode statistics go through nn-core's fused
 * {@link Norms} kernels. Otherwise, why not nn-core's layers: they are rank-agnostic (reshaping to
 * {@code [N, C, prod(S)]} at run time), which costs about twice as many graph ops; the result is
 * the same (tested).
 *
 * @param batch batch (true) or instance (false) normalisation
 * @param channels C
 * @param spatialDims 2 or 3
 * @param eps added to the variance
 * @param momentum running-statistics momentum (batch norm)
 */
public record ChannelNorm(boolean batch, int channels, int spatialDims, double eps, double momentum)
        implements Module {

    public ChannelNorm {
        Axes.checkPositive("ChannelNorm", "channels", channels);
        Axes.checkSpatialDims("ChannelNorm", spatialDims);
        if (!(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(
                    "ChannelNorm needs eps > 0 and momentum in [0, 1], got "
                            + eps
                            + ", "
                            + momentum);
        }
    }

    public static ChannelNorm instance(int channels, int spatialDims) {
        return new ChannelNorm(false, channels, spatialDims, 1e-5, 0.1);
    }

    public static ChannelNorm batch(int channels, int spatialDims) {
        return new ChannelNorm(true, channels, spatialDims, 1e-5, 0.1);
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        Module.requireInputs(this, inputs, 1);
        SameDiff sd = s.sd();
        SDVariable x = inputs[0];
        SDVariable w = s.param("weight", Init.ones(), channels);
        SDVariable b = s.param("bias", Init.zeros(), channels);
        int[] axes = new int[spatialDims + (batch ? 1 : 0)];
        int i = 0;
        if (batch) {
            axes[i++] = 0;
        }
        for (int a = 0; a < spatialDims; a++) {
            axes[i++] = 2 + a;
        }
        SDVariable mean;
        SDVariable var;
        SDVariable rm = null;
        SDVariable rv = null;
        if (batch) {
            rm = s.buffer("running_mean", Init.zeros(), channels);
            rv = s.buffer("running_var", Init.ones(), channels);
        }
        if (Engine.enabled() && (!batch || s.training())) {
            // The engine's fused kernel (statistics, normalisation and a following activation in
            // one pass each way, hand-written gradient) instead of the composite below.
            if (!batch) {
                return Norms.instanceNorm(sd, x, w, b, eps);
            }
            Norms.BatchStats st = Norms.batchNormTrain(sd, x, w, b, eps);
            s.updateBuffer("running_mean", rm.mul(1 - momentum).add(st.mean().mul(momentum)));
            s.updateBuffer(
                    "running_var", rv.mul(1 - momentum).add(st.unbiasedVariance().mul(momentum)));
            return st.output();
        }
        SDVariable centred;
        if (batch && !s.training()) {
            centred = x.sub(FastOps.channel(sd, rm, spatialDims));
            var = FastOps.channel(sd, rv, spatialDims);
        } else {
            mean = sd.mean(x, true, axes);
            centred = x.sub(mean);
            var = sd.mean(centred.mul(centred), true, axes);
            if (batch) {
                // unbiased variance for the running estimate: M = numel / C values per channel
                SDVariable m =
                        sd.prod(sd.shape(x).castTo(s.dataType()), false, 0).mul(1.0 / channels);
                SDVariable meanC = sd.reshape(mean, -1);
                SDVariable unbiased = sd.reshape(var, -1).mul(m.div(m.sub(1.0)));
                s.updateBuffer("running_mean", rm.mul(1 - momentum).add(meanC.mul(momentum)));
                s.updateBuffer("running_var", rv.mul(1 - momentum).add(unbiased.mul(momentum)));
            }
        }
        SDVariable scale = sd.math.rsqrt(var.add(eps)).mul(FastOps.channel(sd, w, spatialDims));
        return centred.mul(scale).add(FastOps.channel(sd, b, spatialDims));
    }
}
