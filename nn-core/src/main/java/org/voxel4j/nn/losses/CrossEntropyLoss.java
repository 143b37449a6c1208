package org.voxel4j.nn.losses;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.ops.Activations;

/**
 * Cross entropy of logits, PyTorch's {@code F.cross_entropy(input, target, weight, ignore_index,
 * reduction, label_smoothing)} (torch 1.13 semantics), for channels-first predictions {@code [N, C,
 * *S]} with any number of spatial dimensions (including none).
 *
 * <p>Class-index targets ({@code probabilityTargets = false}): the target is a label map {@code [N,
 * *S]} or {@code [N, 1, *S]} of integral floats. With {@code p = softmax(x)} over the channel axis,
 * {@code w} the class weights (all 1 if empty) and {@code ε} the label smoothing, voxel {@code i}
 * with label {@code y_i} contributes
 *
 * <pre>
 *   l_i = (1 - ε) w[y_i] (-log p[y_i]) + (ε / C) Σ_c w[c] (-log p[c])
 * </pre>
 *
 * and MEAN is {@code Σ_i l_i / Σ_i w[y_i]} (the weighted mean of PyTorch), SUM is {@code Σ_i l_i};
 * voxels labelled {@code ignoreIndex} are left out of both sums. If every voxel is ignored, MEAN is
 * 0/0 = NaN, as in PyTorch. A label that is neither in {@code [0, C)} nor the ignore index makes
 * the loss NaN (PyTorch raises an error), as does a weight list whose length differs from C.
 *
 * <p>Probability targets ({@code probabilityTargets = true}): the target is {@code [N, C, *S]} of
 * class probabilities (e.g. one-hot); {@code l_i = -Σ_c w[c] t'[c] log p[c]} with {@code t' = t (1
 * - ε) + ε / C}; MEAN divides by the number of voxels {@code N·prod(S)} (weights are not
 * normalised, as in PyTorch); {@code ignoreIndex} is not used.
 *
 * <p>The log-softmax is the max-shifted one of {@link Activations#logSoftmax}; the one-hot mask is
 * built by comparing the labels with {@code range(C)}, so neither {@code gather} nor {@code
 * sd.loss()} (both broken in ND4J 1.0.0-M2.1) is used.
 *
 * @param weight per-class weights (length C), or empty for none
 * @param ignoreIndex label whose voxels are ignored (PyTorch default -100)
 * @param labelSmoothing ε in [0, 1]
 * @param probabilityTargets whether the target holds class probabilities instead of class indices
 * @param reduction MEAN or SUM
 */
public record CrossEntropyLoss(
        List<Double> weight,
        int ignoreIndex,
        double labelSmoothing,
        boolean probabilityTargets,
        Reduction reduction)
        implements Module {

    /** PyTorch's default {@code ignore_index}. */
    public static final int DEFAULT_IGNORE_INDEX = -100;

    public CrossEntropyLoss {
        weight = LossSupport.classValues("CrossEntropyLoss", "weight", weight);
        LossSupport.checkUnit("CrossEntropyLoss", "labelSmoothing", labelSmoothing);
        LossSupport.checkReduction("CrossEntropyLoss", reduction);
    }

    /** PyTorch's defaults: no weights, ignore index -100, no smoothing, class indices, mean. */
    public static CrossEntropyLoss of() {
        return new CrossEntropyLoss(List.of(), DEFAULT_IGNORE_INDEX, 0.0, false, Reduction.MEAN);
    }

    public CrossEntropyLoss withWeight(double... w) {
        return withWeight(LossSupport.list(w));
    }

    public CrossEntropyLoss withWeight(List<Double> w) {
        return new CrossEntropyLoss(w, ignoreIndex, labelSmoothing, probabilityTargets, reduction);
    }

    public CrossEntropyLoss withIgnoreIndex(int i) {
        return new CrossEntropyLoss(weight, i, labelSmoothing, probabilityTargets, reduction);
    }

    public CrossEntropyLoss withLabelSmoothing(double e) {
        return new CrossEntropyLoss(weight, ignoreIndex, e, probabilityTargets, reduction);
    }

    public CrossEntropyLoss withProbabilityTargets(boolean p) {
        return new CrossEntropyLoss(weight, ignoreIndex, labelSmoothing, p, reduction);
    }

    public CrossEntropyLoss withReduction(Reduction r) {
        return new CrossEntropyLoss(weight, ignoreIndex, labelSmoothing, probabilityTargets, r);
    }

    /**
     * @param inputs {@code (logits [N, C, *S], target)}
     * @return the scalar loss
     */
    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        LossSupport.requireInputs(this, inputs, 2, 2);
        SameDiff sd = s.sd();
        SDVariable flat = LossSupport.flat(sd, inputs[0]);
        List<SDVariable> bad = new ArrayList<>();
        SDVariable loss =
                probabilityTargets
                        ? probabilities(sd, flat, inputs[1], weight, labelSmoothing, reduction, bad)
                        : indices(
                                sd,
                                flat,
                                inputs[1],
                                weight,
                                ignoreIndex,
                                labelSmoothing,
                                reduction,
                                bad);
        return LossSupport.poisonIf(sd, loss, bad);
    }

    /** Class-index cross entropy of a flat {@code [N, C, P]} prediction (see class comment). */
    static SDVariable indices(
            SameDiff sd,
            SDVariable flat,
            SDVariable target,
            List<Double> weight,
            Integer ignoreIndex,
            double labelSmoothing,
            Reduction reduction,
            List<SDVariable> bad) {
        SDVariable logp = Activations.logSoftmax(sd, flat, 1);
        LossSupport.Labels labels = LossSupport.oneHot(sd, flat, target, ignoreIndex);
        bad.add(labels.bad());
        SDVariable w = null;
        SDVariable weightedOneHot = labels.oneHot();
        if (!weight.isEmpty()) {
            w = LossSupport.perChannel(sd, weight, flat.dataType());
            weightedOneHot = weightedOneHot.mul(w);
            bad.add(LossSupport.channelsOtherThan(sd, flat, weight.size()));
        }
        SDVariable total = sd.sum(weightedOneHot.mul(logp)).neg();
        if (labelSmoothing > 0) {
            SDVariable perVoxel = sd.sum(w == null ? logp : logp.mul(w), true, 1);
            SDVariable smooth = sd.sum(perVoxel.mul(labels.keep())).neg();
            SDVariable smoothTerm =
                    weight.isEmpty()
                            ? smooth.mul(labelSmoothing)
                                    .div(LossSupport.channels(sd, flat).castTo(flat.dataType()))
                            : smooth.mul(labelSmoothing / weight.size());
            total = total.mul(1 - labelSmoothing).add(smoothTerm);
        }
        return reduction == Reduction.MEAN ? total.div(sd.sum(weightedOneHot)) : total;
    }

    /** Cross entropy with class-probability targets {@code [N, C, *S]} (see class comment). */
    static SDVariable probabilities(
            SameDiff sd,
            SDVariable flat,
            SDVariable target,
            List<Double> weight,
            double labelSmoothing,
            Reduction reduction,
            List<SDVariable> bad) {
        SDVariable logp = Activations.logSoftmax(sd, flat, 1);
        SDVariable t = LossSupport.reshapeTo(sd, target, flat);
        if (labelSmoothing > 0) {
            SDVariable c = LossSupport.channels(sd, flat).castTo(flat.dataType());
            t = t.mul(1 - labelSmoothing).add(c.rdiv(labelSmoothing));
        }
        SDVariable prod = t.mul(logp);
        if (!weight.isEmpty()) {
            prod = prod.mul(LossSupport.perChannel(sd, weight, flat.dataType()));
            bad.add(LossSupport.channelsOtherThan(sd, flat, weight.size()));
        }
        SDVariable perVoxel = sd.sum(prod, true, 1).neg();
        return reduction == Reduction.MEAN ? sd.mean(perVoxel) : sd.sum(perVoxel);
    }
}
