package org.voxel4j.volumetric.train;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.ops.Activations;
import org.voxel4j.volumetric.blocks.Axes;

/**
 * nnU-Net's default segmentation loss (Isensee et al. 2021, {@code DC_and_CE_loss}): {@code
 * ceWeight · CE + diceWeight · (1 − softDice)} on logits {@code [N, K, *S]}.
 *
 * <ul>
 *   <li>CE = −mean over voxels of Σ_c y_c log softmax(x)_c;
 *   <li>softDice = mean over the classes c (without background unless {@code includeBackground}) of
 *       (2 Σ p_c y_c + smooth) / (Σ p_c + Σ y_c + smooth), sums over the batch and all voxels
 *       ("batch Dice"), p = softmax(x), smooth 1e-5 as nnU-Net.
 * </ul>
 *
 * The target is a label map {@code [N, 1, *S]} with class indices (any numeric type; it carries no
 * gradient), or, with {@code softTargets}, per-class probabilities {@code [N, K, *S]} (e.g.
 * average-pooled one-hot maps). Built from elementwise ops and reductions only ({@code sd.loss()}
 * ignores upstream gradients in ND4J 1.0.0-M2.1).
 *
 * <p>A compact local implementation for the segmentation training API; any loss module taking
 * {@code (logits, target)} can replace it through {@code Objective.of(module)}.
 *
 * @param numClasses K (≥ 2)
 * @param spatialDims 2 or 3
 * @param ceWeight weight of the cross-entropy term (≥ 0)
 * @param diceWeight weight of the Dice term (≥ 0)
 * @param includeBackground whether class 0 enters the Dice mean
 * @param smooth Dice smoothing (≥ 0)
 * @param softTargets whether the target is {@code [N, K, *S]} probabilities
 */
public record SoftDiceCe(
        int numClasses,
        int spatialDims,
        double ceWeight,
        double diceWeight,
        boolean includeBackground,
        double smooth,
        boolean softTargets)
        implements Module {

    public SoftDiceCe {
        if (numClasses < 2) {
            throw new IllegalArgumentException("SoftDiceCe needs >= 2 classes, got " + numClasses);
        }
        Axes.checkSpatialDims("SoftDiceCe", spatialDims);
        if (!(ceWeight >= 0) || !(diceWeight >= 0) || !(smooth >= 0)) {
            throw new IllegalArgumentException(
                    "SoftDiceCe weights and smooth must be >= 0, got ce="
                            + ceWeight
                            + " dice="
                            + diceWeight
                            + " smooth="
                            + smooth);
        }
    }

    /** nnU-Net's setting: CE + Dice, Dice over foreground classes, smooth 1e-5, label targets. */
    public static SoftDiceCe of(int numClasses, int spatialDims) {
        return new SoftDiceCe(numClasses, spatialDims, 1, 1, false, 1e-5, false);
    }

    public SoftDiceCe withSoftTargets(boolean soft) {
        return new SoftDiceCe(
                numClasses, spatialDims, ceWeight, diceWeight, includeBackground, smooth, soft);
    }

    /** The one-hot {@code [N, K, *S]} of a label map {@code [N, 1, *S]}, in {@code type}. */
    public static SDVariable oneHot(SameDiff sd, SDVariable labels, int numClasses, DataType type) {
        SDVariable idx = sd.squeeze(labels.castTo(DataType.INT32), 1);
        return sd.oneHot(idx, numClasses, 1, 1.0, 0.0, type);
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        Module.requireInputs(this, inputs, 2);
        SameDiff sd = s.sd();
        SDVariable logits = inputs[0];
        DataType type = s.dataType();
        SDVariable y =
                softTargets ? inputs[1].castTo(type) : oneHot(sd, inputs[1], numClasses, type);
        int rank = spatialDims + 2;
        int[] reduce = new int[rank - 1];
        reduce[0] = 0;
        for (int a = 2; a < rank; a++) {
            reduce[a - 1] = a;
        }
        SDVariable loss = s.scalar(0);
        if (ceWeight > 0) {
            SDVariable logp = Activations.logSoftmax(sd, logits, 1);
            // -sum_c y_c log p_c, averaged over N and voxels
            SDVariable ce = logp.mul(y).sum(1).mean().neg();
            loss = loss.add(ce.mul(ceWeight));
        }
        if (diceWeight > 0) {
            SDVariable p = Activations.softmax(sd, logits, 1);
            SDVariable inter = p.mul(y).sum(reduce);
            SDVariable denom = p.sum(reduce).add(y.sum(reduce));
            SDVariable dice = inter.mul(2).add(smooth).div(denom.add(smooth));
            if (!includeBackground) {
                dice = dice.get(org.nd4j.autodiff.samediff.SDIndex.interval(1, numClasses));
            }
            loss = loss.add(dice.mean().rsub(1).mul(diceWeight));
        }
        return loss;
    }
}
