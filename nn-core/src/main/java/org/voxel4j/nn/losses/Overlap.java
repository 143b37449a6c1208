package org.voxel4j.nn.losses;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.voxel4j.nn.ops.Activations;
import org.voxel4j.nn.ops.Shapes;

/**
 * The input handling shared by the overlap losses (Dice, focal Tversky), in the order of MONAI's
 * {@code DiceLoss.forward}: activation of the prediction, one-hot encoding of a label-map target,
 * removal of the background channel, then sums over the spatial axes (and the batch axis).
 */
final class Overlap {
    private Overlap() {}

    /** Flat probabilities and targets {@code [N, C', P]} ready for the overlap sums. */
    record Prepared(SDVariable p, SDVariable y) {}

    /**
     * @param x prediction {@code [N, C, *S]}
     * @param target label map {@code [N, (1,) *S]} if {@code toOneHotY}, else {@code [N, C, *S]}
     * @param bad receives run-time "bad" counts (see {@link LossSupport})
     */
    static Prepared prepare(
            SameDiff sd,
            SDVariable x,
            SDVariable target,
            boolean sigmoid,
            boolean softmax,
            boolean toOneHotY,
            boolean includeBackground,
            List<SDVariable> bad) {
        SDVariable flat = LossSupport.flat(sd, x);
        SDVariable p = flat;
        if (sigmoid) {
            p = Activations.sigmoid(sd, p);
        }
        if (softmax) {
            p = Activations.softmax(sd, p, 1);
        }
        SDVariable y;
        if (toOneHotY) {
            LossSupport.Labels labels = LossSupport.oneHot(sd, flat, target, null);
            bad.add(labels.bad());
            y = labels.oneHot();
        } else {
            y = LossSupport.reshapeTo(sd, target, flat);
        }
        if (softmax || toOneHotY || !includeBackground) {
            // MONAI warns and skips these steps for a single channel; here it is an error.
            bad.add(LossSupport.fewerThanTwoChannels(sd, flat));
        }
        if (!includeBackground) {
            p = Shapes.slice(sd, p, 3, 1, 1, Shapes.END);
            y = Shapes.slice(sd, y, 3, 1, 1, Shapes.END);
        }
        return new Prepared(p, y);
    }

    /**
     * Sum over the spatial axis of {@code [N, C', P]}: {@code [N, C']}, or {@code [C']} if batch.
     */
    static SDVariable sum(SameDiff sd, SDVariable v, boolean batch) {
        SDVariable perItem = sd.sum(v, false, 2);
        return batch ? sd.sum(perItem, false, 0) : perItem;
    }

    /** Per-class weights {@code [C']} applied to per-(item,) class terms, with a length guard. */
    static SDVariable weigh(
            SameDiff sd, SDVariable f, SDVariable p, List<Double> weight, List<SDVariable> bad) {
        if (weight.isEmpty()) {
            return f;
        }
        if (weight.size() > 1) {
            bad.add(LossSupport.channelsOtherThan(sd, p, weight.size()));
        }
        double[] w = weight.stream().mapToDouble(Double::doubleValue).toArray();
        return f.mul(
                sd.constant(org.nd4j.linalg.factory.Nd4j.createFromArray(w).castTo(f.dataType())));
    }

    static SDVariable reduce(SameDiff sd, SDVariable f, Reduction r) {
        return r == Reduction.MEAN ? sd.mean(f) : sd.sum(f);
    }

    static void checkActivation(String loss, boolean sigmoid, boolean softmax) {
        if (sigmoid && softmax) {
            throw new IllegalArgumentException(
                    loss + ": sigmoid and softmax are mutually exclusive, both are true");
        }
    }
}
