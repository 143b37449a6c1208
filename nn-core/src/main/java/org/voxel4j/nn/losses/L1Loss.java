package org.voxel4j.nn.losses;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;

/**
 * Mean absolute error, PyTorch's {@code F.l1_loss}: {@code l = |x - y|} elementwise. The target has
 * the prediction's number of elements (it is reshaped to the prediction's shape). An optional third
 * input is a per-element weight or 0/1 mask broadcastable to the prediction (e.g. {@code [N, 1,
 * *S]}): MEAN is {@code Σ w l / Σ w} with {@code w} broadcast to the prediction's shape, SUM is
 * {@code Σ w l}; without it MEAN is the plain mean. The gradient at {@code x = y} is 0, as in
 * PyTorch.
 *
 * @param reduction MEAN or SUM
 */
public record L1Loss(Reduction reduction) implements Module {

    public L1Loss {
        LossSupport.checkReduction("L1Loss", reduction);
    }

    /** Mean reduction (PyTorch's default). */
    public static L1Loss of() {
        return new L1Loss(Reduction.MEAN);
    }

    /**
     * @param inputs {@code (prediction, target[, weight])}
     * @return the scalar loss
     */
    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        SameDiff sd = s.sd();
        return LossSupport.pointwise(this, sd, inputs, reduction, d -> sd.math.abs(d));
    }
}
