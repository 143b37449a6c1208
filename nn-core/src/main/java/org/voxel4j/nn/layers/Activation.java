package org.voxel4j.nn.layers;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.ops.Activations;

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
            case RELU -> Activations.relu(sd, x);
            case LEAKY_RELU -> Activations.leakyRelu(sd, x, alpha);
            case SIGMOID -> Activations.sigmoid(sd, x);
            case TANH -> Activations.tanh(sd, x);
            case GELU -> Activations.gelu(sd, x);
            case GELU_TANH -> Activations.geluTanh(sd, x);
            case SILU -> Activations.silu(sd, x);
            case IDENTITY -> x;
        };
    }
}
