package org.voxel4j.nn.layers;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv1DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv3DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.voxel4j.nn.Init;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.engine.ConvOps;
import org.voxel4j.nn.engine.Engine;
import org.voxel4j.nn.ops.Shapes;

/**
 * N-dimensional convolution, PyTorch's {@code nn.Conv1d/2d/3d}: weight {@code [out, in/groups,
 * k...]} (PyTorch layout, so weights transfer unchanged), optional bias, PyTorch default
 * initialisation, channels-first input {@code [N, C, (D,) (H,) W]}.
 *
 * @param spatialDims 1, 2 or 3
 * @param inChannels input channels
 * @param outChannels output channels
 * @param kernel kernel size per spatial axis (one value = all axes)
 * @param stride stride per axis
 * @param padding padding per axis, both sides
 * @param paddingMode how padded values are made
 * @param groups channel groups (in and out channels must be divisible by it)
 * @param bias whether the layer has a bias
 */
public record Conv(
        int spatialDims,
        int inChannels,
        int outChannels,
        List<Integer> kernel,
        List<Integer> stride,
        List<Integer> padding,
        PadMode paddingMode,
        int groups,
        boolean bias)
        implements Module {

    public Conv {
        Dims.checkSpatialDims("Conv", spatialDims);
        Dims.checkPositive("Conv", "inChannels", inChannels);
        Dims.checkPositive("Conv", "outChannels", outChannels);
        Dims.checkPositive("Conv", "groups", groups);
        if (inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException(
                    "Conv channels ("
                            + inChannels
                            + " in, "
                            + outChannels
                            + " out) must be divisible by groups="
                            + groups);
        }
        kernel = Dims.perAxis("Conv", "kernel", kernel, spatialDims, 1);
        stride = Dims.perAxis("Conv", "stride", stride, spatialDims, 1);
        padding = Dims.perAxis("Conv", "padding", padding, spatialDims, 0);
        if (paddingMode == null) {
            throw new IllegalArgumentException("Conv paddingMode must not be null");
        }
    }

    /** A stride-1 convolution with "same" zero padding (odd kernels), with bias. */
    public static Conv of(int spatialDims, int in, int out, int kernel) {
        if (kernel % 2 == 0) {
            throw new IllegalArgumentException(
                    "Conv.of pads k/2 and needs an odd kernel, got " + kernel);
        }
        return new Conv(
                spatialDims,
                in,
                out,
                List.of(kernel),
                List.of(1),
                List.of(kernel / 2),
                PadMode.ZEROS,
                1,
                true);
    }

    public static Conv conv1d(int in, int out, int kernel) {
        return of(1, in, out, kernel);
    }

    public static Conv conv2d(int in, int out, int kernel) {
        return of(2, in, out, kernel);
    }

    public static Conv conv3d(int in, int out, int kernel) {
        return of(3, in, out, kernel);
    }

    public Conv withStride(int... s) {
        return new Conv(
                spatialDims,
                inChannels,
                outChannels,
                kernel,
                box(s),
                padding,
                paddingMode,
                groups,
                bias);
    }

    public Conv withPadding(int... p) {
        return new Conv(
                spatialDims,
                inChannels,
                outChannels,
                kernel,
                stride,
                box(p),
                paddingMode,
                groups,
                bias);
    }

    public Conv withKernel(int... k) {
        return new Conv(
                spatialDims,
                inChannels,
                outChannels,
                box(k),
                stride,
                padding,
                paddingMode,
                groups,
                bias);
    }

    public Conv withPaddingMode(PadMode mode) {
        return new Conv(
                spatialDims, inChannels, outChannels, kernel, stride, padding, mode, groups, bias);
    }

    public Conv withGroups(int g) {
        return new Conv(
                spatialDims,
                inChannels,
                outChannels,
                kernel,
                stride,
                padding,
                paddingMode,
                g,
                bias);
    }

    public Conv withBias(boolean b) {
        return new Conv(
                spatialDims,
                inChannels,
                outChannels,
                kernel,
                stride,
                padding,
                paddingMode,
                groups,
                b);
    }

    static List<Integer> box(int... v) {
        List<Integer> out = new ArrayList<>();
        for (int x : v) {
            out.add(x);
        }
        return out;
    }

    /** Input channels times kernel volume per group: PyTorch's fan-in for initialisation. */
    public long fanIn() {
        return (long) (inChannels / groups) * Dims.product(kernel);
    }

    /** The weight {@code [out, in/groups, *kernel]} (PyTorch's layout and initialisation). */
    private SDVariable weight(Scope s) {
        long[] shape = new long[2 + spatialDims];
        shape[0] = outChannels;
        shape[1] = inChannels / groups;
        for (int i = 0; i < spatialDims; i++) {
            shape[2 + i] = kernel.get(i);
        }
        return s.param("weight", Init.torchDefaultWeight(fanIn()), shape);
    }

    /** The bias {@code [out]}, or null without bias. */
    private SDVariable bias(Scope s) {
        return bias ? s.param("bias", Init.torchDefaultBias(fanIn()), outChannels) : null;
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        Module.requireInputs(this, inputs, 1);
        SDVariable w = weight(s);
        SDVariable b = bias(s);
        SDVariable x = inputs[0];
        boolean zeroPad = paddingMode == PadMode.ZEROS;
        if (!zeroPad) {
            x = paddingMode.pad(s.sd(), x, padding);
        }
        if (groups == 1) {
            return convolve(s.sd(), x, w, b, zeroPad);
        }
        int inPer = inChannels / groups;
        int outPer = outChannels / groups;
        List<SDVariable> parts = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            SDVariable xg = x.get(channelRange(g * inPer, (g + 1) * inPer));
            SDVariable wg = w.get(firstAxisRange(g * outPer, (g + 1) * outPer));
            SDVariable bg =
                    b == null ? null : b.get(SDIndex.interval(g * outPer, (g + 1) * outPer));
            parts.add(convolve(s.sd(), xg, wg, bg, zeroPad));
        }
        return s.sd().concat(1, parts.toArray(SDVariable[]::new));
    }

    /**
     * This convolution applied to the channel concatenation of {@code pieces} (with {@code
     * pieceChannels} channels each, summing to {@code inChannels}): same parameters and value as
     * {@code forward(s, concat(pieces))}. In evaluation with the engine on it is computed as the
     * sum of one convolution per piece with the matching slice of the weight, so the concatenation
     * (and the convolution's reordered copy of its input) is never materialised: for the first
     * decoder convolution of a 3D U-Net on 96³ windows that is 113 + 113 MB less at once. In
     * training (and for grouped or padded-mode convolutions) the concatenation is built as usual.
     */
    public SDVariable forwardOnConcat(Scope s, List<Integer> pieceChannels, SDVariable... pieces) {
        if (pieceChannels.size() != pieces.length
                || pieceChannels.stream().mapToInt(Integer::intValue).sum() != inChannels) {
            throw new IllegalArgumentException(
                    "pieces with "
                            + pieceChannels
                            + " channels ("
                            + pieces.length
                            + " inputs) do not make the "
                            + inChannels
                            + " input channels of "
                            + this);
        }
        if (s.training()
                || groups != 1
                || paddingMode != PadMode.ZEROS
                || spatialDims < 2
                || !Engine.enabled()
                || pieces.length == 1) {
            return forward(s, Shapes.concatChannels(s.sd(), pieces));
        }
        SDVariable w = weight(s);
        SDVariable b = bias(s);
        SDVariable y = null;
        int from = 0;
        for (int i = 0; i < pieces.length; i++) {
            int to = from + pieceChannels.get(i);
            SDVariable wi = w.get(channelRange(from, to));
            SDVariable yi = convolve(s.sd(), pieces[i], wi, i == 0 ? b : null, true);
            y = y == null ? yi : y.add(yi);
            from = to;
        }
        return y;
    }

    private SDIndex[] channelRange(int from, int to) {
        SDIndex[] idx = new SDIndex[2 + spatialDims];
        java.util.Arrays.fill(idx, SDIndex.all());
        idx[1] = SDIndex.interval(from, to);
        return idx;
    }

    private SDIndex[] firstAxisRange(int from, int to) {
        SDIndex[] idx = new SDIndex[2 + spatialDims];
        java.util.Arrays.fill(idx, SDIndex.all());
        idx[0] = SDIndex.interval(from, to);
        return idx;
    }

    private SDVariable convolve(
            SameDiff sd, SDVariable x, SDVariable w, SDVariable b, boolean applyPadding) {
        if (spatialDims > 1 && Engine.enabled()) {
            int[] k = kernel.stream().mapToInt(Integer::intValue).toArray();
            int[] st = stride.stream().mapToInt(Integer::intValue).toArray();
            int[] p =
                    applyPadding
                            ? padding.stream().mapToInt(Integer::intValue).toArray()
                            : new int[spatialDims];
            int[] one = new int[spatialDims];
            java.util.Arrays.fill(one, 1);
            return ConvOps.conv(sd, x, w, b, k, st, p, one);
        }
        long p0 = applyPadding ? padding.get(0) : 0;
        switch (spatialDims) {
            case 1 -> {
                // SameDiff conv1d weights are [k, in, out]; an explicit padding mode is required.
                Conv1DConfig c =
                        Conv1DConfig.builder()
                                .k(kernel.get(0))
                                .s(stride.get(0))
                                .p(p0)
                                .d(1)
                                .paddingMode(PaddingMode.VALID)
                                .dataFormat("NCW")
                                .build();
                SDVariable wt = w.permute(2, 1, 0);
                return b == null ? sd.cnn().conv1d(x, wt, c) : sd.cnn().conv1d(x, wt, b, c);
            }
            case 2 -> {
                Conv2DConfig c =
                        Conv2DConfig.builder()
                                .kH(kernel.get(0))
                                .kW(kernel.get(1))
                                .sH(stride.get(0))
                                .sW(stride.get(1))
                                .pH(p0)
                                .pW(applyPadding ? padding.get(1) : 0)
                                .dH(1)
                                .dW(1)
                                .paddingMode(PaddingMode.VALID)
                                .dataFormat("NCHW")
                                .build();
                SDVariable wt = w.permute(2, 3, 1, 0);
                return b == null ? sd.cnn().conv2d(x, wt, c) : sd.cnn().conv2d(x, wt, b, c);
            }
            default -> {
                Conv3DConfig c =
                        Conv3DConfig.builder()
                                .kD(kernel.get(0))
                                .kH(kernel.get(1))
                                .kW(kernel.get(2))
                                .sD(stride.get(0))
                                .sH(stride.get(1))
                                .sW(stride.get(2))
                                .pD(p0)
                                .pH(applyPadding ? padding.get(1) : 0)
                                .pW(applyPadding ? padding.get(2) : 0)
                                .dD(1)
                                .dH(1)
                                .dW(1)
                                .paddingMode(PaddingMode.VALID)
                                .dataFormat("NCDHW")
                                .biasUsed(b != null)
                                .build();
                SDVariable wt = w.permute(2, 3, 4, 1, 0);
                return b == null ? sd.cnn().conv3d(x, wt, c) : sd.cnn().conv3d(x, wt, b, c);
            }
        }
    }
}
