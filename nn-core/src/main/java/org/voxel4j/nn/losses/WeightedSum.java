package org.voxel4j.nn.losses;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;

/**
 * {@code Σ_i weights[i] · losses[i](inputs)}: several losses of the same inputs combined in
 * configuration (e.g. {@code L1 + 0.1·(1 - SSIM)}, or Dice + BCE for a single-channel output). Each
 * loss runs in the child scope {@code i} and receives all inputs, so every term must accept the
 * same input list. Like every module it round-trips through JSON.
 *
 * @param losses the terms, each a scalar-valued {@link Module}
 * @param weights one finite factor per term
 */
public record WeightedSum(List<Module> losses, List<Double> weights) implements Module {

    public WeightedSum {
        if (losses == null || losses.isEmpty()) {
            throw new IllegalArgumentException(
                    "WeightedSum needs at least one loss, got " + losses);
        }
        if (weights == null || weights.size() != losses.size()) {
            throw new IllegalArgumentException(
                    "WeightedSum needs one weight per loss ("
                            + losses.size()
                            + "), got "
                            + weights);
        }
        for (int i = 0; i < losses.size(); i++) {
            if (losses.get(i) == null) {
                throw new IllegalArgumentException("WeightedSum loss " + i + " is null");
            }
            Double w = weights.get(i);
            if (w == null || !Double.isFinite(w)) {
                throw new IllegalArgumentException(
                        "WeightedSum weight " + i + " must be finite, got " + weights);
            }
        }
        losses = List.copyOf(losses);
        weights = List.copyOf(weights);
    }

    /** {@code wa · a + wb · b}. */
    public static WeightedSum of(double wa, Module a, double wb, Module b) {
        return new WeightedSum(List.of(a, b), List.of(wa, wb));
    }

    /** The plain sum of the losses (every weight 1). */
    public static WeightedSum sum(Module... losses) {
        List<Double> ones = new ArrayList<>();
        for (int i = 0; i < losses.length; i++) {
            ones.add(1.0);
        }
        return new WeightedSum(List.of(losses), ones);
    }

    /** A copy with one more term. */
    public WeightedSum plus(double w, Module loss) {
        List<Module> l = new ArrayList<>(losses);
        List<Double> ws = new ArrayList<>(weights);
        l.add(loss);
        ws.add(w);
        return new WeightedSum(l, ws);
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        SDVariable total = null;
        for (int i = 0; i < losses.size(); i++) {
            SDVariable term =
                    s.call(Integer.toString(i), losses.get(i), inputs).mul(weights.get(i));
            total = total == null ? term : total.add(term);
        }
        return total;
    }
}
