package org.voxel4j.nn.ops;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.voxel4j.nn.engine.Engine;
import org.voxel4j.nn.engine.NormOps;

/**
 * Normalisation layers' arithmetic for channels-first tensors {@code [N, C, *S]} of any rank ≥ 2.
 *
 * <p>All statistics are the mean and the biased variance {@code mean((x - mean)^2)} computed in two
 * passes from plain reductions, which differentiate correctly. Deliberately not used (ND4J
 * 1.0.0-M2.1, regression tests in {@code NormsTest}): {@code sd.variance(x, false, ...)}, whose
 * backward uses the N−1 formula, and {@code batchNorm}, whose backward fails.
 *
 * <p>The operations are rank-agnostic: {@code x} is viewed as {@code [N, C, prod(S)]} (or {@code
 * [M, K]} for the trailing-axes norms), normalised there and reshaped back to its run-time shape.
 * Parameters of shape {@code [C]} may be null where PyTorch's {@code affine=False} applies.
 */
public final class Norms {
    private Norms() {}

    /**
     * Group normalisation (Wu &amp; He 2018, "Group Normalization", eq. 1; PyTorch {@code
     * F.group_norm(x, groups, gamma, beta, eps)}): the C channels are split into {@code groups}
     * groups of C/groups consecutive channels; each (sample, group) is normalised by its mean and
     * biased variance over the group's channels and all spatial positions, then scaled and shifted
     * per channel.
     *
     * @param groups number of groups; must divide C (checked at run time by the reshape)
     * @param gamma per-channel scale {@code [C]} or null
     * @param beta per-channel shift {@code [C]} or null
     * @param eps added to the variance (PyTorch default 1e-5)
     */
    public static SDVariable groupNorm(
            SameDiff sd, SDVariable x, int groups, SDVariable gamma, SDVariable beta, double eps) {
        if (groups < 1) {
            throw new IllegalArgumentException("groups must be >= 1, got " + groups);
        }
        checkEps(eps);
        if (Engine.enabled()) {
            return NormOps.channelNorm(sd, x, NormOps.Kind.GROUP, groups, gamma, beta, eps).y();
        }
        SDVariable shape = sd.shape(x);
        // [N, groups, -1]: N padded with two zeros, plus the constant [0, groups, -1].
        SDVariable target =
                Shapes.padVector(sd, Shapes.dims(sd, shape, 0, 1), 0, 2, 0)
                        .add(Shapes.longs(sd, 0, groups, -1));
        SDVariable g = sd.reshape(x, target);
        SDVariable normed = standardize(sd, g, 2, eps);
        return Shapes.affineChannels(sd, Shapes.reshapeLike(sd, normed, x), gamma, beta);
    }

    /**
     * Instance normalisation (Ulyanov et al. 2016, "Instance Normalization"; PyTorch {@code
     * F.instance_norm(x, weight=gamma, bias=beta, eps=eps)} / {@code InstanceNorm{1,2,3}d} with
     * {@code track_running_stats=False}): each (sample, channel) is normalised over its spatial
     * positions. PyTorch's layer default is {@code affine=False}: pass null gamma and beta.
     */
    public static SDVariable instanceNorm(
            SameDiff sd, SDVariable x, SDVariable gamma, SDVariable beta, double eps) {
        checkEps(eps);
        if (Engine.enabled()) {
            return NormOps.channelNorm(sd, x, NormOps.Kind.INSTANCE, 0, gamma, beta, eps).y();
        }
        SDVariable flat = Shapes.flattenSpatial(sd, x);
        SDVariable normed = standardize(sd, flat, 2, eps);
        return Shapes.affineChannels(sd, Shapes.reshapeLike(sd, normed, x), gamma, beta);
    }

    /**
     * Layer normalisation over the last {@code normalizedDims} axes (Ba et al. 2016, "Layer
     * Normalization"; PyTorch {@code F.layer_norm(x, x.shape[-k:], gamma, beta, eps)}). Elementwise
     * affine parameters have the shape of those trailing axes (they are flattened in C order). For
     * normalisation over C..W with a per-channel affine (as in ConvNeXt-style "LayerNorm over
     * channels" done by GroupNorm(1, C)) use {@link #groupNorm} with one group.
     *
     * @param normalizedDims number of trailing axes normalised together (≥ 1)
     * @param gamma scale with the shape of the trailing axes, or null
     * @param beta shift with the shape of the trailing axes, or null
     */
    public static SDVariable layerNorm(
            SameDiff sd,
            SDVariable x,
            int normalizedDims,
            SDVariable gamma,
            SDVariable beta,
            double eps) {
        checkEps(eps);
        if (Engine.enabled()) {
            return NormOps.layerNorm(sd, x, normalizedDims, gamma, beta, eps).y();
        }
        SDVariable flat = trailingFlat(sd, x, normalizedDims);
        SDVariable normed = standardize(sd, flat, 1, eps);
        if (gamma != null) {
            normed = normed.mul(sd.reshape(gamma, 1, -1));
        }
        if (beta != null) {
            normed = normed.add(sd.reshape(beta, 1, -1));
        }
        return Shapes.reshapeLike(sd, normed, x);
    }

    /**
     * Layer normalisation over the channel axis only, separately at every position of {@code [N, C,
     * *S]} (ConvNeXt's "channels_first" LayerNorm, Liu et al. 2022, "A ConvNet for the 2020s"; timm
     * {@code LayerNorm2d}; PyTorch {@code F.layer_norm(x.movedim(1, -1), (C,), gamma, beta,
     * eps).movedim(-1, 1)}). For normalisation over C..W together with a per-channel affine use
     * {@link #groupNorm} with one group; for C..W with elementwise affine use {@link #layerNorm}
     * with {@code normalizedDims = rank - 1}.
     *
     * @param gamma per-channel scale {@code [C]} or null
     * @param beta per-channel shift {@code [C]} or null
     */
    public static SDVariable channelLayerNorm(
            SameDiff sd, SDVariable x, SDVariable gamma, SDVariable beta, double eps) {
        checkEps(eps);
        SDVariable flat = Shapes.flattenSpatial(sd, x);
        SDVariable normed = standardize(sd, flat, 1, eps);
        return Shapes.affineChannels(sd, Shapes.reshapeLike(sd, normed, x), gamma, beta);
    }

    /**
     * Root-mean-square normalisation over the last {@code normalizedDims} axes (Zhang &amp;
     * Sennrich 2019, "Root Mean Square Layer Normalization", eq. 4; PyTorch ≥ 2.4 {@code
     * F.rms_norm(x, x.shape[-k:], gamma, eps)}): {@code x / sqrt(mean(x^2) + eps) * gamma}.
     *
     * @param gamma scale with the shape of the trailing axes, or null
     */
    public static SDVariable rmsNorm(
            SameDiff sd, SDVariable x, int normalizedDims, SDVariable gamma, double eps) {
        checkEps(eps);
        SDVariable flat = trailingFlat(sd, x, normalizedDims);
        SDVariable ms = sd.mean(flat.mul(flat), true, 1);
        SDVariable normed = flat.div(sd.math.sqrt(ms.add(eps)));
        if (gamma != null) {
            normed = normed.mul(sd.reshape(gamma, 1, -1));
        }
        return Shapes.reshapeLike(sd, normed, x);
    }

    /**
     * Result of training-mode batch normalisation.
     *
     * @param output normalised, scaled and shifted {@code x}
     * @param mean batch mean per channel {@code [C]}
     * @param variance biased batch variance per channel {@code [C]} (used for normalising)
     * @param unbiasedVariance {@code variance * M / (M - 1)} with M values per channel; PyTorch
     *     updates {@code running_var} with this one
     */
    public record BatchStats(
            SDVariable output, SDVariable mean, SDVariable variance, SDVariable unbiasedVariance) {}

    /**
     * Batch normalisation in training mode (Ioffe &amp; Szegedy 2015, "Batch Normalization",
     * Algorithm 1; PyTorch {@code F.batch_norm(x, rm, rv, gamma, beta, training=True, eps=eps)}):
     * each channel is normalised by its mean and biased variance over the batch and all spatial
     * positions. The batch statistics are returned so the caller can update the running statistics
     * with {@link #updateRunningStats}. Needs at least two values per channel (M ≥ 2), as PyTorch.
     */
    public static BatchStats batchNormTrain(
            SameDiff sd, SDVariable x, SDVariable gamma, SDVariable beta, double eps) {
        checkEps(eps);
        SDVariable out;
        SDVariable meanC;
        SDVariable varC;
        if (Engine.enabled()) {
            NormOps.Result r = NormOps.channelNorm(sd, x, NormOps.Kind.BATCH, 0, gamma, beta, eps);
            out = r.y();
            meanC = r.mean();
            varC = r.variance();
        } else {
            SDVariable flat = Shapes.flattenSpatial(sd, x);
            SDVariable mean = sd.mean(flat, true, 0, 2);
            SDVariable centred = flat.sub(mean);
            SDVariable var = sd.mean(centred.mul(centred), true, 0, 2);
            SDVariable normed = centred.div(sd.math.sqrt(var.add(eps)));
            out = Shapes.affineChannels(sd, Shapes.reshapeLike(sd, normed, x), gamma, beta);
            meanC = sd.reshape(mean, -1);
            varC = sd.reshape(var, -1);
        }
        // M = number of values per channel = numel / C, known only at run time.
        SDVariable shape = sd.shape(x);
        SDVariable m =
                sd.prod(shape.castTo(x.dataType()), false, 0)
                        .div(Shapes.dims(sd, shape, 1, 2).castTo(x.dataType()));
        SDVariable unbiased = varC.mul(m.div(m.sub(1.0)));
        return new BatchStats(out, meanC, varC, unbiased);
    }

    /**
     * Batch normalisation in evaluation mode (PyTorch {@code F.batch_norm(x, runningMean,
     * runningVar, gamma, beta, training=False, eps=eps)}): {@code (x - runningMean) /
     * sqrt(runningVar + eps) * gamma + beta} per channel.
     */
    public static SDVariable batchNormEval(
            SameDiff sd,
            SDVariable x,
            SDVariable runningMean,
            SDVariable runningVar,
            SDVariable gamma,
            SDVariable beta,
            double eps) {
        checkEps(eps);
        SDVariable flat = Shapes.flattenSpatial(sd, x);
        SDVariable normed =
                flat.sub(sd.reshape(runningMean, 1, -1, 1))
                        .div(sd.math.sqrt(sd.reshape(runningVar, 1, -1, 1).add(eps)));
        return Shapes.affineChannels(sd, Shapes.reshapeLike(sd, normed, x), gamma, beta);
    }

    /**
     * Updates running statistics in place with PyTorch's rule {@code running = (1 - momentum) *
     * running + momentum * batch}, using the <b>unbiased</b> batch variance for {@code runningVar}
     * (PyTorch's default momentum is 0.1).
     */
    public static void updateRunningStats(
            INDArray runningMean,
            INDArray runningVar,
            INDArray batchMean,
            INDArray batchUnbiasedVariance,
            double momentum) {
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1], got " + momentum);
        }
        checkSameLength("runningMean", runningMean, "batchMean", batchMean);
        checkSameLength("runningVar", runningVar, "batchUnbiasedVariance", batchUnbiasedVariance);
        runningMean.muli(1 - momentum).addi(batchMean.reshape(runningMean.shape()).mul(momentum));
        runningVar
                .muli(1 - momentum)
                .addi(batchUnbiasedVariance.reshape(runningVar.shape()).mul(momentum));
    }

    /** {@code (x - mean) / sqrt(var + eps)} with mean and biased variance over {@code axis}. */
    private static SDVariable standardize(SameDiff sd, SDVariable x, int axis, double eps) {
        SDVariable mean = sd.mean(x, true, axis);
        SDVariable centred = x.sub(mean);
        SDVariable var = sd.mean(centred.mul(centred), true, axis);
        return centred.div(sd.math.sqrt(var.add(eps)));
    }

    /** Views {@code x} as {@code [M, K]} with K the product of the last {@code k} axes. */
    private static SDVariable trailingFlat(SameDiff sd, SDVariable x, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("normalizedDims must be >= 1, got " + k);
        }
        SDVariable shape = sd.shape(x);
        SDVariable kSize = sd.prod(Shapes.dims(sd, shape, -k, Shapes.END), true, 0);
        return sd.reshape(x, Shapes.padVector(sd, kSize, 1, 0, -1));
    }

    private static void checkEps(double eps) {
        if (!(eps >= 0) || !Double.isFinite(eps)) {
            throw new IllegalArgumentException("eps must be finite and >= 0, got " + eps);
        }
    }

    private static void checkSameLength(String a, INDArray x, String b, INDArray y) {
        if (x.length() != y.length()) {
            throw new IllegalArgumentException(
                    a + " has " + x.length() + " elements but " + b + " has " + y.length());
        }
    }
}
