package org.voxel4j.nn.losses;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.ops.Shapes;

/**
 * Binary cross entropy of logits, PyTorch's {@code F.binary_cross_entropy_with_logits}, in its
 * stable form: with {@code q = (pw - 1) y + 1},
 *
 * <pre>
 *   l = (1 - y) x + q log(1 + exp(-x))
 *     = -[pw y log sigmoid(x) + (1 - y) log(1 - sigmoid(x))]
 * </pre>
 *
 * where {@code log(1 + exp(-x))} is evaluated as {@code m + log(exp(-m) + exp(-x - m))}, {@code m =
 * max(-x, 0)}, as PyTorch's kernel does (no overflow, exact gradient also at {@code x = 0}).
 *
 * <p>{@code posWeight} holds one value per channel (axis 1 of {@code [N, C, *S]}) or a single value
 * for all; note that PyTorch broadcasts {@code pos_weight} against the last axis, so its
 * segmentation equivalent is {@code pos_weight.view(C, 1, ..., 1)}. The target has the prediction's
 * shape, values in [0, 1]. An optional third input is a per-element weight or 0/1 mask
 * broadcastable to the prediction; MEAN is then {@code Σ w l / Σ w} (the masked mean used by every
 * loss of this package; PyTorch's {@code weight} argument instead divides by the element count,
 * which equals {@code SUM / numel}), SUM is {@code Σ w l}; without it MEAN is the plain mean.
 *
 * @param posWeight weight of positive examples per channel (or one for all), empty for none
 * @param reduction MEAN or SUM
 */
public record BceWithLogitsLoss(List<Double> posWeight, Reduction reduction) implements Module {

    public BceWithLogitsLoss {
        posWeight = LossSupport.classValues("BceWithLogitsLoss", "posWeight", posWeight);
        LossSupport.checkReduction("BceWithLogitsLoss", reduction);
    }

    /** PyTorch's defaults: no pos_weight, mean. */
    public static BceWithLogitsLoss of() {
        return new BceWithLogitsLoss(List.of(), Reduction.MEAN);
    }

    public BceWithLogitsLoss withPosWeight(double... w) {
        return new BceWithLogitsLoss(LossSupport.list(w), reduction);
    }

    public BceWithLogitsLoss withReduction(Reduction r) {
        return new BceWithLogitsLoss(posWeight, r);
    }

    /**
     * @param inputs {@code (logits [N, C, *S], target[, weight])}
     * @return the scalar loss
     */
    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        int n = LossSupport.requireInputs(this, inputs, 2, 3);
        SameDiff sd = s.sd();
        List<SDVariable> bad = new ArrayList<>();
        SDVariable x = inputs[0];
        SDVariable l;
        if (posWeight.isEmpty()) {
            SDVariable y = LossSupport.reshapeTo(sd, inputs[1], x);
            l = y.rsub(1.0).mul(x).add(LossSupport.softplusNeg(sd, x));
        } else {
            // Per-channel constants broadcast over the flat [N, C, P] view.
            SDVariable xf = LossSupport.flat(sd, x);
            SDVariable y = LossSupport.reshapeTo(sd, inputs[1], xf);
            SDVariable pw = LossSupport.perChannel(sd, posWeight, x.dataType());
            if (posWeight.size() > 1) {
                bad.add(LossSupport.channelsOtherThan(sd, xf, posWeight.size()));
            }
            SDVariable q = pw.sub(1.0).mul(y).add(1.0);
            SDVariable lf = y.rsub(1.0).mul(xf).add(q.mul(LossSupport.softplusNeg(sd, xf)));
            l = Shapes.reshapeLike(sd, lf, x);
        }
        SDVariable loss = LossSupport.reduce(sd, l, n == 3 ? inputs[2] : null, reduction, bad);
        return LossSupport.poisonIf(sd, loss, bad);
    }
}
