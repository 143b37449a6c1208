package org.voxel4j.volumetric.blocks;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.layers.Conv;
import org.voxel4j.nn.layers.PadMode;

/**
 * The residual unit of STU-Net ({@code BasicResBlock}, Huang et al. 2023, after He et al. 2016):
 * {@code y = act2(norm2(conv2(act1(norm1(conv1(x))))) + shortcut(x))}, where {@code conv1} carries
 * the stride and the shortcut is the identity or, with {@code projection}, a 1×1 convolution {@code
 * conv3} with the same stride (needed when channels or resolution change). Parameter names follow
 * the reference code: {@code conv1, norm1, act1, conv2, norm2, conv3, act2}.
 *
 * @param spatialDims 2 or 3
 * @param inChannels input channels
 * @param outChannels output channels
 * @param kernel odd kernel size (every axis)
 * @param stride stride of {@code conv1} and the shortcut, per axis (1 value = every axis)
 * @param norm normalisation ({@link Norm#instance()} in STU-Net)
 * @param act non-linearity ({@link Act#leakyRelu()} in STU-Net)
 * @param projection whether the shortcut is a strided 1×1 convolution (required unless {@code in ==
 *     out} and the stride is 1)
 */
public record ResidualBlock(
        int spatialDims,
        int inChannels,
        int outChannels,
        int kernel,
        List<Integer> stride,
        Norm norm,
        Act act,
        boolean projection)
        implements Module {

    public ResidualBlock {
        Axes.checkSpatialDims("ResidualBlock", spatialDims);
        Axes.checkPositive("ResidualBlock", "inChannels", inChannels);
        Axes.checkPositive("ResidualBlock", "outChannels", outChannels);
        stride = Axes.perAxis("ResidualBlock", "stride", stride, spatialDims, 1);
        if (kernel < 1 || kernel % 2 == 0) {
            throw new IllegalArgumentException("ResidualBlock kernel must be odd, got " + kernel);
        }
        if (norm == null || act == null) {
            throw new IllegalArgumentException("ResidualBlock norm and act must not be null");
        }
        if (!projection && (inChannels != outChannels || !Axes.allOnes(stride))) {
            throw new IllegalArgumentException(
                    "ResidualBlock with an identity shortcut needs inChannels == outChannels and"
                            + " stride 1, got "
                            + inChannels
                            + " -> "
                            + outChannels
                            + " stride "
                            + stride);
        }
    }

    /**
     * The STU-Net choice: a projection shortcut exactly when channels or stride change, or when
     * {@code first} (STU-Net projects in the first block of every stage).
     */
    public static ResidualBlock of(
            int spatialDims,
            int in,
            int out,
            List<Integer> stride,
            Norm norm,
            Act act,
            boolean first) {
        boolean strided = stride.stream().anyMatch(v -> v != 1);
        return new ResidualBlock(
                spatialDims, in, out, 3, stride, norm, act, first || in != out || strided);
    }

    private Conv conv(int in, int out, int k, List<Integer> s) {
        return new Conv(
                spatialDims, in, out, List.of(k), s, List.of(k / 2), PadMode.ZEROS, 1, true);
    }

    /** Number of learnable parameters. */
    public long parameterCount() {
        long k = 1;
        for (int i = 0; i < spatialDims; i++) {
            k *= kernel;
        }
        long n = (long) outChannels * inChannels * k + outChannels;
        n += (long) outChannels * outChannels * k + outChannels;
        n += 2 * norm.parameterCount(outChannels) + 2 * act.parameterCount(outChannels);
        if (projection) {
            n += (long) outChannels * inChannels + outChannels;
        }
        return n;
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        Module.requireInputs(this, inputs, 1);
        SDVariable x = inputs[0];
        SDVariable y = s.call("conv1", conv(inChannels, outChannels, kernel, stride), x);
        Module n1 = norm.layer(outChannels);
        if (n1 != null) {
            y = s.call("norm1", n1, y);
        }
        y = s.call("act1", act.layer(outChannels, spatialDims), y);
        y = s.call("conv2", conv(outChannels, outChannels, kernel, List.of(1)), y);
        Module n2 = norm.layer(outChannels);
        if (n2 != null) {
            y = s.call("norm2", n2, y);
        }
        SDVariable skip =
                projection ? s.call("conv3", conv(inChannels, outChannels, 1, stride), x) : x;
        return s.call("act2", act.layer(outChannels, spatialDims), y.add(skip));
    }
}
