package org.voxel4j.nn.losses;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;

/**
 * Soft Dice loss (Milletari et al. 2016, "V-Net", eq. 1) with the semantics of MONAI's {@code
 * monai.losses.DiceLoss} (MONAI 1.3): for prediction {@code p} (after the optional activation) and
 * target {@code y}, per item {@code n} and class {@code c} (or per class over the whole batch if
 * {@code batch}),
 *
 * <pre>
 *   I = Σ p y,   G = Σ y (Σ y² if squaredPred),   P = Σ p (Σ p² if squaredPred)
 *   D = G + P                (jaccard: D = 2 (G + P - I))
 *   f = 1 - (2 I + smoothNr) / (D + smoothDr)
 * </pre>
 *
 * sums over the spatial axes (and the batch axis), then {@code f} times the class weight, then the
 * mean or sum over all {@code f} values. A class absent from both target and prediction gives
 * {@code f = 1 - smoothNr / smoothDr} (0 with the defaults).
 *
 * <p>Options as MONAI: {@code includeBackground} (false drops channel 0 after the activation),
 * {@code toOneHotY} (the target is a label map {@code [N, 1, *S]} or {@code [N, *S]} of class
 * indices, one-hot encoded against the C channels; otherwise it is {@code [N, C, *S]}, e.g. one-hot
 * or soft labels), {@code sigmoid} / {@code softmax} (activation of the logits; at most one),
 * {@code squaredPred}, {@code jaccard}, {@code smoothNr}, {@code smoothDr}, {@code batch}, {@code
 * weight} (per-class, length C' = C or C - 1 without background; a single value applies to every
 * class). Not supported: {@code other_act}, {@code reduction="none"} (a training loss is a scalar)
 * and MONAI 1.4's {@code soft_label} variant of the intersection. Differences from MONAI: a
 * single-channel prediction with {@code softmax}, {@code toOneHotY} or {@code
 * includeBackground=false} makes the loss NaN (MONAI warns and skips the step), as does a label
 * outside {@code [0, C)} or a weight list of the wrong length.
 *
 * @param includeBackground whether channel 0 counts
 * @param toOneHotY whether the target is a label map to one-hot encode
 * @param sigmoid apply a sigmoid to the prediction
 * @param softmax apply a softmax over the channels to the prediction
 * @param squaredPred square prediction and target in the denominator
 * @param jaccard soft Jaccard (IoU) instead of Dice
 * @param reduction MEAN or SUM over the per-(item,) class terms
 * @param smoothNr added to the numerator (MONAI default 1e-5)
 * @param smoothDr added to the denominator (MONAI default 1e-5)
 * @param batch sum over the batch before dividing (one Dice per class instead of per item)
 * @param weight per-class weights, empty for none
 */
public record DiceLoss(
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
        List<Double> weight)
        implements Module {

    /** MONAI's default {@code smooth_nr} and {@code smooth_dr}. */
    public static final double DEFAULT_SMOOTH = 1e-5;

    public DiceLoss {
        Overlap.checkActivation("DiceLoss", sigmoid, softmax);
        LossSupport.checkReduction("DiceLoss", reduction);
        LossSupport.checkNonNegative("DiceLoss", "smoothNr", smoothNr);
        LossSupport.checkNonNegative("DiceLoss", "smoothDr", smoothDr);
        weight = LossSupport.classValues("DiceLoss", "weight", weight);
    }

    /** MONAI's constructor defaults: no activation, target already one-hot, mean, 1e-5. */
    public static DiceLoss of() {
        return new DiceLoss(
                true,
                false,
                false,
                false,
                false,
                false,
                Reduction.MEAN,
                DEFAULT_SMOOTH,
                DEFAULT_SMOOTH,
                false,
                List.of());
    }

    /**
     * Multi-class segmentation from logits and a label map: MONAI's {@code DiceLoss(to_onehot_y=
     * True, softmax=True)}, other options at their defaults.
     */
    public static DiceLoss multiClass() {
        return of().withToOneHotY(true).withSoftmax(true);
    }

    /**
     * Binary or multi-label segmentation from logits and a target {@code [N, C, *S]}: MONAI's
     * {@code DiceLoss(sigmoid=True)}.
     */
    public static DiceLoss multiLabel() {
        return of().withSigmoid(true);
    }

    public DiceLoss withIncludeBackground(boolean v) {
        return new DiceLoss(
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
                weight);
    }

    public DiceLoss withToOneHotY(boolean v) {
        return new DiceLoss(
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
                weight);
    }

    public DiceLoss withSigmoid(boolean v) {
        return new DiceLoss(
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
                weight);
    }

    public DiceLoss withSoftmax(boolean v) {
        return new DiceLoss(
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
                weight);
    }

    public DiceLoss withSquaredPred(boolean v) {
        return new DiceLoss(
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
                weight);
    }

    public DiceLoss withJaccard(boolean v) {
        return new DiceLoss(
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
                weight);
    }

    public DiceLoss withReduction(Reduction r) {
        return new DiceLoss(
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
                weight);
    }

    public DiceLoss withSmooth(double nr, double dr) {
        return new DiceLoss(
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
                weight);
    }

    public DiceLoss withBatch(boolean v) {
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
                v,
                weight);
    }

    public DiceLoss withWeight(double... w) {
        return withWeight(LossSupport.list(w));
    }

    public DiceLoss withWeight(List<Double> w) {
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
                w);
    }

    /**
     * @param inputs {@code (prediction [N, C, *S], target)}
     * @return the scalar loss
     */
    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        LossSupport.requireInputs(this, inputs, 2, 2);
        List<SDVariable> bad = new ArrayList<>();
        SDVariable loss = compute(s.sd(), inputs[0], inputs[1], bad);
        return LossSupport.poisonIf(s.sd(), loss, bad);
    }

    /** The loss without the run-time guards, which are added to {@code bad}. */
    SDVariable compute(SameDiff sd, SDVariable x, SDVariable target, List<SDVariable> bad) {
        Overlap.Prepared in =
                Overlap.prepare(sd, x, target, sigmoid, softmax, toOneHotY, includeBackground, bad);
        SDVariable p = in.p();
        SDVariable y = in.y();
        SDVariable intersection = Overlap.sum(sd, p.mul(y), batch);
        SDVariable ground = Overlap.sum(sd, squaredPred ? y.mul(y) : y, batch);
        SDVariable pred = Overlap.sum(sd, squaredPred ? p.mul(p) : p, batch);
        SDVariable denominator = ground.add(pred);
        if (jaccard) {
            denominator = denominator.sub(intersection).mul(2.0);
        }
        SDVariable f = intersection.mul(2.0).add(smoothNr).div(denominator.add(smoothDr)).rsub(1.0);
        return Overlap.reduce(sd, Overlap.weigh(sd, f, p, weight, bad), reduction);
    }
}
