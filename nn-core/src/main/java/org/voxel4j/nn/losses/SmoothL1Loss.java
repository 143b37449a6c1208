package org.voxel4j.nn.losses;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;

/**
 * Smooth L1 loss, PyTorch's {@code F.smooth_l1_loss(input, target, beta)} (Girshick 2015, "Fast
 * R-CNN", eq. 3, with the transition point {@code beta}): with {@code d = x - y},
 *
 * <pre>
 *   l = 0.5 d² / beta     if |d| &lt; beta
 *       |d| - 0.5 beta    otherwise
 * </pre>
 *
 * and plain L1 for {@code beta = 0}. Value and derivative are continuous at {@code |d| = beta}. The
 * optional weight input and the reductions are those of {@link L1Loss}.
 *
 * @param beta transition point, &gt;= 0 (PyTorch default 1)
 * @param reduction MEAN or SUM
 */
public record SmoothL1Loss(double beta, Reduction reduction) implements Module {

    public SmoothL1Loss {
        LossSupport.checkNonNegative("SmoothL1Loss", "beta", beta);
        LossSupport.checkReduction("SmoothL1Loss", reduction);
    }

    /** PyTorch's defaults: beta 1, mean. */
    public static SmoothL1Loss of() {
        return new SmoothL1Loss(1.0, Reduction.MEAN);
    }

    public static SmoothL1Loss of(double beta) {
        return new SmoothL1Loss(beta, Reduction.MEAN);
    }

    public SmoothL1Loss withReduction(Reduction r) {
        return new SmoothL1Loss(beta, r);
    }

    /**
     * @param inputs {@code (prediction, target[, weight])}
     * @return the scalar loss
     */
    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        SameDiff sd = s.sd();
        return LossSupport.pointwise(
                this,
                sd,
                inputs,
                reduction,
                d -> {
                    SDVariable abs = sd.math.abs(d);
                    if (beta == 0) {
                        return abs;
                    }
                    // A 0/1 mask picks the branch; it is constant almost everywhere, so carries
                    // no gradient.
                    SDVariable quadratic = sd.lt(abs, beta).castTo(d.dataType());
                    return quadratic
                            .mul(d.mul(d).mul(0.5 / beta))
                            .add(quadratic.rsub(1.0).mul(abs.sub(0.5 * beta)));
                });
    }
}
