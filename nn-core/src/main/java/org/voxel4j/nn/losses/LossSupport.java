package org.voxel4j.nn.losses;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.ops.Shapes;

/**
 * Shared pieces of the losses: validation of configurations, class-index targets turned into
 * one-hot masks, per-element reductions and run-time guards.
 *
 * <p>Everything works without static shapes: predictions are viewed as {@code [N, C, P]} with
 * {@code P} the product of the spatial sizes ({@link Shapes#flattenSpatial}), and targets are
 * reshaped to a shape derived from the prediction at run time, so a target with the wrong number of
 * elements fails in that reshape instead of broadcasting silently.
 *
 * <p>Guards: conditions that can only be checked at run time (a label outside {@code [0, C)}, a
 * class-weight list whose length differs from the channel count, a single-channel prediction where
 * two or more channels are needed) are counted into a "bad" scalar, and the loss becomes NaN when
 * it is non-zero ({@code loss + 0 * log(1 - bad)}). The trainer stops on a non-finite loss, so a
 * bad batch is never silently trained on. The guard depends only on targets and shapes, so it adds
 * nothing to the gradient of the prediction.
 */
final class LossSupport {
    private LossSupport() {}

    /**
     * The frame of the elementwise regression losses (L1, MSE, smooth L1): inputs {@code
     * (prediction, target[, weight])}, the target reshaped to the prediction, {@code perElement}
     * applied to {@code prediction - target}, then weighted, reduced and NaN-poisoned on bad input.
     */
    static SDVariable pointwise(
            Module m,
            SameDiff sd,
            SDVariable[] inputs,
            Reduction reduction,
            java.util.function.UnaryOperator<SDVariable> perElement) {
        int n = requireInputs(m, inputs, 2, 3);
        SDVariable d = inputs[0].sub(reshapeTo(sd, inputs[1], inputs[0]));
        List<SDVariable> bad = new ArrayList<>();
        SDVariable loss =
                reduce(sd, perElement.apply(d), n == 3 ? inputs[2] : null, reduction, bad);
        return poisonIf(sd, loss, bad);
    }

    /** {@code inputs.length} must be {@code min} or {@code max}; returns it. */
    static int requireInputs(Module m, SDVariable[] inputs, int min, int max) {
        int n = inputs == null ? 0 : inputs.length;
        if (n < min || n > max) {
            throw new IllegalArgumentException(
                    m.getClass().getSimpleName()
                            + " takes "
                            + (min == max ? Integer.toString(min) : min + " or " + max)
                            + " inputs (prediction, target"
                            + (max > 2 ? ", optional weight" : "")
                            + "), got "
                            + n);
        }
        for (int i = 0; i < n; i++) {
            if (inputs[i] == null) {
                throw new IllegalArgumentException(
                        m.getClass().getSimpleName() + " input " + i + " is null");
            }
        }
        return n;
    }

    static void checkReduction(String loss, Reduction r) {
        if (r == null) {
            throw new IllegalArgumentException(loss + " reduction must not be null");
        }
    }

    static void checkNonNegative(String loss, String what, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(
                    loss + " " + what + " must be finite and >= 0, got " + v);
        }
    }

    static void checkPositive(String loss, String what, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(
                    loss + " " + what + " must be finite and > 0, got " + v);
        }
    }

    static void checkUnit(String loss, String what, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(loss + " " + what + " must be in [0, 1], got " + v);
        }
    }

    /** A defensive copy of per-class values (null means none: an empty list), each >= 0. */
    static List<Double> classValues(String loss, String what, List<Double> values) {
        if (values == null) {
            return List.of();
        }
        List<Double> out = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            Double v = values.get(i);
            if (v == null || !(v >= 0) || !Double.isFinite(v)) {
                throw new IllegalArgumentException(
                        loss
                                + " "
                                + what
                                + " must be finite and >= 0, got "
                                + values
                                + " (element "
                                + i
                                + ")");
            }
            out.add(v);
        }
        return List.copyOf(out);
    }

    static List<Double> list(double... values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(v);
        }
        return out;
    }

    /** {@code v} cast to {@code dt} if it has another type. */
    static SDVariable as(SDVariable v, DataType dt) {
        return v.dataType() == dt ? v : v.castTo(dt);
    }

    /** {@code [N, C, *S]} viewed as {@code [N, C, P]}. */
    static SDVariable flat(SameDiff sd, SDVariable x) {
        return Shapes.flattenSpatial(sd, x);
    }

    /** The channel count of a flat {@code [N, C, P]} tensor, as a LONG scalar. */
    static SDVariable channels(SameDiff sd, SDVariable flat) {
        return sd.squeeze(Shapes.dims(sd, sd.shape(flat), 1, 2), 0);
    }

    /** {@code target} reshaped to the shape of {@code like} (same element count required). */
    static SDVariable reshapeTo(SameDiff sd, SDVariable target, SDVariable like) {
        return sd.reshape(as(target, like.dataType()), sd.shape(like));
    }

    /** Per-class constants as {@code [1, C, 1]}, broadcasting over a flat {@code [N, C, P]}. */
    static SDVariable perChannel(SameDiff sd, List<Double> values, DataType dt) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        return sd.constant(Nd4j.createFromArray(v).castTo(dt).reshape(1, v.length, 1));
    }

    /**
     * One-hot masks of a class-index target.
     *
     * @param oneHot {@code [N, C, P]}: 1 where the voxel's label is the class (0 for ignored
     *     voxels)
     * @param keep {@code [N, 1, P]}: 1 for voxels that count (a valid label, not ignored)
     * @param bad number of voxels whose label is neither a class in {@code [0, C)} nor the ignore
     *     index
     */
    record Labels(SDVariable oneHot, SDVariable keep, SDVariable bad) {}

    /**
     * One-hot encodes a class-index target ({@code [N, *S]} or {@code [N, 1, *S]}, integral floats)
     * against the classes of the flat prediction {@code [N, C, P]}. Built by comparing the labels
     * with {@code range(C)} ({@code gather} is broken in ND4J), so no static channel count is
     * needed.
     *
     * @param ignoreIndex label to ignore, or null for none
     */
    static Labels oneHot(SameDiff sd, SDVariable flat, SDVariable target, Integer ignoreIndex) {
        DataType dt = flat.dataType();
        SDVariable fs = sd.shape(flat);
        SDVariable labelShape = Shapes.withDims(sd, fs, new long[] {1, 0, 1}, new long[] {0, 1, 0});
        SDVariable t = sd.reshape(as(target, dt), labelShape);
        SDVariable classes = sd.range(sd.constant(0L), channels(sd, flat), sd.constant(1L), dt);
        SDVariable oneHot = sd.eq(t, sd.reshape(classes, 1, -1, 1)).castTo(dt);
        SDVariable hit = sd.sum(oneHot, true, 1);
        if (ignoreIndex == null) {
            return new Labels(oneHot, hit, sd.sum(hit.rsub(1.0)));
        }
        SDVariable notIgnored = sd.neq(t, (double) ignoreIndex).castTo(dt);
        SDVariable keep = hit.mul(notIgnored);
        SDVariable bad = sd.sum(hit.rsub(1.0).mul(notIgnored));
        return new Labels(oneHot.mul(notIgnored), keep, bad);
    }

    /** 1 if the flat prediction has fewer than two channels, else 0 (a "bad" count). */
    static SDVariable fewerThanTwoChannels(SameDiff sd, SDVariable flat) {
        SDVariable c = channels(sd, flat).castTo(flat.dataType());
        return sd.nn.relu(c.rsub(2.0), 0.0);
    }

    /** {@code |C - expected|} for the flat prediction's channel count C (a "bad" count). */
    static SDVariable channelsOtherThan(SameDiff sd, SDVariable flat, long expected) {
        SDVariable c = channels(sd, flat).castTo(flat.dataType());
        return sd.math.abs(c.sub((double) expected));
    }

    /** {@code loss}, or NaN if the sum of the "bad" counts is non-zero (see class comment). */
    static SDVariable poisonIf(SameDiff sd, SDVariable loss, List<SDVariable> bad) {
        if (bad.isEmpty()) {
            return loss;
        }
        SDVariable total = bad.get(0);
        for (int i = 1; i < bad.size(); i++) {
            total = total.add(bad.get(i));
        }
        return loss.add(sd.math.log(as(total, loss.dataType()).rsub(1.0)).mul(0.0));
    }

    /**
     * Reduces per-element losses {@code l} with an optional weight broadcastable to {@code l}: MEAN
     * is {@code sum(w l) / sum(w)} (with {@code w} broadcast to the shape of {@code l}; a plain
     * mean without weight), SUM is {@code sum(w l)}. A weight with more elements than {@code l}
     * counts as bad.
     */
    static SDVariable reduce(
            SameDiff sd, SDVariable l, SDVariable weight, Reduction r, List<SDVariable> bad) {
        if (weight == null) {
            return r == Reduction.MEAN ? sd.mean(l) : sd.sum(l);
        }
        SDVariable w = as(weight, l.dataType());
        SDVariable wb = w.mul(sd.onesLike(l));
        bad.add(
                sd.math.abs(
                        sd.prod(sd.shape(wb).castTo(l.dataType()))
                                .sub(sd.prod(sd.shape(l).castTo(l.dataType())))));
        SDVariable num = sd.sum(wb.mul(l));
        return r == Reduction.MEAN ? num.div(sd.sum(wb)) : num;
    }

    /**
     * Numerically stable {@code log(1 + exp(-x))} as PyTorch's BCE-with-logits kernel writes it:
     * {@code m + log(exp(-m) + exp(-x - m))} with {@code m = max(-x, 0)}. The shift by {@code m}
     * cancels exactly in the derivative, so the gradient is right everywhere, also at {@code x = 0}
     * (a form with {@code |x|} would give 0 there instead of -1/2).
     */
    static SDVariable softplusNeg(SameDiff sd, SDVariable x) {
        SDVariable m = sd.nn.relu(x.neg(), 0.0);
        return m.add(sd.math.log(sd.math.exp(m.neg()).add(sd.math.exp(x.neg().sub(m)))));
    }

    /** {@code x^p}, without a pow op for the common exponents 1 and 2. */
    static SDVariable pow(SameDiff sd, SDVariable x, double p) {
        if (p == 1.0) {
            return x;
        }
        if (p == 2.0) {
            return x.mul(x);
        }
        return sd.math.pow(x, p);
    }
}
