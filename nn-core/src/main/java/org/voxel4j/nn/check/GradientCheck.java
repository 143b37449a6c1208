package org.voxel4j.nn.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Central-difference gradient check of a SameDiff graph in double precision.
 *
 * <p>The graph under test maps named inputs to one output {@code y}. The checker reduces it to the
 * scalar {@code L = sum(y * R)}, where {@code R} is a fixed pseudo-random weighting of the output's
 * shape (seeded, standard normal), so every output element contributes with a different weight and
 * a gradient that is wrong for a single element cannot cancel out. The analytic gradient {@code
 * dL/dx} comes from {@link SameDiff#calculateGradients}; the numeric one from the central
 * difference {@code (L(x + eps e_i) - L(x - eps e_i)) / (2 eps)} for each checked element {@code i}
 * (truncation error O(eps^2), round-off O(ulp(L) / eps)).
 *
 * <p>An element's relative error is {@code |a - n| / max(|a|, |n|)}. Elements whose absolute error
 * is at most {@link Options#minAbsError()} count as agreeing whatever their relative error
 * (round-off makes relative errors of near-zero gradients meaningless); {@link
 * Result#maxRelError()} is the largest relative error among the other elements.
 *
 * <p>Inputs with a floating-point type become {@code VARIABLE}s (converted to DOUBLE); integer and
 * boolean inputs become constants and are never checked. With {@link Options#dynamicShapes()} (the
 * default) the build function sees each input through an identity op, so the variable it receives
 * has no static shape, as inside a real model with placeholder inputs of unknown size. Before every
 * evaluation the checker reseeds {@code Nd4j.getRandom()} with {@link Options#seed()}, so graphs
 * with random ops (dropout masks) draw the same numbers in every evaluation and can be checked too.
 *
 * <p>This replaces {@code GradCheckUtil.checkGradients}, which throws a NullPointerException in
 * ND4J 1.0.0-M2.1, and never uses {@code sd.loss()} (whose gradients ignore the upstream gradient).
 */
public final class GradientCheck {
    private static final Logger LOG = LoggerFactory.getLogger(GradientCheck.class);
    private static final String LOSS_NAME = "gradcheck_loss";
    private static final String WEIGHT_NAME = "gradcheck_weight";

    private GradientCheck() {}

    /**
     * Options of a check.
     *
     * @param eps half the central-difference step (in the input's units)
     * @param minAbsError absolute error below which an element agrees whatever its relative error
     * @param inputs names of the inputs to check; empty means every floating-point input
     * @param maxElementsPerInput at most this many elements of each input are checked, chosen at
     *     random (seeded) when an input has more
     * @param seed seed of the output weighting, of the element sampling and of {@code
     *     Nd4j.getRandom()} before every evaluation
     * @param dynamicShapes pass inputs through an identity op so they carry no static shape
     */
    public record Options(
            double eps,
            double minAbsError,
            Set<String> inputs,
            int maxElementsPerInput,
            long seed,
            boolean dynamicShapes) {
        public Options {
            if (!(eps > 0) || !Double.isFinite(eps)) {
                throw new IllegalArgumentException("eps must be finite and > 0, got " + eps);
            }
            if (!(minAbsError >= 0) || !Double.isFinite(minAbsError)) {
                throw new IllegalArgumentException(
                        "minAbsError must be finite and >= 0, got " + minAbsError);
            }
            if (maxElementsPerInput < 1) {
                throw new IllegalArgumentException(
                        "maxElementsPerInput must be >= 1, got " + maxElementsPerInput);
            }
            inputs = Collections.unmodifiableSet(new LinkedHashSet<>(inputs));
        }

        /** eps 1e-6, minAbsError 1e-8, every input, up to 1000 elements each, seed 12345. */
        public static Options defaults() {
            return new Options(1e-6, 1e-8, Set.of(), 1000, 12345L, true);
        }

        public Options withEps(double e) {
            return new Options(e, minAbsError, inputs, maxElementsPerInput, seed, dynamicShapes);
        }

        public Options withMinAbsError(double m) {
            return new Options(eps, m, inputs, maxElementsPerInput, seed, dynamicShapes);
        }

        public Options withInputs(String... names) {
            return new Options(
                    eps,
                    minAbsError,
                    new LinkedHashSet<>(Arrays.asList(names)),
                    maxElementsPerInput,
                    seed,
                    dynamicShapes);
        }

        public Options withMaxElementsPerInput(int n) {
            return new Options(eps, minAbsError, inputs, n, seed, dynamicShapes);
        }

        public Options withSeed(long s) {
            return new Options(eps, minAbsError, inputs, maxElementsPerInput, s, dynamicShapes);
        }

        public Options withDynamicShapes(boolean d) {
            return new Options(eps, minAbsError, inputs, maxElementsPerInput, seed, d);
        }
    }

    /**
     * Outcome of a check.
     *
     * @param maxRelError largest relative error among elements whose absolute error exceeds {@code
     *     minAbsError} (0 if there is none)
     * @param maxAbsError largest absolute error of all checked elements
     * @param worstInput input holding the worst element (largest relative error among the elements
     *     counted in {@code maxRelError}, else largest absolute error)
     * @param worstIndex index of the worst element within its input
     * @param worstAnalytic analytic gradient at the worst element
     * @param worstNumeric numeric gradient at the worst element
     * @param checkedElements number of elements compared
     * @param minAbsError the absolute-error floor the check used
     */
    public record Result(
            double maxRelError,
            double maxAbsError,
            String worstInput,
            long[] worstIndex,
            double worstAnalytic,
            double worstNumeric,
            int checkedElements,
            double minAbsError) {
        /** True if every checked element has relative error ≤ {@code maxRel}. */
        public boolean passes(double maxRel) {
            return maxRelError <= maxRel && Double.isFinite(maxAbsError);
        }

        /** Throws an {@link AssertionError} describing the worst element unless it passes. */
        public void assertPasses(double maxRel) {
            if (!passes(maxRel)) {
                throw new AssertionError(
                        "gradient check failed (tolerance " + maxRel + "): " + this);
            }
        }

        @Override
        public String toString() {
            return String.format(
                    "maxRelError=%.3e maxAbsError=%.3e over %d elements; worst %s%s:"
                            + " analytic=%.10g numeric=%.10g (minAbsError %.1e)",
                    maxRelError,
                    maxAbsError,
                    checkedElements,
                    worstInput,
                    Arrays.toString(worstIndex),
                    worstAnalytic,
                    worstNumeric,
                    minAbsError);
        }
    }

    /** Checks with {@link Options#defaults()}. */
    public static Result check(
            BiFunction<SameDiff, Map<String, SDVariable>, SDVariable> build,
            Map<String, INDArray> inputs) {
        return check(build, inputs, Options.defaults());
    }

    /**
     * Builds the graph with {@code build} on a fresh {@link SameDiff} whose variables hold copies
     * of {@code inputs} (iteration order of the map is kept) and compares analytic with numeric
     * gradients of the selected inputs.
     *
     * @throws IllegalArgumentException if an input to check is unknown or not floating-point, or
     *     the output is not floating-point
     */
    public static Result check(
            BiFunction<SameDiff, Map<String, SDVariable>, SDVariable> build,
            Map<String, INDArray> inputs,
            Options options) {
        Objects.requireNonNull(build, "build");
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(options, "options");
        List<String> toCheck = selectInputs(inputs, options.inputs());

        SameDiff sd = SameDiff.create();
        Map<String, SDVariable> vars = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : inputs.entrySet()) {
            INDArray arr = e.getValue();
            SDVariable v;
            if (arr.dataType().isFPType()) {
                v = sd.var(e.getKey(), arr.castTo(DataType.DOUBLE).dup('c'));
            } else {
                v = sd.constant(e.getKey(), arr.dup('c'));
            }
            vars.put(e.getKey(), options.dynamicShapes() ? sd.identity(v) : v);
        }
        SDVariable out = build.apply(sd, Collections.unmodifiableMap(vars));
        if (out == null) {
            throw new IllegalArgumentException("build function returned null");
        }

        Nd4j.getRandom().setSeed(options.seed());
        INDArray y = sd.output(Collections.emptyMap(), out.name()).get(out.name());
        if (!y.dataType().isFPType()) {
            throw new IllegalArgumentException(
                    "output " + out.name() + " must be floating-point, got " + y.dataType());
        }
        SplittableRandom rng = new SplittableRandom(options.seed());
        INDArray weight = Nd4j.create(DataType.DOUBLE, y.shape());
        for (long i = 0; i < weight.length(); i++) {
            weight.putScalar(i, rng.nextGaussian());
        }
        SDVariable loss =
                sd.sum(
                        LOSS_NAME,
                        out.castTo(DataType.DOUBLE).mul(sd.constant(WEIGHT_NAME, weight)));
        sd.setLossVariables(loss);

        Nd4j.getRandom().setSeed(options.seed());
        Map<String, INDArray> grads =
                sd.calculateGradients(Collections.emptyMap(), toCheck.toArray(new String[0]));

        Worst worst = new Worst(options.minAbsError());
        double eps = options.eps();
        for (String name : toCheck) {
            INDArray param = sd.getArrForVarName(name);
            INDArray grad = grads.get(name);
            if (grad == null) {
                // No gradient path from this input to the output: the analytic gradient is 0.
                grad = Nd4j.zeros(DataType.DOUBLE, param.shape());
            }
            for (long idx : sample(param.length(), options.maxElementsPerInput(), rng)) {
                double orig = param.getDouble(idx);
                param.putScalar(idx, orig + eps);
                double plus = evaluate(sd, options.seed());
                param.putScalar(idx, orig - eps);
                double minus = evaluate(sd, options.seed());
                param.putScalar(idx, orig);
                double numeric = (plus - minus) / (2 * eps);
                double analytic = grad.getDouble(idx);
                worst.add(name, param.shape(), idx, analytic, numeric);
            }
        }
        Result r = worst.result();
        LOG.debug("gradient check: {}", r);
        return r;
    }

    private static List<String> selectInputs(Map<String, INDArray> inputs, Set<String> wanted) {
        List<String> names = new ArrayList<>();
        if (wanted.isEmpty()) {
            for (Map.Entry<String, INDArray> e : inputs.entrySet()) {
                if (e.getValue().dataType().isFPType()) {
                    names.add(e.getKey());
                }
            }
        } else {
            for (String n : wanted) {
                INDArray a = inputs.get(n);
                if (a == null) {
                    throw new IllegalArgumentException(
                            "input to check '"
                                    + n
                                    + "' is not among the inputs "
                                    + inputs.keySet());
                }
                if (!a.dataType().isFPType()) {
                    throw new IllegalArgumentException(
                            "input to check '"
                                    + n
                                    + "' has type "
                                    + a.dataType()
                                    + "; only floating-point inputs have gradients");
                }
                names.add(n);
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException(
                    "no floating-point input to check among " + inputs.keySet());
        }
        return names;
    }

    private static double evaluate(SameDiff sd, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return sd.output(Collections.emptyMap(), LOSS_NAME).get(LOSS_NAME).getDouble(0);
    }

    private static long[] sample(long length, int max, SplittableRandom rng) {
        if (length <= max) {
            long[] all = new long[(int) length];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return all;
        }
        // Floyd's algorithm: max distinct indices without materialising [0, length).
        Set<Long> chosen = new LinkedHashSet<>();
        for (long j = length - max; j < length; j++) {
            long t = rng.nextLong(j + 1);
            chosen.add(chosen.contains(t) ? j : t);
        }
        long[] out = chosen.stream().mapToLong(Long::longValue).sorted().toArray();
        return out;
    }

    private static long[] unravel(long idx, long[] shape) {
        long[] out = new long[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            out[d] = shape[d] == 0 ? 0 : idx % shape[d];
            idx = shape[d] == 0 ? 0 : idx / shape[d];
        }
        return out;
    }

    private static final class Worst {
        private final double minAbs;
        private double maxRel;
        private double maxAbs;
        private int count;
        private String input;
        private long[] index = new long[0];
        private double analytic;
        private double numeric;
        private boolean haveRel;

        Worst(double minAbs) {
            this.minAbs = minAbs;
        }

        void add(String name, long[] shape, long idx, double a, double n) {
            count++;
            double abs = Math.abs(a - n);
            if (!Double.isFinite(a) || !Double.isFinite(n)) {
                abs = Double.POSITIVE_INFINITY;
            }
            double denom = Math.max(Math.abs(a), Math.abs(n));
            double rel = denom == 0 ? 0 : abs / denom;
            if (Double.isNaN(rel)) {
                rel = Double.POSITIVE_INFINITY;
            }
            boolean counts = abs > minAbs;
            boolean worse;
            if (counts) {
                worse = !haveRel || rel > maxRel;
                if (worse) {
                    maxRel = rel;
                    haveRel = true;
                }
            } else {
                worse = !haveRel && (input == null || abs > maxAbs);
            }
            if (worse) {
                input = name;
                index = unravel(idx, shape);
                analytic = a;
                numeric = n;
            }
            maxAbs = Math.max(maxAbs, abs);
        }

        Result result() {
            return new Result(maxRel, maxAbs, input, index, analytic, numeric, count, minAbs);
        }
    }
}
