package org.voxel4j.volumetric.nets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.layers.ConvTranspose;
import org.voxel4j.nn.layers.Pool;
import org.voxel4j.nn.ops.Resize;
import org.voxel4j.nn.ops.Shapes;
import org.voxel4j.volumetric.blocks.Act;
import org.voxel4j.volumetric.blocks.AttentionGate;
import org.voxel4j.volumetric.blocks.Axes;
import org.voxel4j.volumetric.blocks.ConvBlock;
import org.voxel4j.volumetric.blocks.ConvNormAct;
import org.voxel4j.volumetric.blocks.Norm;

/**
 * Attention U-Net with a multi-scale input pyramid and deep supervision, as in Turbolift
 * (Chatterjee et al. 2022, {@code DeepSupAttentionUnet}) after Abraham and Khan 2019 ("A novel
 * focal Tversky loss function with improved attention U-Net") and Oktay et al. 2018 ("Attention
 * U-Net"), in 2D or 3D.
 *
 * <pre>
 *   conv0 = block(in → c0)                                      block = (conv3 → norm → act) × 2
 *   conv_k = block([act(conv3(avgpool_2^k(x)) → c_k), maxpool(conv_(k-1))] → c_k),  k = 1..L-2
 *   center = block(maxpool(conv_(L-2)) → c_(L-1))
 *   decoder, from prev = center, for the skips k = L-2 .. 0:
 *     g    = act(norm(conv1×1(prev)))                            gating signal
 *     skip = AttentionGate(conv_k, g)   (k = 0 ungated unless gateAllSkips)
 *     prev = [act(deconv k2 s2 (prev → u_j)), skip]
 *     out_j = head_j(block(prev → c_k))                          one head per skip level
 * </pre>
 *
 * The decoder blocks feed only their heads: the up-sampling chain continues from the concatenation
 * (as in the reference code). The full-resolution head {@code head} is the output; the heads at
 * 1/2, 1/4, ... are published for deep supervision (loss = mean over heads in Turbolift). Without
 * the input pyramid, level k gets only {@code maxpool(conv_(k-1))}. The attention gates use {@code
 * interChannels = c_k / 2} and the network's normalisation (batch norm in Turbolift) and
 * activation.
 *
 * @param spatialDims 2 or 3
 * @param inChannels image channels
 * @param numClasses output channels
 * @param channels encoder channels per level, the last one the centre (≥ 3 levels; Turbolift: 32,
 *     64, 128, 256, 512)
 * @param upChannels output channels of each transposed convolution, deepest first ({@code
 *     channels.size() - 1} entries; Turbolift: 32, 64, 32, 32)
 * @param norm normalisation of the conv blocks and gating signals (batch norm in Turbolift)
 * @param act non-linearity (per-channel PReLU in Turbolift)
 * @param inputPyramid whether each level also receives the average-pooled input
 * @param gateAllSkips whether the full-resolution skip is gated too (the reference gates all but
 *     that one)
 */
public record AttentionUnet(
        int spatialDims,
        int inChannels,
        int numClasses,
        List<Integer> channels,
        List<Integer> upChannels,
        Norm norm,
        Act act,
        boolean inputPyramid,
        boolean gateAllSkips)
        implements SegmentationNetwork {

    public AttentionUnet {
        Axes.checkSpatialDims("AttentionUnet", spatialDims);
        Axes.checkPositive("AttentionUnet", "inChannels", inChannels);
        Axes.checkPositive("AttentionUnet", "numClasses", numClasses);
        SegmentationNets.requireChannels("AttentionUnet", "channels (levels)", channels, 3);
        channels = List.copyOf(channels);
        SegmentationNets.requireChannels(
                "AttentionUnet", "upChannels", upChannels, channels.size() - 1);
        if (upChannels.size() != channels.size() - 1) {
            throw new IllegalArgumentException(
                    "AttentionUnet needs one upChannels entry per decoder step ("
                            + (channels.size() - 1)
                            + "), got "
                            + upChannels);
        }
        upChannels = List.copyOf(upChannels);
        for (int k = 0; k < channels.size() - 1; k++) {
            if (channels.get(k) < 2) {
                throw new IllegalArgumentException(
                        "AttentionUnet gated skips need >= 2 channels (inter = c/2), got "
                                + channels);
            }
        }
        if (norm == null || act == null) {
            throw new IllegalArgumentException("AttentionUnet norm and act must not be null");
        }
    }

    /**
     * Turbolift's {@code DeepSupAttentionUnet(in, classes, is_batchnorm=True, is_leaky=True)}:
     * channels 32, 64, 128, 256, 512, up-convolutions to 32, 64, 32, 32, batch norm, PReLU, input
     * pyramid, three gated skips, four heads.
     */
    public static AttentionUnet turbolift(int spatialDims, int inChannels, int numClasses) {
        return new AttentionUnet(
                spatialDims,
                inChannels,
                numClasses,
                List.of(32, 64, 128, 256, 512),
                List.of(32, 64, 32, 32),
                Norm.batch(),
                Act.prelu(),
                true,
                false);
    }

    /**
     * Turbolift's layout scaled to {@code base} channels (base × 1, 2, 4, 8, 16; up-convolutions
     * base × 1, 2, 1, 1), with every skip gated.
     */
    public static AttentionUnet of(int spatialDims, int inChannels, int numClasses, int base) {
        Axes.checkPositive("AttentionUnet", "base", base);
        return new AttentionUnet(
                spatialDims,
                inChannels,
                numClasses,
                List.of(base, 2 * base, 4 * base, 8 * base, 16 * base),
                List.of(base, 2 * base, base, base),
                Norm.batch(),
                Act.prelu(),
                true,
                true);
    }

    /** {@link #of} in 3D. */
    public static AttentionUnet attentionUnet3d(int inChannels, int numClasses, int base) {
        return of(3, inChannels, numClasses, base);
    }

    /** {@link #of} in 2D. */
    public static AttentionUnet attentionUnet2d(int inChannels, int numClasses, int base) {
        return of(2, inChannels, numClasses, base);
    }

    public AttentionUnet withChannels(List<Integer> ch, List<Integer> up) {
        return new AttentionUnet(
                spatialDims, inChannels, numClasses, ch, up, norm, act, inputPyramid, gateAllSkips);
    }

    @Override
    public AttentionUnet withNumClasses(int c) {
        return new AttentionUnet(
                spatialDims,
                inChannels,
                c,
                channels,
                upChannels,
                norm,
                act,
                inputPyramid,
                gateAllSkips);
    }

    public AttentionUnet withInputPyramid(boolean p) {
        return new AttentionUnet(
                spatialDims,
                inChannels,
                numClasses,
                channels,
                upChannels,
                norm,
                act,
                p,
                gateAllSkips);
    }

    public AttentionUnet withGateAllSkips(boolean g) {
        return new AttentionUnet(
                spatialDims,
                inChannels,
                numClasses,
                channels,
                upChannels,
                norm,
                act,
                inputPyramid,
                g);
    }

    public AttentionUnet withNormAct(Norm n, Act a) {
        return new AttentionUnet(
                spatialDims,
                inChannels,
                numClasses,
                channels,
                upChannels,
                n,
                a,
                inputPyramid,
                gateAllSkips);
    }

    /** Input sizes must be multiples of 2^(levels - 1) per axis. */
    @Override
    public int[] divisor() {
        int[] d = new int[spatialDims];
        Arrays.fill(d, 1 << (channels.size() - 1));
        return d;
    }

    private int levels() {
        return channels.size();
    }

    private ConvBlock encoder(int k) {
        int in;
        if (k == 0) {
            in = inChannels;
        } else if (k < levels() - 1 && inputPyramid) {
            in = channels.get(k) + channels.get(k - 1);
        } else {
            in = channels.get(k - 1);
        }
        return ConvBlock.of(spatialDims, in, channels.get(k), 2, norm, act);
    }

    private ConvNormAct scale(int k) {
        return ConvNormAct.of(spatialDims, inChannels, channels.get(k), 3, Norm.none(), act);
    }

    private boolean gated(int k) {
        return k > 0 || gateAllSkips;
    }

    /** Channels of the decoder state before step j (j = 0 starts from the centre). */
    private int prevChannels(int j) {
        if (j == 0) {
            return channels.get(levels() - 1);
        }
        int k = levels() - 1 - j; // skip level of step j - 1
        return upChannels.get(j - 1) + channels.get(k);
    }

    private ConvNormAct gating(int j) {
        int c = prevChannels(j);
        return ConvNormAct.of(spatialDims, c, c, 1, norm, act);
    }

    private AttentionGate gate(int j, int k) {
        return new AttentionGate(
                spatialDims,
                channels.get(k),
                prevChannels(j),
                channels.get(k) / 2,
                Norm.batch(),
                act);
    }

    private ConvTranspose deconv(int j) {
        return ConvTranspose.upsampler(spatialDims, prevChannels(j), upChannels.get(j), 2);
    }

    private ConvBlock decoder(int j, int k) {
        return ConvBlock.of(spatialDims, prevChannels(j + 1), channels.get(k), 2, norm, act);
    }

    /** Number of learnable parameters (PyTorch's count of the same network). */
    @Override
    public long parameterCount() {
        long n = 0;
        int levels = levels();
        for (int k = 0; k < levels; k++) {
            n += encoder(k).parameterCount();
            if (k > 0 && k < levels - 1 && inputPyramid) {
                n += scale(k).parameterCount();
            }
        }
        for (int j = 0; j < levels - 1; j++) {
            int k = levels - 2 - j;
            if (gated(k)) {
                n += gating(j).parameterCount() + gate(j, k).parameterCount();
            }
            long k2 = 1L << spatialDims;
            n += (long) prevChannels(j) * upChannels.get(j) * k2 + upChannels.get(j);
            n += act.parameterCount(upChannels.get(j));
            n += decoder(j, k).parameterCount();
            n += SegmentationNets.headParameters(channels.get(k), numClasses);
        }
        return n;
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        Module.requireInputs(this, inputs, 1);
        SDVariable x = inputs[0];
        int levels = levels();
        int[] two = new int[spatialDims];
        Arrays.fill(two, 2);
        Pool pool = Pool.max(spatialDims, 2);
        List<SDVariable> convs = new ArrayList<>();
        SDVariable scaled = x;
        SDVariable prev = null;
        for (int k = 0; k < levels; k++) {
            SDVariable in;
            if (k == 0) {
                in = x;
            } else {
                SDVariable pooled = pool.forward(s, prev);
                if (k < levels - 1 && inputPyramid) {
                    scaled = Resize.avgPool(s.sd(), scaled, two);
                    SDVariable pyr = s.call("scale" + k, scale(k), scaled);
                    in = Shapes.concatChannels(s.sd(), pyr, pooled);
                } else {
                    in = pooled;
                }
            }
            prev = s.call(k == levels - 1 ? "center" : "conv" + k, encoder(k), in);
            if (k < levels - 1) {
                convs.add(prev);
            }
        }
        SDVariable out = null;
        for (int j = 0; j < levels - 1; j++) {
            int k = levels - 2 - j;
            SDVariable skip = convs.get(k);
            if (gated(k)) {
                SDVariable g = s.call("gating" + j, gating(j), prev);
                skip = s.call("gate" + j, gate(j, k), skip, g);
            }
            SDVariable upx = s.call("deconv" + j, deconv(j), prev);
            upx = s.call("upact" + j, act.layer(upChannels.get(j), spatialDims), upx);
            prev = Shapes.concatChannels(s.sd(), upx, skip);
            SDVariable dec = s.call("dec" + j, decoder(j, k), prev);
            if (k == 0) {
                out =
                        SegmentationNets.head(
                                s, "head", spatialDims, channels.get(0), numClasses, dec);
            } else {
                SDVariable aux =
                        SegmentationNets.head(
                                s, "ds" + k, spatialDims, channels.get(k), numClasses, dec);
                int[] f = new int[spatialDims];
                Arrays.fill(f, 1 << k);
                s.auxOutput(SegmentationNets.auxName(f), aux);
            }
        }
        return out;
    }
}
