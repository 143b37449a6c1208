package org.voxel4j.volumetric.blocks;

import org.voxel4j.nn.Module;
import org.voxel4j.nn.layers.Activation;
import org.voxel4j.nn.layers.PReLU;

/**
 * Which non-linearity a block uses: ReLU, LeakyReLU with a slope (nnU-Net and STU-Net: 0.01), PReLU
 * with one learnable slope per channel initialised to {@code slope} (He et al. 2015; the Turbolift
 * attention U-Net uses {@code nn.PReLU(channels)}, init 0.25), SiLU, or identity.
 *
 * @param kind the function
 * @param slope LeakyReLU negative slope, or PReLU initial slope; ignored otherwise
 */
public record Act(Kind kind, double slope) {

    /** Activation kinds. */
    public enum Kind {
        RELU,
        LEAKY_RELU,
        PRELU,
        SILU,
        IDENTITY
    }

    public Act {
        if (kind == null) {
            throw new IllegalArgumentException("Act kind must not be null");
        }
        if (!Double.isFinite(slope) || ((kind == Kind.LEAKY_RELU) && slope < 0)) {
            throw new IllegalArgumentException(
                    kind + " slope must be finite (and >= 0 for LeakyReLU), got " + slope);
        }
    }

    public static Act relu() {
        return new Act(Kind.RELU, 0);
    }

    /** LeakyReLU with the given negative slope. */
    public static Act leakyRelu(double slope) {
        return new Act(Kind.LEAKY_RELU, slope);
    }

    /** LeakyReLU(0.01), nnU-Net's and STU-Net's non-linearity. */
    public static Act leakyRelu() {
        return leakyRelu(0.01);
    }

    /** Per-channel PReLU initialised to 0.25 (PyTorch's {@code nn.PReLU(channels)}). */
    public static Act prelu() {
        return new Act(Kind.PRELU, 0.25);
    }

    public static Act silu() {
        return new Act(Kind.SILU, 0);
    }

    public static Act identity() {
        return new Act(Kind.IDENTITY, 0);
    }

    /** The layer for {@code channels} channels (PReLU has one slope per channel). */
    public Module layer(int channels) {
        return switch (kind) {
            case RELU -> Activation.relu();
            case LEAKY_RELU -> Activation.leakyRelu(slope);
            case PRELU -> new PReLU(channels, slope);
            case SILU -> Activation.silu();
            case IDENTITY -> new Activation(Activation.Kind.IDENTITY, 0);
        };
    }

    /** As {@link #layer(int)}, with the rank-aware {@link ChannelPReLU} for PReLU. */
    public Module layer(int channels, int spatialDims) {
        return kind == Kind.PRELU
                ? new ChannelPReLU(channels, spatialDims, slope)
                : layer(channels);
    }

    /** Learnable parameters of the layer for {@code channels} channels. */
    public long parameterCount(int channels) {
        return kind == Kind.PRELU ? channels : 0;
    }
}
