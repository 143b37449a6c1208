package org.voxel4j.volumetric.blocks;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv3DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Rank-aware forms of a few operations that the rank-agnostic versions of nn-core build from many
 * small ops. SameDiff spends roughly half a millisecond per op on small tensors, whatever the op
 * does, so in networks with dozens of gates and activations the op count sets the step time (a ×2
 * trilinear up-sampling is 54 ops in {@code Resize.upsampleLinear}, 5 here). Each is tested against
 * the nn-core version it replaces.
 */
public final class FastOps {
    private FastOps() {}

    /**
     * ×2 (bi/tri)linear up-sampling with {@code align_corners=False} (PyTorch {@code
     * F.interpolate(x, scale_factor=2, mode='trilinear')}) of {@code [N, C, *S]}.
     *
     * <p>For factor 2 the linear stencil equals nearest up-sampling followed by the separable
     * smoothing {@code [1/4, 1/2, 1/4]} with replicated edges. Replication is obtained from zero
     * padding by dividing by the smoothing of a ones-tensor: at an edge the two nearest copies are
     * equal, so the renormalised average equals the replicated one. Ops: native nearest
     * up-sampling, two fixed depthwise-diagonal convolutions, a ones-like and a division.
     */
    public static SDVariable linearUp2(SameDiff sd, SDVariable x, int spatialDims, int channels) {
        Axes.checkSpatialDims("linearUp2", spatialDims);
        Axes.checkPositive("linearUp2", "channels", channels);
        SDVariable up =
                spatialDims == 3
                        ? sd.cnn().upsampling3d(x, true, 2, 2, 2)
                        : sd.cnn().upsampling2d(x, 2, 2, true);
        SDVariable k = sd.constant(smoothingKernel(spatialDims, channels, x.dataType()));
        SDVariable num = conv(sd, up, k, spatialDims);
        SDVariable den = conv(sd, sd.onesLike(up), k, spatialDims);
        return num.div(den);
    }

    private static SDVariable conv(SameDiff sd, SDVariable x, SDVariable k, int spatialDims) {
        if (spatialDims == 3) {
            Conv3DConfig c =
                    Conv3DConfig.builder()
                            .kD(3)
                            .kH(3)
                            .kW(3)
                            .sD(1)
                            .sH(1)
                            .sW(1)
                            .pD(1)
                            .pH(1)
                            .pW(1)
                            .dD(1)
                            .dH(1)
                            .dW(1)
                            .paddingMode(PaddingMode.VALID)
                            .dataFormat("NCDHW")
                            .biasUsed(false)
                            .build();
            return sd.cnn().conv3d(x, k, c);
        }
        Conv2DConfig c =
                Conv2DConfig.builder()
                        .kH(3)
                        .kW(3)
                        .sH(1)
                        .sW(1)
                        .pH(1)
                        .pW(1)
                        .dH(1)
                        .dW(1)
                        .paddingMode(PaddingMode.VALID)
                        .dataFormat("NCHW")
                        .build();
        return sd.cnn().conv2d(x, k, c);
    }

    /** SameDiff layout {@code [k..., in, out]}: channel c maps only to channel c. */
    private static INDArray smoothingKernel(int spatialDims, int channels, DataType type) {
        double[] w = {0.25, 0.5, 0.25};
        long[] shape = new long[spatialDims + 2];
        for (int a = 0; a < spatialDims; a++) {
            shape[a] = 3;
        }
        shape[spatialDims] = channels;
        shape[spatialDims + 1] = channels;
        INDArray k = Nd4j.zeros(DataType.DOUBLE, shape);
        long[] idx = new long[spatialDims + 2];
        int taps = spatialDims == 3 ? 27 : 9;
        for (int t = 0; t < taps; t++) {
            double v = 1;
            int rem = t;
            for (int a = spatialDims - 1; a >= 0; a--) {
                idx[a] = rem % 3;
                v *= w[rem % 3];
                rem /= 3;
            }
            for (int c = 0; c < channels; c++) {
                idx[spatialDims] = c;
                idx[spatialDims + 1] = c;
                k.putScalar(idx, v);
            }
        }
        return k.castTo(type.isFPType() ? type : DataType.FLOAT);
    }

    /**
     * Per-channel PReLU {@code max(0, x) + w_c min(0, x)} on {@code [N, C, *S]} of known rank: the
     * weight is reshaped to {@code [1, C, 1, ...]} and broadcast (5 ops instead of 11).
     */
    public static SDVariable prelu(SameDiff sd, SDVariable x, SDVariable weight, int spatialDims) {
        long[] s = new long[spatialDims + 2];
        java.util.Arrays.fill(s, 1);
        s[1] = -1;
        SDVariable pos = sd.nn.relu(x, 0.0);
        return pos.add(x.sub(pos).mul(sd.reshape(weight, s)));
    }

    /** {@code [C]} → {@code [1, C, 1, ...]} for broadcasting over {@code [N, C, *S]}. */
    public static SDVariable channel(SameDiff sd, SDVariable p, int spatialDims) {
        long[] s = new long[spatialDims + 2];
        java.util.Arrays.fill(s, 1);
        s[1] = -1;
        return sd.reshape(p, s);
    }
}
