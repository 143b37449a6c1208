package org.voxel4j.nn.ops;

import java.util.Arrays;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.voxel4j.nn.engine.ActivationOps;
import org.voxel4j.nn.engine.Engine;
import org.voxel4j.nn.engine.NormOps;
import org.voxel4j.nn.engine.SoftmaxOps;

/**
 * Elementwise activations and the numerically stable softmax family, with PyTorch semantics.
 *
 * <p>{@code softmax}, {@code logSoftmax} and {@code logSumExp} subtract the maximum along the
 * reduced axes before exponentiating (Blanchard, Higham &amp; Higham 2021, "Accurately computing
 * the log-sum-exp and softmax functions"). The maximum is not detached (ND4J has no stop-gradient
 * op), but the result is exactly shift-invariant, so the gradient through the maximum is {@code (1
 * - sum(softmax)) * dmax = 0} up to rounding; the gradient checks in {@code ActivationsTest}
 * confirm it. ND4J's own {@code logSumExp} is not used: its backward fails in 1.0.0-M2.1. Axes must
 * be non-negative, because ND4J's reductions with {@code keepDims} compute wrong values for
 * negative axes.
 */
public final class Activations {
    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);

    private Activations() {}

    /** {@code max(x, 0)} (PyTorch {@code F.relu}). */
    public static SDVariable relu(SameDiff sd, SDVariable x) {
        if (Engine.enabled()) {
            SDVariable fused = NormOps.fuseLeakyRelu(sd, x, 0.0);
            return fused != null ? fused : ActivationOps.leakyRelu(sd, x, 0.0);
        }
        return sd.nn.relu(x, 0.0);
    }

    /**
     * {@code x} if positive else {@code slope * x} (PyTorch {@code F.leaky_relu}, default 0.01).
     */
    public static SDVariable leakyRelu(SameDiff sd, SDVariable x, double slope) {
        if (Engine.enabled()) {
            SDVariable fused = NormOps.fuseLeakyRelu(sd, x, slope);
            return fused != null ? fused : ActivationOps.leakyRelu(sd, x, slope);
        }
        return sd.nn.leakyRelu(x, slope);
    }

    /**
     * Parametric ReLU (He et al. 2015, "Delving Deep into Rectifiers", eq. 1; PyTorch {@code
     * F.prelu(x, weight)}): {@code max(0, x) + weight * min(0, x)} with {@code weight} of shape
     * {@code [1]} (shared) or {@code [C]} (one per channel of {@code [N, C, *S]}, any rank ≥ 2).
     *
     * @param perChannel true if {@code weight} has C elements, false if it has one
     */
    public static SDVariable prelu(
            SameDiff sd, SDVariable x, SDVariable weight, boolean perChannel) {
        SDVariable pos = sd.nn.relu(x, 0.0);
        SDVariable neg = x.sub(pos);
        if (!perChannel) {
            return pos.add(neg.mul(weight));
        }
        SDVariable flatNeg = Shapes.flattenSpatial(sd, neg).mul(sd.reshape(weight, 1, -1, 1));
        return pos.add(Shapes.reshapeLike(sd, flatNeg, x));
    }

    /**
     * GELU, exact form (Hendrycks &amp; Gimpel 2016, "Gaussian Error Linear Units"; PyTorch {@code
     * F.gelu(x)}): {@code 0.5 x (1 + erf(x / sqrt(2)))}.
     */
    public static SDVariable gelu(SameDiff sd, SDVariable x) {
        return x.mul(sd.math.erf(x.mul(SQRT_HALF)).add(1.0)).mul(0.5);
    }

    /**
     * GELU, tanh approximation (PyTorch {@code F.gelu(x, approximate='tanh')}): {@code 0.5 x (1 +
     * tanh(sqrt(2 / pi) (x + 0.044715 x^3)))}.
     */
    public static SDVariable geluTanh(SameDiff sd, SDVariable x) {
        SDVariable inner = x.add(x.mul(x).mul(x).mul(0.044715)).mul(SQRT_2_OVER_PI);
        return x.mul(sd.math.tanh(inner).add(1.0)).mul(0.5);
    }

    /** SiLU / swish: {@code x * sigmoid(x)} (PyTorch {@code F.silu}). */
    public static SDVariable silu(SameDiff sd, SDVariable x) {
        return x.mul(sd.nn.sigmoid(x));
    }

    /** {@code 1 / (1 + exp(-x))} (PyTorch {@code torch.sigmoid}). */
    public static SDVariable sigmoid(SameDiff sd, SDVariable x) {
        return sd.nn.sigmoid(x);
    }

    /** Hyperbolic tangent (PyTorch {@code torch.tanh}). */
    public static SDVariable tanh(SameDiff sd, SDVariable x) {
        return sd.math.tanh(x);
    }

    /** Softplus with PyTorch's defaults {@code beta = 1}, {@code threshold = 20}. */
    public static SDVariable softplus(SameDiff sd, SDVariable x) {
        return softplus(sd, x, 1.0, 20.0);
    }

    /**
     * Softplus (PyTorch {@code F.softplus(x, beta, threshold)}): {@code log(1 + exp(beta x)) /
     * beta}, and exactly {@code x} where {@code beta x > threshold}. The smooth branch is evaluated
     * at {@code min(beta x, threshold)} so it never overflows, and the branches are combined with a
     * 0/1 mask (constant almost everywhere, so it carries no gradient), which reproduces PyTorch's
     * values and gradients on both sides of the threshold.
     */
    public static SDVariable softplus(SameDiff sd, SDVariable x, double beta, double threshold) {
        if (!(beta > 0) || !Double.isFinite(beta)) {
            throw new IllegalArgumentException("beta must be finite and > 0, got " + beta);
        }
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("threshold must be finite, got " + threshold);
        }
        DataType t = x.dataType();
        SDVariable bx = x.mul(beta);
        SDVariable capped = sd.math.min(bx, sd.constant(threshold).castTo(t));
        SDVariable soft = sd.math.log1p(sd.math.exp(capped)).div(beta);
        SDVariable linear = sd.gt(bx, threshold).castTo(t);
        return linear.mul(x).add(linear.rsub(1.0).mul(soft));
    }

    /** Softmax along {@code axis} (PyTorch {@code F.softmax(x, dim=axis)}). */
    public static SDVariable softmax(SameDiff sd, SDVariable x, int axis) {
        checkAxis(axis);
        if (Engine.enabled()) {
            return SoftmaxOps.softmax(sd, x, axis, false);
        }
        SDVariable e = sd.math.exp(x.sub(sd.max(x, true, axis)));
        return e.div(sd.sum(e, true, axis));
    }

    /** Log-softmax along {@code axis} (PyTorch {@code F.log_softmax(x, dim=axis)}). */
    public static SDVariable logSoftmax(SameDiff sd, SDVariable x, int axis) {
        checkAxis(axis);
        if (Engine.enabled()) {
            return SoftmaxOps.softmax(sd, x, axis, true);
        }
        SDVariable shifted = x.sub(sd.max(x, true, axis));
        return shifted.sub(sd.math.log(sd.sum(sd.math.exp(shifted), true, axis)));
    }

    /**
     * {@code log(sum(exp(x)))} over {@code axes} (PyTorch {@code torch.logsumexp(x, dim=axes,
     * keepdim=keepDims)}), computed as {@code m + log(sum(exp(x - m)))} with {@code m} the maximum.
     */
    public static SDVariable logSumExp(SameDiff sd, SDVariable x, boolean keepDims, int... axes) {
        if (axes.length == 0) {
            throw new IllegalArgumentException("logSumExp needs at least one axis");
        }
        for (int a : axes) {
            checkAxis(a);
        }
        SDVariable m = sd.max(x, true, axes);
        SDVariable lse = sd.math.log(sd.sum(sd.math.exp(x.sub(m)), true, axes)).add(m);
        if (keepDims) {
            return lse;
        }
        int[] sorted = axes.clone();
        Arrays.sort(sorted);
        SDVariable out = lse;
        for (int i = sorted.length - 1; i >= 0; i--) {
            out = sd.squeeze(out, sorted[i]);
        }
        return out;
    }

    private static void checkAxis(int axis) {
        if (axis < 0) {
            throw new IllegalArgumentException(
                    "axis must be non-negative (ND4J reductions with keepDims compute wrong values"
                            + " for negative axes), got "
                            + axis);
        }
    }
}
