package org.voxel4j.nn.losses;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.ops.Activations;

/**
 * Multi-class focal loss on softmax probabilities (Lin et al. 2017, "Focal Loss for Dense Object
 * Detection", eq. 5, with the softmax in place of the sigmoid): voxel {@code i} with label {@code
 * y_i} and {@code p_t = softmax(x)[y_i]} contributes
 *
 * <pre>
 *   l_i = -alpha[y_i] (1 - p_t)^gamma log p_t
 * </pre>
 *
 * ({@code alpha[y] = 1} if {@code alpha} is empty). MEAN is {@code Σ_i l_i} divided by the number
 * of voxels not labelled {@code ignoreIndex} (alpha is not normalised, as in Lin et al.), SUM is
 * {@code Σ_i l_i}. With {@code gamma = 0} and no alpha it equals {@link CrossEntropyLoss#of()}. The
 * target is a label map {@code [N, *S]} or {@code [N, 1, *S]}; a label neither in {@code [0, C)}
 * nor the ignore index, or an alpha list of the wrong length, makes the loss NaN. {@code 1 - p_t}
 * is computed as {@code -expm1(log p_t)}, accurate when {@code p_t} is close to 1. For {@code gamma
 * < 1} the factor's derivative is unbounded where {@code p_t} reaches 1 exactly (a saturated
 * softmax), as in every implementation of the formula.
 *
 * @param gamma focusing parameter, &gt;= 0 (Lin et al.: 2)
 * @param alpha per-class weights (length C), or empty
 * @param ignoreIndex label whose voxels are ignored
 * @param reduction MEAN or SUM
 */
public record FocalLoss(double gamma, List<Double> alpha, int ignoreIndex, Reduction reduction)
        implements Module {

    public FocalLoss {
        LossSupport.checkNonNegative("FocalLoss", "gamma", gamma);
        alpha = LossSupport.classValues("FocalLoss", "alpha", alpha);
        LossSupport.checkReduction("FocalLoss", reduction);
    }

    /** gamma 2 (Lin et al.), no alpha, ignore index -100, mean. */
    public static FocalLoss of() {
        return new FocalLoss(2.0, List.of(), CrossEntropyLoss.DEFAULT_IGNORE_INDEX, Reduction.MEAN);
    }

    public FocalLoss withGamma(double g) {
        return new FocalLoss(g, alpha, ignoreIndex, reduction);
    }

    public FocalLoss withAlpha(double... a) {
        return new FocalLoss(gamma, LossSupport.list(a), ignoreIndex, reduction);
    }

    public FocalLoss withIgnoreIndex(int i) {
        return new FocalLoss(gamma, alpha, i, reduction);
    }

    public FocalLoss withReduction(Reduction r) {
        return new FocalLoss(gamma, alpha, ignoreIndex, r);
    }

    /**
     * @param inputs {@code (logits [N, C, *S], label map)}
     * @return the scalar loss
     */
    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        LossSupport.requireInputs(this, inputs, 2, 2);
        SameDiff sd = s.sd();
        List<SDVariable> bad = new ArrayList<>();
        SDVariable flat = LossSupport.flat(sd, inputs[0]);
        SDVariable logp = Activations.logSoftmax(sd, flat, 1);
        LossSupport.Labels labels = LossSupport.oneHot(sd, flat, inputs[1], ignoreIndex);
        bad.add(labels.bad());
        // log p_t per voxel, 0 for ignored voxels (their one-hot row is zero).
        SDVariable logPt = sd.sum(labels.oneHot().mul(logp), true, 1);
        SDVariable term = logPt.neg();
        if (gamma > 0) {
            SDVariable oneMinusPt = sd.math.expm1(logPt).neg();
            // Ignored voxels have 1 - p_t = 0; use 1 there so pow's derivative stays finite (their
            // term is 0 either way).
            SDVariable keep = labels.keep();
            SDVariable base = oneMinusPt.mul(keep).add(keep.rsub(1.0));
            term = term.mul(LossSupport.pow(sd, base, gamma));
        }
        if (!alpha.isEmpty()) {
            SDVariable a = LossSupport.perChannel(sd, alpha, flat.dataType());
            term = term.mul(sd.sum(labels.oneHot().mul(a), true, 1));
            bad.add(LossSupport.channelsOtherThan(sd, flat, alpha.size()));
        }
        SDVariable total = sd.sum(term);
        SDVariable loss = reduction == Reduction.MEAN ? total.div(sd.sum(labels.keep())) : total;
        return LossSupport.poisonIf(sd, loss, bad);
    }
}
