package org.voxel4j.nn.losses;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;

/**
 * Focal Tversky loss (Abraham &amp; Khan 2019, "A Novel Focal Tversky Loss Function with Improved
 * Attention U-Net for Lesion Segmentation", ISBI, eqs. 3–4). Per class {@code c} (and per item,
 * unless {@code batch}), with probabilities {@code p} and target {@code y}, sums over the spatial
 * axes (and the batch axis):
 *
 * <pre>
 *   TP = Σ p y,   FN = Σ (1 - p) y,   FP = Σ p (1 - y)
 *   TI = (TP + smooth) / (TP + alpha FN + beta FP + smooth)
 *   f  = (1 - TI)^(1 / gamma)
 * </pre>
 *
 * then the mean (MEAN) or sum (SUM; the paper's {@code FTL = Σ_c (1 - TI_c)^(1/gamma)}) over the
 * {@code f} values. {@code alpha} weights false negatives and {@code beta} false positives, as in
 * the paper and the authors' code (MONAI's {@code TverskyLoss} uses the opposite names). The
 * exponent is {@code 1 / gamma}: the paper's recommended {@code gamma = 4/3} is the exponent 0.75
 * hard-coded in the authors' Keras code (github.com/nabsabraham/focal-tversky-unet, {@code
 * losses.py}), which computes one index over the whole flattened batch with {@code alpha = 0.7},
 * {@code beta = 1 - alpha = 0.3} and {@code smooth = 1}; {@link #binary()} reproduces it exactly
 * for a single-channel output. {@code gamma = 1} gives the Tversky loss, {@code alpha = beta = 0.5}
 * the Dice loss. The derivative of {@code (1 - TI)^(1/gamma)} is unbounded as {@code TI} reaches 1
 * for {@code gamma > 1}; with smooth predictions it never does exactly.
 *
 * <p>Input options as {@link DiceLoss}: {@code sigmoid} / {@code softmax}, {@code toOneHotY}
 * (label-map target), {@code includeBackground}.
 *
 * @param alpha weight of false negatives, &gt;= 0 (paper 0.7)
 * @param beta weight of false positives, &gt;= 0 (paper 0.3)
 * @param gamma focal parameter, &gt; 0; the exponent is 1/gamma (paper 4/3)
 * @param smooth added to numerator and denominator, &gt;= 0 (authors' code 1)
 * @param includeBackground whether channel 0 counts
 * @param toOneHotY whether the target is a label map to one-hot encode
 * @param sigmoid apply a sigmoid to the prediction
 * @param softmax apply a softmax over the channels to the prediction
 * @param batch one index per class over the whole batch (the authors' code) instead of per item
 * @param reduction MEAN or SUM over the per-(item,) class terms
 */
public record FocalTverskyLoss(
        double alpha,
        double beta,
        double gamma,
        double smooth,
        boolean includeBackground,
        boolean toOneHotY,
        boolean sigmoid,
        boolean softmax,
        boolean batch,
        Reduction reduction)
        implements Module {

    public FocalTverskyLoss {
        LossSupport.checkNonNegative("FocalTverskyLoss", "alpha", alpha);
        LossSupport.checkNonNegative("FocalTverskyLoss", "beta", beta);
        LossSupport.checkPositive("FocalTverskyLoss", "gamma", gamma);
        LossSupport.checkNonNegative("FocalTverskyLoss", "smooth", smooth);
        Overlap.checkActivation("FocalTverskyLoss", sigmoid, softmax);
        LossSupport.checkReduction("FocalTverskyLoss", reduction);
    }

    /**
     * Multi-class from logits and a label map with the paper's settings (alpha 0.7, beta 0.3, gamma
     * 4/3, smooth 1): softmax, one-hot target, background included, one index per class over the
     * batch, mean over classes.
     */
    public static FocalTverskyLoss of() {
        return new FocalTverskyLoss(
                0.7, 0.3, 4.0 / 3.0, 1.0, true, true, false, true, true, Reduction.MEAN);
    }

    /**
     * Binary segmentation from one logit channel and a 0/1 target {@code [N, 1, *S]}: the authors'
     * Keras {@code focal_tversky} (sigmoid, alpha 0.7, beta 0.3, gamma 4/3, smooth 1, one index
     * over the batch).
     */
    public static FocalTverskyLoss binary() {
        return new FocalTverskyLoss(
                0.7, 0.3, 4.0 / 3.0, 1.0, true, false, true, false, true, Reduction.MEAN);
    }

    public FocalTverskyLoss withAlphaBeta(double a, double b) {
        return new FocalTverskyLoss(
                a,
                b,
                gamma,
                smooth,
                includeBackground,
                toOneHotY,
                sigmoid,
                softmax,
                batch,
                reduction);
    }

    public FocalTverskyLoss withGamma(double g) {
        return new FocalTverskyLoss(
                alpha,
                beta,
                g,
                smooth,
                includeBackground,
                toOneHotY,
                sigmoid,
                softmax,
                batch,
                reduction);
    }

    public FocalTverskyLoss withSmooth(double v) {
        return new FocalTverskyLoss(
                alpha,
                beta,
                gamma,
                v,
                includeBackground,
                toOneHotY,
                sigmoid,
                softmax,
                batch,
                reduction);
    }

    public FocalTverskyLoss withIncludeBackground(boolean v) {
        return new FocalTverskyLoss(
                alpha, beta, gamma, smooth, v, toOneHotY, sigmoid, softmax, batch, reduction);
    }

    public FocalTverskyLoss withBatch(boolean v) {
        return new FocalTverskyLoss(
                alpha,
                beta,
                gamma,
                smooth,
                includeBackground,
                toOneHotY,
                sigmoid,
                softmax,
                v,
                reduction);
    }

    public FocalTverskyLoss withReduction(Reduction r) {
        return new FocalTverskyLoss(
                alpha,
                beta,
                gamma,
                smooth,
                includeBackground,
                toOneHotY,
                sigmoid,
                softmax,
                batch,
                r);
    }

    /**
     * @param inputs {@code (prediction [N, C, *S], target)}
     * @return the scalar loss
     */
    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        LossSupport.requireInputs(this, inputs, 2, 2);
        SameDiff sd = s.sd();
        List<SDVariable> bad = new ArrayList<>();
        Overlap.Prepared in =
                Overlap.prepare(
                        sd,
                        inputs[0],
                        inputs[1],
                        sigmoid,
                        softmax,
                        toOneHotY,
                        includeBackground,
                        bad);
        SDVariable tp = Overlap.sum(sd, in.p().mul(in.y()), batch);
        SDVariable fn = Overlap.sum(sd, in.y(), batch).sub(tp);
        SDVariable fp = Overlap.sum(sd, in.p(), batch).sub(tp);
        SDVariable num = tp.add(smooth);
        SDVariable den = tp.add(fn.mul(alpha)).add(fp.mul(beta)).add(smooth);
        SDVariable f = LossSupport.pow(sd, num.div(den).rsub(1.0), 1.0 / gamma);
        return LossSupport.poisonIf(sd, Overlap.reduce(sd, f, reduction), bad);
    }
}
