package org.voxel4j.volumetric.blocks;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.layers.Conv;
import org.voxel4j.nn.layers.PadMode;

/**
 * The basic unit of every U-Net here: convolution (odd kernel, "same" zero padding {@code k/2},
 * optional stride, with bias as in nnU-Net and PyTorch) → normalisation → non-linearity.
 * Parameters: {@code conv/weight} {@code [out, in, k...]}, {@code conv/bias}, {@code norm/...},
 * {@code act/weight} (PReLU only).
 *
 * @param spatialDims 2 or 3
 * @param inChannels input channels
 * @param outChannels output channels
 * @param kernel odd kernel size per axis (1 value = every axis)
 * @param stride stride per axis (1 value = every axis)
 * @param norm normalisation after the convolution
 * @param act non-linearity after the normalisation
 */
public record ConvNormAct(
        int spatialDims,
        int inChannels,
        int outChannels,
        List<Integer> kernel,
        List<Integer> stride,
        Norm norm,
        Act act)
        implements Module {

    public ConvNormAct {
        Axes.checkSpatialDims("ConvNormAct", spatialDims);
        Axes.checkPositive("ConvNormAct", "inChannels", inChannels);
        Axes.checkPositive("ConvNormAct", "outChannels", outChannels);
        kernel = Axes.perAxis("ConvNormAct", "kernel", kernel, spatialDims, 1);
        stride = Axes.perAxis("ConvNormAct", "stride", stride, spatialDims, 1);
        for (int k : kernel) {
            if (k % 2 == 0) {
                throw new IllegalArgumentException(
                        "ConvNormAct pads k/2 and needs odd kernels, got " + kernel);
            }
        }
        if (norm == null || act == null) {
            throw new IllegalArgumentException("ConvNormAct norm and act must not be null");
        }
    }

    /** Kernel {@code k} on every axis, stride 1. */
    public static ConvNormAct of(int spatialDims, int in, int out, int k, Norm norm, Act act) {
        return new ConvNormAct(spatialDims, in, out, List.of(k), List.of(1), norm, act);
    }

    /** The same unit with another stride. */
    public ConvNormAct withStride(List<Integer> s) {
        return new ConvNormAct(spatialDims, inChannels, outChannels, kernel, s, norm, act);
    }

    /** The convolution of this unit. */
    public Conv conv() {
        List<Integer> pad = kernel.stream().map(k -> k / 2).toList();
        return new Conv(
                spatialDims, inChannels, outChannels, kernel, stride, pad, PadMode.ZEROS, 1, true);
    }

    /** Number of learnable parameters. */
    public long parameterCount() {
        return (long) outChannels * inChannels * Axes.product(kernel)
                + outChannels
                + norm.parameterCount(outChannels)
                + act.parameterCount(outChannels);
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        Module.requireInputs(this, inputs, 1);
        return normAct(s, s.call("conv", conv(), inputs[0]));
    }

    /**
     * {@link #forward} of the channel concatenation of {@code pieces} (see {@link
     * Conv#forwardOnConcat}: in evaluation the concatenation is never built).
     */
    public SDVariable forwardOnConcat(Scope s, List<Integer> pieceChannels, SDVariable... pieces) {
        return normAct(s, conv().forwardOnConcat(s.child("conv"), pieceChannels, pieces));
    }

    private SDVariable normAct(Scope s, SDVariable y) {
        Module n = norm.layer(outChannels);
        if (n != null) {
            y = s.call("norm", n, y);
        }
        return s.call("act", act.layer(outChannels, spatialDims), y);
    }
}
