package org.voxel4j.nn.losses;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.ops.Activations;

/**
 * Binary focal loss on sigmoid probabilities (Lin et al. 2017, "Focal Loss for Dense Object
 * Detection", eq. 5), torchvision's {@code sigmoid_focal_loss(inputs, targets, alpha, gamma,
 * reduction)}: with {@code p = sigmoid(x)}, elementwise
 *
 * <pre>
 *   p_t = p y + (1 - p)(1 - y),   alpha_t = alpha y + (1 - alpha)(1 - y)
 *   l = alpha_t (1 - p_t)^gamma BCEWithLogits(x, y)
 * </pre>
 *
 * ({@code alpha_t = 1} when {@code alpha < 0}, torchvision's "ignore" value). The binary cross
 * entropy uses the stable form of {@link BceWithLogitsLoss}. The target has the prediction's shape
 * (values in [0, 1]); an optional third input is a per-element weight or 0/1 mask broadcastable to
 * the prediction: MEAN is {@code Σ w l / Σ w} (plain mean without it), SUM is {@code Σ w l}.
 *
 * @param alpha balance of positives, in [0, 1], or -1 for none (torchvision default 0.25)
 * @param gamma focusing parameter, &gt;= 0 (default 2)
 * @param reduction MEAN or SUM
 */
public record SigmoidFocalLoss(double alpha, double gamma, Reduction reduction) implements Module {

    public SigmoidFocalLoss {
        if (!(alpha == -1 || (alpha >= 0 && alpha <= 1))) {
            throw new IllegalArgumentException(
                    "SigmoidFocalLoss alpha must be in [0, 1] or -1 (no weighting), got " + alpha);
        }
        LossSupport.checkNonNegative("SigmoidFocalLoss", "gamma", gamma);
        LossSupport.checkReduction("SigmoidFocalLoss", reduction);
    }

    /** torchvision's defaults alpha 0.25, gamma 2 (reduction mean: a training loss is a scalar). */
    public static SigmoidFocalLoss of() {
        return new SigmoidFocalLoss(0.25, 2.0, Reduction.MEAN);
    }

    public SigmoidFocalLoss withAlpha(double a) {
        return new SigmoidFocalLoss(a, gamma, reduction);
    }

    public SigmoidFocalLoss withGamma(double g) {
        return new SigmoidFocalLoss(alpha, g, reduction);
    }

    public SigmoidFocalLoss withReduction(Reduction r) {
        return new SigmoidFocalLoss(alpha, gamma, r);
    }

    /**
     * @param inputs {@code (logits, target[, weight])}
     * @return the scalar loss
     */
    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        int n = LossSupport.requireInputs(this, inputs, 2, 3);
        SameDiff sd = s.sd();
        SDVariable x = inputs[0];
        SDVariable y = LossSupport.reshapeTo(sd, inputs[1], x);
        SDVariable ce = y.rsub(1.0).mul(x).add(LossSupport.softplusNeg(sd, x));
        SDVariable p = Activations.sigmoid(sd, x);
        SDVariable l = ce;
        if (gamma > 0) {
            // 1 - p_t = 1 - (p y + (1 - p)(1 - y)) = p + y - 2 p y
            SDVariable oneMinusPt = p.add(y).sub(p.mul(y).mul(2.0));
            l = l.mul(LossSupport.pow(sd, oneMinusPt, gamma));
        }
        if (alpha >= 0) {
            l = l.mul(y.mul(alpha).add(y.rsub(1.0).mul(1 - alpha)));
        }
        List<SDVariable> bad = new ArrayList<>();
        SDVariable loss = LossSupport.reduce(sd, l, n == 3 ? inputs[2] : null, reduction, bad);
        return LossSupport.poisonIf(sd, loss, bad);
    }
}
