package org.voxel4j.nn;

import java.util.random.RandomGenerator;

/**
 * Parameter initialisers with PyTorch's definitions. Fans are explicit arguments (the layer knows
 * its layout), so an initialiser never guesses which axis is the input axis.
 *
 * <p>Values are drawn in double precision from a generator seeded by the model seed and the
 * parameter's path, so a parameter's initial value does not depend on the order in which modules
 * are built, nor on the backend.
 */
public sealed interface Init {

    /** Fills {@code out} with initial values. */
    void fill(double[] out, RandomGenerator rng);

    static Init zeros() {
        return new Constant(0.0);
    }

    static Init ones() {
        return new Constant(1.0);
    }

    static Init constant(double value) {
        return new Constant(value);
    }

    static Init uniform(double low, double high) {
        return new Uniform(low, high);
    }

    static Init normal(double mean, double std) {
        return new Normal(mean, std, Double.POSITIVE_INFINITY);
    }

    /** Normal truncated to ±2 std (redrawn), as {@code timm}'s {@code trunc_normal_(std)}. */
    static Init truncatedNormal(double std) {
        return new Normal(0.0, std, 2.0);
    }

    /**
     * PyTorch's default for {@code nn.Conv*d} and {@code nn.Linear} weights: Kaiming uniform with
     * {@code a = sqrt(5)}, i.e. U(-b, b) with b = 1/sqrt(fanIn).
     */
    static Init torchDefaultWeight(long fanIn) {
        return kaimingUniform(fanIn, Math.sqrt(5.0));
    }

    /** PyTorch's default bias of conv/linear layers: U(-1/sqrt(fanIn), 1/sqrt(fanIn)). */
    static Init torchDefaultBias(long fanIn) {
        double b = fanIn > 0 ? 1.0 / Math.sqrt(fanIn) : 0.0;
        return new Uniform(-b, b);
    }

    /**
     * Kaiming (He et al. 2015) uniform: U(-b, b), b = gain·sqrt(3/fan), gain = sqrt(2/(1+a²)) for
     * leaky ReLU slope {@code a}.
     */
    static Init kaimingUniform(long fan, double a) {
        double gain = Math.sqrt(2.0 / (1.0 + a * a));
        double b = gain * Math.sqrt(3.0 / requirePositive(fan));
        return new Uniform(-b, b);
    }

    /** Kaiming normal: N(0, gain²/fan), gain = sqrt(2/(1+a²)). */
    static Init kaimingNormal(long fan, double a) {
        double gain = Math.sqrt(2.0 / (1.0 + a * a));
        return new Normal(0.0, gain / Math.sqrt(requirePositive(fan)), Double.POSITIVE_INFINITY);
    }

    /** Xavier/Glorot (2010) uniform: U(-b, b), b = gain·sqrt(6/(fanIn+fanOut)). */
    static Init xavierUniform(long fanIn, long fanOut, double gain) {
        double b = gain * Math.sqrt(6.0 / requirePositive(fanIn + fanOut));
        return new Uniform(-b, b);
    }

    /** Xavier/Glorot normal: N(0, gain²·2/(fanIn+fanOut)). */
    static Init xavierNormal(long fanIn, long fanOut, double gain) {
        return new Normal(
                0.0,
                gain * Math.sqrt(2.0 / requirePositive(fanIn + fanOut)),
                Double.POSITIVE_INFINITY);
    }

    private static long requirePositive(long fan) {
        if (fan <= 0) {
            throw new IllegalArgumentException("fan must be > 0, got " + fan);
        }
        return fan;
    }

    /** Every element equal to {@code value}. */
    record Constant(double value) implements Init {
        @Override
        public void fill(double[] out, RandomGenerator rng) {
            java.util.Arrays.fill(out, value);
        }
    }

    /** U(low, high). */
    record Uniform(double low, double high) implements Init {
        public Uniform {
            if (!(high >= low)) {
                throw new IllegalArgumentException(
                        "uniform bounds must satisfy low <= high, got " + low + ", " + high);
            }
        }

        @Override
        public void fill(double[] out, RandomGenerator rng) {
            for (int i = 0; i < out.length; i++) {
                out[i] = low + (high - low) * rng.nextDouble();
            }
        }
    }

    /** N(mean, std²), redrawn outside ±{@code truncateAtStd} standard deviations. */
    record Normal(double mean, double std, double truncateAtStd) implements Init {
        public Normal {
            if (!(std >= 0)) {
                throw new IllegalArgumentException("std must be >= 0, got " + std);
            }
            if (!(truncateAtStd > 0)) {
                throw new IllegalArgumentException(
                        "truncateAtStd must be > 0, got " + truncateAtStd);
            }
        }

        @Override
        public void fill(double[] out, RandomGenerator rng) {
            for (int i = 0; i < out.length; i++) {
                double z;
                do {
                    z = rng.nextGaussian();
                } while (Math.abs(z) > truncateAtStd);
                out[i] = mean + std * z;
            }
        }
    }
}
