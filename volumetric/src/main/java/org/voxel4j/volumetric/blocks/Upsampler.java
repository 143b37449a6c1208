package org.voxel4j.volumetric.blocks;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.layers.Conv;
import org.voxel4j.nn.layers.ConvTranspose;
import org.voxel4j.nn.layers.PadMode;
import org.voxel4j.nn.layers.Upsample;
import org.voxel4j.nn.ops.Resize;

/**
 * The decoder's up-sampling step by integer factors per axis, three ways:
 *
 * <ul>
 *   <li>{@link Mode#TRANSPOSED}: transposed convolution with kernel = stride = factor (the U-Net of
 *       Çiçek et al. 2016 and nnU-Net), parameters {@code deconv/weight} {@code [in, out, f...]}
 *       and {@code deconv/bias};
 *   <li>{@link Mode#NEAREST}: nearest-neighbour up-sampling then a 1×1 convolution {@code conv}
 *       (STU-Net's {@code Upsample_Layer_nearest}: its weights do not depend on the factor, which
 *       lets them transfer between tasks with different pooling);
 *   <li>{@link Mode#LINEAR}: (bi/tri)linear up-sampling ({@code align_corners=False}) then a 1×1
 *       convolution {@code conv}.
 * </ul>
 *
 * @param spatialDims 2 or 3
 * @param inChannels input channels
 * @param outChannels output channels
 * @param factors up-sampling factor per axis (1 value = every axis)
 * @param mode how to up-sample
 */
public record Upsampler(
        int spatialDims, int inChannels, int outChannels, List<Integer> factors, Mode mode)
        implements Module {

    /** Up-sampling method. */
    public enum Mode {
        TRANSPOSED,
        NEAREST,
        LINEAR
    }

    public Upsampler {
        Axes.checkSpatialDims("Upsampler", spatialDims);
        Axes.checkPositive("Upsampler", "inChannels", inChannels);
        Axes.checkPositive("Upsampler", "outChannels", outChannels);
        factors = Axes.perAxis("Upsampler", "factors", factors, spatialDims, 1);
        if (mode == null) {
            throw new IllegalArgumentException("Upsampler mode must not be null");
        }
    }

    /** Number of learnable parameters. */
    public long parameterCount() {
        long k = mode == Mode.TRANSPOSED ? Axes.product(factors) : 1;
        return (long) inChannels * outChannels * k + outChannels;
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        Module.requireInputs(this, inputs, 1);
        SDVariable x = inputs[0];
        if (mode == Mode.TRANSPOSED) {
            return s.call(
                    "deconv",
                    new ConvTranspose(
                            spatialDims,
                            inChannels,
                            outChannels,
                            factors,
                            factors,
                            List.of(0),
                            List.of(0),
                            true),
                    x);
        }
        int[] f = Axes.ints(factors);
        boolean uniform = factors.stream().distinct().count() == 1;
        SDVariable up;
        if (uniform) {
            // The layer uses ND4J's native nearest up-sampling, faster than the general path.
            up = new Upsample(spatialDims, f[0], mode == Mode.LINEAR).forward(s, x);
        } else {
            up =
                    mode == Mode.NEAREST
                            ? Resize.upsampleNearest(s.sd(), x, f)
                            : Resize.upsampleLinear(s.sd(), x, f);
        }
        Conv conv =
                new Conv(
                        spatialDims,
                        inChannels,
                        outChannels,
                        List.of(1),
                        List.of(1),
                        List.of(0),
                        PadMode.ZEROS,
                        1,
                        true);
        return s.call("conv", conv, up);
    }
}
