package org.voxel4j.nn.layers;

import java.util.List;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv3DConfig;
import org.voxel4j.nn.Init;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.engine.ConvOps;
import org.voxel4j.nn.engine.Engine;

/**
 * Transposed convolution, PyTorch's {@code nn.ConvTranspose2d/3d}: weight {@code [in, out, k...]}
 * (PyTorch layout), output size {@code (in − 1)·stride − 2·padding + kernel + outputPadding}.
 *
 * <p>ND4J's deconvolution has no output padding, so the layer computes the unpadded result ({@code
 * padding = 0}) and crops {@code padding} from the start and {@code padding − outputPadding} from
 * the end of each axis, which is PyTorch's definition.
 */
public record ConvTranspose(
        int spatialDims,
        int inChannels,
        int outChannels,
        List<Integer> kernel,
        List<Integer> stride,
        List<Integer> padding,
        List<Integer> outputPadding,
        boolean bias)
        implements Module {

    public ConvTranspose {
        Dims.checkSpatialDims("ConvTranspose", spatialDims);
        if (spatialDims == 1) {
            throw new IllegalArgumentException("ConvTranspose supports 2 or 3 spatial dims, got 1");
        }
        Dims.checkPositive("ConvTranspose", "inChannels", inChannels);
        Dims.checkPositive("ConvTranspose", "outChannels", outChannels);
        kernel = Dims.perAxis("ConvTranspose", "kernel", kernel, spatialDims, 1);
        stride = Dims.perAxis("ConvTranspose", "stride", stride, spatialDims, 1);
        padding = Dims.perAxis("ConvTranspose", "padding", padding, spatialDims, 0);
        outputPadding =
                Dims.perAxis("ConvTranspose", "outputPadding", outputPadding, spatialDims, 0);
        for (int i = 0; i < spatialDims; i++) {
            if (outputPadding.get(i) >= stride.get(i)) {
                throw new IllegalArgumentException(
                        "ConvTranspose outputPadding must be < stride, got "
                                + outputPadding
                                + " with stride "
                                + stride);
            }
            if (padding.get(i) < outputPadding.get(i)) {
                throw new IllegalArgumentException(
                        "ConvTranspose needs padding >= outputPadding, got "
                                + padding
                                + " and "
                                + outputPadding);
            }
        }
    }

    /** The usual U-Net upsampler: kernel = stride = {@code factor}, no padding, with bias. */
    public static ConvTranspose upsampler(int spatialDims, int in, int out, int factor) {
        return new ConvTranspose(
                spatialDims,
                in,
                out,
                List.of(factor),
                List.of(factor),
                List.of(0),
                List.of(0),
                true);
    }

    public ConvTranspose withPadding(int padding, int outputPadding) {
        return new ConvTranspose(
                spatialDims,
                inChannels,
                outChannels,
                kernel,
                stride,
                List.of(padding),
                List.of(outputPadding),
                bias);
    }

    /** PyTorch's fan-in for ConvTranspose weights {@code [in, out, k...]}: out · kernel volume. */
    public long fanIn() {
        return (long) outChannels * Dims.product(kernel);
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        Module.requireInputs(this, inputs, 1);
        long[] wShape = new long[2 + spatialDims];
        wShape[0] = inChannels;
        wShape[1] = outChannels;
        for (int i = 0; i < spatialDims; i++) {
            wShape[2 + i] = kernel.get(i);
        }
        SDVariable w = s.param("weight", Init.torchDefaultWeight(fanIn()), wShape);
        SDVariable b = bias ? s.param("bias", Init.torchDefaultBias(fanIn()), outChannels) : null;
        SDVariable x = inputs[0];
        SDVariable y;
        if (Engine.enabled()) {
            int[] k = kernel.stream().mapToInt(Integer::intValue).toArray();
            int[] st = stride.stream().mapToInt(Integer::intValue).toArray();
            int[] one = new int[spatialDims];
            java.util.Arrays.fill(one, 1);
            y = ConvOps.convTranspose(s.sd(), x, w, b, k, st, new int[spatialDims], one);
        } else if (spatialDims == 2) {
            DeConv2DConfig c =
                    DeConv2DConfig.builder()
                            .kH(kernel.get(0))
                            .kW(kernel.get(1))
                            .sH(stride.get(0))
                            .sW(stride.get(1))
                            .pH(0)
                            .pW(0)
                            .dH(1)
                            .dW(1)
                            .isSameMode(false)
                            .dataFormat("NCHW")
                            .build();
            // SameDiff deconv2d weights: [kH, kW, out, in].
            SDVariable wt = w.permute(2, 3, 1, 0);
            y = b == null ? s.sd().cnn().deconv2d(x, wt, c) : s.sd().cnn().deconv2d(x, wt, b, c);
        } else {
            DeConv3DConfig c =
                    DeConv3DConfig.builder()
                            .kD(kernel.get(0))
                            .kH(kernel.get(1))
                            .kW(kernel.get(2))
                            .sD(stride.get(0))
                            .sH(stride.get(1))
                            .sW(stride.get(2))
                            .pD(0)
                            .pH(0)
                            .pW(0)
                            .dD(1)
                            .dH(1)
                            .dW(1)
                            .isSameMode(false)
                            .dataFormat("NCDHW")
                            .build();
            // SameDiff deconv3d weights: [kD, kH, kW, out, in].
            SDVariable wt = w.permute(2, 3, 4, 1, 0);
            y = b == null ? s.sd().cnn().deconv3d(x, wt, c) : s.sd().cnn().deconv3d(x, wt, b, c);
        }
        boolean crop = false;
        for (int i = 0; i < spatialDims; i++) {
            crop |= padding.get(i) > 0 || outputPadding.get(i) > 0;
        }
        if (!crop) {
            return y;
        }
        SDIndex[] idx = new SDIndex[2 + spatialDims];
        idx[0] = SDIndex.all();
        idx[1] = SDIndex.all();
        for (int i = 0; i < spatialDims; i++) {
            int start = padding.get(i);
            int endCut = padding.get(i) - outputPadding.get(i);
            if (endCut < 0) {
                throw new IllegalStateException("unreachable: validated in the constructor");
            }
            idx[2 + i] =
                    endCut == 0
                            ? SDIndex.interval((long) start, null)
                            : SDIndex.interval((long) start, (long) -endCut);
        }
        return y.get(idx);
    }
}
