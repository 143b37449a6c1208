package org.voxel4j.nn.losses;

import org.nd4j.autodiff.samediff.SDVariable;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;

/**
 * Mean squared error, PyTorch's {@code F.mse_loss}: {@code l = (x - y)^2} elementwise, written from
 * elementwise ops because the gradient of ND4J's {@code sd.loss().meanSquaredError} ignores the
 * upstream gradient (ND4J-NOTES.md). The target has the prediction's number of elements. An
 * optional third input is a per-element weight or 0/1 mask broadcastable to the prediction: MEAN is
 * {@code Σ w l / Σ w} with {@code w} broadcast to the prediction's shape, SUM is {@code Σ w l};
 * without it MEAN is the plain mean.
 *
 * @param reduction MEAN or SUM
 */
public record MseLoss(Reduction reduction) implements Module {

    public MseLoss {
        LossSupport.checkReduction("MseLoss", reduction);
    }

    /** Mean reduction (PyTorch's default). */
    public static MseLoss of() {
        return new MseLoss(Reduction.MEAN);
    }

    /**
     * @param inputs {@code (prediction, target[, weight])}
     * @return the scalar loss
     */
    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        return LossSupport.pointwise(this, s.sd(), inputs, reduction, d -> d.mul(d));
    }
}
