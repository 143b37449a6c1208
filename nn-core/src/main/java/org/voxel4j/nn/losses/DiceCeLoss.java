package org.voxel4j.nn.losses;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;

/**
 * Dice plus cross entropy, {@code lambdaDice · Dice + lambdaCe · CE}, with the semantics of MONAI's
 * {@code monai.losses.DiceCELoss} (MONAI 1.3/1.4, torch &gt;= 1.10); the combination nnU-Net trains
 * with by default (Isensee et al. 2021, "nnU-Net", Nat. Methods 18).
 *
 * <p>The Dice term is {@link DiceLoss} with the same options; {@code weight} is used as its class
 * weights (without the first entry if {@code includeBackground} is false). The CE term is {@link
 * CrossEntropyLoss} on the raw logits, whatever activation the Dice term uses, with class weights
 * {@code weight}, label smoothing {@code labelSmoothing} and the same reduction: with {@code
 * toOneHotY} the target is a label map {@code [N, 1, *S]} and CE uses class indices (mean =
 * weighted mean over voxels); otherwise the target is {@code [N, C, *S]} (one-hot or soft) and CE
 * uses it as class probabilities (mean over voxels), as MONAI does. MONAI's single-channel case
 * (binary cross entropy instead of CE) is not supported: a one-channel prediction makes the loss
 * NaN; use {@code WeightedSum} of {@link DiceLoss#multiLabel()} and {@link BceWithLogitsLoss}
 * instead. Labels must lie in {@code [0, C)} (no ignore index, as MONAI).
 *
 * @param includeBackground Dice option (see {@link DiceLoss})
 * @param toOneHotY whether the target is a label map
 * @param sigmoid Dice option
 * @param softmax Dice option
 * @param squaredPred Dice option
 * @param jaccard Dice option
 * @param reduction MEAN or SUM, for both terms
 * @param smoothNr Dice option
 * @param smoothDr Dice option
 * @param batch Dice option
 * @param weight per-class weights (length C) for both terms, empty for none
 * @param lambdaDice weight of the Dice term, &gt;= 0
 * @param lambdaCe weight of the CE term, &gt;= 0
 * @param labelSmoothing label smoothing of the CE term (MONAI 1.4), in [0, 1]
 */
public record DiceCeLoss(
        boolean includeBackground,
        boolean toOneHotY,
        boolean sigmoid,
        boolean softmax,
        boolean squaredPred,
        boolean jaccard,
        Reduction reduction,
        double smoothNr,
        double smoothDr,
        boolean batch,
        List<Double> weight,
        double lambdaDice,
        double lambdaCe,
        double labelSmoothing)
        implements Module {

    public DiceCeLoss {
        Overlap.checkActivation("DiceCeLoss", sigmoid, softmax);
        LossSupport.checkReduction("DiceCeLoss", reduction);
        LossSupport.checkNonNegative("DiceCeLoss", "smoothNr", smoothNr);
        LossSupport.checkNonNegative("DiceCeLoss", "smoothDr", smoothDr);
        weight = LossSupport.classValues("DiceCeLoss", "weight", weight);
        if (weight.size() == 1) {
            throw new IllegalArgumentException(
                    "DiceCeLoss weight needs one value per class (C >= 2), got " + weight);
        }
        LossSupport.checkNonNegative("DiceCeLoss", "lambdaDice", lambdaDice);
        LossSupport.checkNonNegative("DiceCeLoss", "lambdaCe", lambdaCe);
        LossSupport.checkUnit("DiceCeLoss", "labelSmoothing", labelSmoothing);
    }

    /** MONAI's constructor defaults (no activation, one-hot target, lambdas 1, mean, 1e-5). */
    public static DiceCeLoss of() {
        return new DiceCeLoss(
                true,
                false,
                false,
                false,
                false,
                false,
                Reduction.MEAN,
                DiceLoss.DEFAULT_SMOOTH,
                DiceLoss.DEFAULT_SMOOTH,
                false,
                List.of(),
                1.0,
                1.0,
                0.0);
    }

    /**
     * Logits and a label map, as MONAI's tutorials use it: {@code DiceCELoss(to_onehot_y=True,
     * softmax=True)}, other options at their defaults.
     */
    public static DiceCeLoss multiClass() {
        return of().withToOneHotY(true).withSoftmax(true);
    }

    /**
     * nnU-Net's default loss ({@code DC_and_CE_loss} with {@code SoftDiceLoss(do_bg=False,
     * smooth=1e-5, batch_dice)}, weights 1 and 1): softmax Dice without background plus CE, from
     * logits and a label map. nnU-Net's Dice term is {@code -mean(dice)} where this one is {@code 1
     * - mean(dice)}, so the value is nnU-Net's plus 1 and the gradient is the same (nnU-Net adds
     * 1e-8 to the Dice denominator, a difference below 1e-8 / denominator).
     *
     * @param batchDice nnU-Net's {@code batch_dice} (true for its 3d_fullres configurations)
     */
    public static DiceCeLoss nnUNet(boolean batchDice) {
        return multiClass().withIncludeBackground(false).withBatch(batchDice);
    }

    public DiceCeLoss withIncludeBackground(boolean v) {
        return new DiceCeLoss(
                v,
                toOneHotY,
                sigmoid,
                softmax,
                squaredPred,
                jaccard,
                reduction,
                smoothNr,
                smoothDr,
                batch,
                weight,
                lambdaDice,
                lambdaCe,
                labelSmoothing);
    }

    public DiceCeLoss withToOneHotY(boolean v) {
        return new DiceCeLoss(
                includeBackground,
                v,
                sigmoid,
                softmax,
                squaredPred,
                jaccard,
                reduction,
                smoothNr,
                smoothDr,
                batch,
                weight,
                lambdaDice,
                lambdaCe,
                labelSmoothing);
    }

    public DiceCeLoss withSigmoid(boolean v) {
        return new DiceCeLoss(
                includeBackground,
                toOneHotY,
                v,
                softmax,
                squaredPred,
                jaccard,
                reduction,
                smoothNr,
                smoothDr,
                batch,
                weight,
                lambdaDice,
                lambdaCe,
                labelSmoothing);
    }

    public DiceCeLoss withSoftmax(boolean v) {
        return new DiceCeLoss(
                includeBackground,
                toOneHotY,
                sigmoid,
                v,
                squaredPred,
                jaccard,
                reduction,
                smoothNr,
                smoothDr,
                batch,
                weight,
                lambdaDice,
                lambdaCe,
                labelSmoothing);
    }

    public DiceCeLoss withSquaredPred(boolean v) {
        return new DiceCeLoss(
                includeBackground,
                toOneHotY,
                sigmoid,
                softmax,
                v,
                jaccard,
                reduction,
                smoothNr,
                smoothDr,
                batch,
                weight,
                lambdaDice,
                lambdaCe,
                labelSmoothing);
    }

    public DiceCeLoss withJaccard(boolean v) {
        return new DiceCeLoss(
                includeBackground,
                toOneHotY,
                sigmoid,
                softmax,
                squaredPred,
                v,
                reduction,
                smoothNr,
                smoothDr,
                batch,
                weight,
                lambdaDice,
                lambdaCe,
                labelSmoothing);
    }

    public DiceCeLoss withReduction(Reduction r) {
        return new DiceCeLoss(
                includeBackground,
                toOneHotY,
                sigmoid,
                softmax,
                squaredPred,
                jaccard,
                r,
                smoothNr,
                smoothDr,
                batch,
                weight,
                lambdaDice,
                lambdaCe,
                labelSmoothing);
    }

    public DiceCeLoss withSmooth(double nr, double dr) {
        return new DiceCeLoss(
                includeBackground,
                toOneHotY,
                sigmoid,
                softmax,
                squaredPred,
                jaccard,
                reduction,
                nr,
                dr,
                batch,
                weight,
                lambdaDice,
                lambdaCe,
                labelSmoothing);
    }

    public DiceCeLoss withBatch(boolean v) {
        return new DiceCeLoss(
                includeBackground,
                toOneHotY,
                sigmoid,
                softmax,
                squaredPred,
                jaccard,
                reduction,
                smoothNr,
                smoothDr,
                v,
                weight,
                lambdaDice,
                lambdaCe,
                labelSmoothing);
    }

    public DiceCeLoss withWeight(double... w) {
        return withWeight(LossSupport.list(w));
    }

    public DiceCeLoss withWeight(List<Double> w) {
        return new DiceCeLoss(
                includeBackground,
                toOneHotY,
                sigmoid,
                softmax,
                squaredPred,
                jaccard,
                reduction,
                smoothNr,
                smoothDr,
                batch,
                w,
                lambdaDice,
                lambdaCe,
                labelSmoothing);
    }

    public DiceCeLoss withLambdas(double dice, double ce) {
        return new DiceCeLoss(
                includeBackground,
                toOneHotY,
                sigmoid,
                softmax,
                squaredPred,
                jaccard,
                reduction,
                smoothNr,
                smoothDr,
                batch,
                weight,
                dice,
                ce,
                labelSmoothing);
    }

    public DiceCeLoss withLabelSmoothing(double e) {
        return new DiceCeLoss(
                includeBackground,
                toOneHotY,
                sigmoid,
                softmax,
                squaredPred,
                jaccard,
                reduction,
                smoothNr,
                smoothDr,
                batch,
                weight,
                lambdaDice,
                lambdaCe,
                e);
    }

    /** The Dice term of this loss as a {@link DiceLoss}. */
    public DiceLoss dice() {
        List<Double> diceWeight =
                !weight.isEmpty() && !includeBackground ? weight.subList(1, weight.size()) : weight;
        return new DiceLoss(
                includeBackground,
                toOneHotY,
                sigmoid,
                softmax,
                squaredPred,
                jaccard,
                reduction,
                smoothNr,
                smoothDr,
                batch,
                diceWeight);
    }

    /** The CE term of this loss as a {@link CrossEntropyLoss} (no ignore index in use). */
    public CrossEntropyLoss crossEntropy() {
        return new CrossEntropyLoss(
                weight,
                CrossEntropyLoss.DEFAULT_IGNORE_INDEX,
                labelSmoothing,
                !toOneHotY,
                reduction);
    }

    /**
     * @param inputs {@code (logits [N, C, *S], target)}
     * @return the scalar loss
     */
    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        LossSupport.requireInputs(this, inputs, 2, 2);
        SameDiff sd = s.sd();
        List<SDVariable> bad = new ArrayList<>();
        SDVariable diceLoss = dice().compute(sd, inputs[0], inputs[1], bad);
        SDVariable flat = LossSupport.flat(sd, inputs[0]);
        bad.add(LossSupport.fewerThanTwoChannels(sd, flat));
        SDVariable ce =
                toOneHotY
                        ? CrossEntropyLoss.indices(
                                sd, flat, inputs[1], weight, null, labelSmoothing, reduction, bad)
                        : CrossEntropyLoss.probabilities(
                                sd, flat, inputs[1], weight, labelSmoothing, reduction, bad);
        SDVariable total = diceLoss.mul(lambdaDice).add(ce.mul(lambdaCe));
        return LossSupport.poisonIf(sd, total, bad);
    }
}
