package org.voxel4j.nn.layers;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;

/**
 * A parameter-free activation. {@code alpha} is the negative slope of {@link Kind#LEAKY_RELU}
 * (PyTorch default 0.01) and unused otherwise.
 */
public record Activation(Kind kind, double alpha) implements Module {

    /** Supported functions (PyTorch names in the Javadoc of each factory). */
    public enum Kind {
        RELU,
        LEAKY_RELU,
        SIGMOID,
        TANH,
        GELU,
        GELU_TANH,
        SILU,
        IDENTITY
    }

    public Activation {
        if (kind == null) {
            throw new IllegalArgumentException("Activation kind must not be null");
        }
        if (kind == Kind.LEAKY_RELU && !(alpha >= 0)) {
            throw new IllegalArgumentException("LeakyReLU slope must be >= 0, got " + alpha);
        }
    }

    /** {@code nn.ReLU}. */
    public static Activation relu() {
        return new Activation(Kind.RELU, 0);
    }

    /** {@code nn.LeakyReLU(slope)}; nnU-Net uses 0.01. */
    public static Activation leakyRelu(double slope) {
        return new Activation(Kind.LEAKY_RELU, slope);
    }

    /** {@code nn.Sigmoid}. */
    public static Activation sigmoid() {
        return new Activation(Kind.SIGMOID, 0);
    }

    /** {@code nn.Tanh}. */
    public static Activation tanh() {
        return new Activation(Kind.TANH, 0);
    }

    /** {@code nn.GELU()} (exact, erf form). */
    public static Activation gelu() {
        return new Activation(Kind.GELU, 0);
    }

    /** {@code nn.SiLU} (swish). */
    public static Activation silu() {
        return new Activation(Kind.SILU, 0);
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        Module.requireInputs(this, inputs, 1);
        return apply(s.sd(), inputs[0]);
    }

    /** Applies the function to {@code x}. */
    public SDVariable apply(SameDiff sd, SDVariable x) {
        return switch (kind) {
            case RELU -> sd.nn().relu(x, 0.0);
            case LEAKY_RELU -> sd.nn().leakyRelu(x, alpha);
            case SIGMOID -> sd.nn().sigmoid(x);
            case TANH -> sd.math().tanh(x);
            case GELU -> x.mul(sd.math().erf(x.mul(1.0 / Math.sqrt(2.0))).add(1.0)).mul(0.5);
            case GELU_TANH -> {
                SDVariable inner =
                        x.add(x.mul(x).mul(x).mul(0.044715)).mul(Math.sqrt(2.0 / Math.PI));
                yield x.mul(sd.math().tanh(inner).add(1.0)).mul(0.5);
            }
            case SILU -> x.mul(sd.nn().sigmoid(x));
            case IDENTITY -> x;
        };
    }
}
