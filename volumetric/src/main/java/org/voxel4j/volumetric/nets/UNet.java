package org.voxel4j.volumetric.nets;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.layers.Pool;
import org.voxel4j.nn.ops.Shapes;
import org.voxel4j.volumetric.blocks.Act;
import org.voxel4j.volumetric.blocks.Axes;
import org.voxel4j.volumetric.blocks.ConvBlock;
import org.voxel4j.volumetric.blocks.Norm;
import org.voxel4j.volumetric.blocks.ResidualBlock;
import org.voxel4j.volumetric.blocks.Upsampler;

/**
 * A configurable 2D/3D U-Net (Ronneberger et al. 2015; Çiçek et al. 2016, "3D U-Net"; Isensee et
 * al. 2021, "nnU-Net"): an encoder of {@code channels.size()} levels, a decoder with concatenated
 * skip connections, a 1×1 segmentation head, and optional deep-supervision heads.
 *
 * <pre>
 *   enc0:  block(in → c0)                                 full resolution
 *   encL:  down(stride_L) → block(c(L-1) → cL)            1 / prod(strides)
 *   decL:  up(c(L+1) → cL) → concat(skip L) → block(2 cL → cL)
 *   head:  1×1 conv(c0 → classes);  dsL (L ≥ 1, with deep supervision): 1×1 conv(cL → classes)
 * </pre>
 *
 * A block is {@code blocksPerLevel} (conv → norm → act) units, or with {@code residual} that many
 * {@link ResidualBlock}s (two convolutions each, projection shortcut where the shape changes).
 * Down-sampling is max-pooling (kernel = stride) or a strided first convolution of the level (as
 * nnU-Net); up-sampling is a transposed convolution (kernel = stride) or nearest/linear up-sampling
 * followed by a 1×1 convolution. Deep-supervision heads follow {@link SegmentationNets}' naming so
 * the objective can down-sample the reference per head.
 *
 * <p>The {@code unet3d-step-64} benchmark network is {@code UNet.unet3d(1, 2, List.of(16, 32, 64,
 * 128))}: two (conv 3³ → InstanceNorm → LeakyReLU 0.01) per level, max-pool 2, transposed conv k2
 * s2, concatenated skips, 1×1×1 head.
 *
 * @param spatialDims 2 or 3
 * @param inChannels image channels
 * @param numClasses output channels (classes including background)
 * @param channels feature channels per level (≥ 2 levels)
 * @param blocksPerLevel conv units (or residual units) per level and per decoder step
 * @param residual whether blocks are residual units
 * @param kernel odd convolution kernel size
 * @param norm normalisation after every convolution
 * @param act non-linearity
 * @param down down-sampling method
 * @param up up-sampling method
 * @param strides down-sampling factors per step ({@code channels.size() - 1} entries, each one
 *     value or one per axis); null = 2 everywhere
 * @param deepSupervision whether to add heads at the down-sampled decoder levels
 */
public record UNet(
        int spatialDims,
        int inChannels,
        int numClasses,
        List<Integer> channels,
        int blocksPerLevel,
        boolean residual,
        int kernel,
        Norm norm,
        Act act,
        Down down,
        Upsampler.Mode up,
        List<List<Integer>> strides,
        boolean deepSupervision)
        implements SegmentationNetwork {

    /** Down-sampling method. */
    public enum Down {
        MAX_POOL,
        STRIDED_CONV
    }

    public UNet {
        Axes.checkSpatialDims("UNet", spatialDims);
        Axes.checkPositive("UNet", "inChannels", inChannels);
        Axes.checkPositive("UNet", "numClasses", numClasses);
        SegmentationNets.requireChannels("UNet", "channels (levels)", channels, 2);
        channels = List.copyOf(channels);
        Axes.checkPositive("UNet", "blocksPerLevel", blocksPerLevel);
        if (kernel < 1 || kernel % 2 == 0) {
            throw new IllegalArgumentException("UNet kernel must be odd, got " + kernel);
        }
        if (norm == null || act == null || down == null || up == null) {
            throw new IllegalArgumentException("UNet norm, act, down and up must not be null");
        }
        strides = Axes.strides("UNet", strides, channels.size() - 1, spatialDims);
    }

    /**
     * nnU-Net-style 3D U-Net: two (conv 3 → InstanceNorm → LeakyReLU 0.01) per level, max-pool 2,
     * transposed convolution k2 s2, no deep supervision.
     */
    public static UNet unet3d(int inChannels, int numClasses, List<Integer> channels) {
        return new UNet(
                3,
                inChannels,
                numClasses,
                channels,
                2,
                false,
                3,
                Norm.instance(),
                Act.leakyRelu(),
                Down.MAX_POOL,
                Upsampler.Mode.TRANSPOSED,
                null,
                false);
    }

    /** The 2D form of {@link #unet3d}. */
    public static UNet unet2d(int inChannels, int numClasses, List<Integer> channels) {
        return unet3d(inChannels, numClasses, channels).withSpatialDims(2);
    }

    public UNet withSpatialDims(int d) {
        return new UNet(
                d,
                inChannels,
                numClasses,
                channels,
                blocksPerLevel,
                residual,
                kernel,
                norm,
                act,
                down,
                up,
                null,
                deepSupervision);
    }

    public UNet withInChannels(int c) {
        return new UNet(
                spatialDims,
                c,
                numClasses,
                channels,
                blocksPerLevel,
                residual,
                kernel,
                norm,
                act,
                down,
                up,
                strides,
                deepSupervision);
    }

    @Override
    public UNet withNumClasses(int c) {
        return new UNet(
                spatialDims,
                inChannels,
                c,
                channels,
                blocksPerLevel,
                residual,
                kernel,
                norm,
                act,
                down,
                up,
                strides,
                deepSupervision);
    }

    public UNet withBlocks(int blocks, boolean residualUnits) {
        return new UNet(
                spatialDims,
                inChannels,
                numClasses,
                channels,
                blocks,
                residualUnits,
                kernel,
                norm,
                act,
                down,
                up,
                strides,
                deepSupervision);
    }

    public UNet withNorm(Norm n) {
        return new UNet(
                spatialDims,
                inChannels,
                numClasses,
                channels,
                blocksPerLevel,
                residual,
                kernel,
                n,
                act,
                down,
                up,
                strides,
                deepSupervision);
    }

    public UNet withAct(Act a) {
        return new UNet(
                spatialDims,
                inChannels,
                numClasses,
                channels,
                blocksPerLevel,
                residual,
                kernel,
                norm,
                a,
                down,
                up,
                strides,
                deepSupervision);
    }

    public UNet withSampling(Down d, Upsampler.Mode u) {
        return new UNet(
                spatialDims,
                inChannels,
                numClasses,
                channels,
                blocksPerLevel,
                residual,
                kernel,
                norm,
                act,
                d,
                u,
                strides,
                deepSupervision);
    }

    public UNet withStrides(List<List<Integer>> s) {
        return new UNet(
                spatialDims,
                inChannels,
                numClasses,
                channels,
                blocksPerLevel,
                residual,
                kernel,
                norm,
                act,
                down,
                up,
                s,
                deepSupervision);
    }

    public UNet withDeepSupervision(boolean ds) {
        return new UNet(
                spatialDims,
                inChannels,
                numClasses,
                channels,
                blocksPerLevel,
                residual,
                kernel,
                norm,
                act,
                down,
                up,
                strides,
                ds);
    }

    /** Product of all down-sampling factors per axis: input sizes must be multiples of it. */
    @Override
    public int[] divisor() {
        int[] f = new int[spatialDims];
        java.util.Arrays.fill(f, 1);
        for (List<Integer> s : strides) {
            f = Axes.times(f, s);
        }
        return f;
    }

    private Module block(int in, int out, List<Integer> firstStride) {
        if (!residual) {
            return new ConvBlock(
                    spatialDims, in, out, blocksPerLevel, kernel, firstStride, norm, act);
        }
        List<Module> units = new ArrayList<>();
        for (int i = 0; i < blocksPerLevel; i++) {
            List<Integer> st = i == 0 ? firstStride : List.of(1);
            int cin = i == 0 ? in : out;
            boolean proj =
                    cin != out || !Axes.allOnes(Axes.perAxis("UNet", "stride", st, spatialDims, 1));
            units.add(new ResidualBlock(spatialDims, cin, out, kernel, st, norm, act, proj));
        }
        return new org.voxel4j.nn.layers.Sequential(units);
    }

    private Module encoder(int level) {
        int in = level == 0 ? inChannels : channels.get(level - 1);
        List<Integer> first =
                level > 0 && down == Down.STRIDED_CONV ? strides.get(level - 1) : List.of(1);
        return block(in, channels.get(level), first);
    }

    private Module decoder(int level) {
        return block(2 * channels.get(level), channels.get(level), List.of(1));
    }

    private Upsampler upsampler(int level) {
        return new Upsampler(
                spatialDims, channels.get(level + 1), channels.get(level), strides.get(level), up);
    }

    /** Number of learnable parameters (PyTorch's count of the same network). */
    @Override
    public long parameterCount() {
        long n = 0;
        int levels = channels.size();
        for (int l = 0; l < levels; l++) {
            n += count(encoder(l));
        }
        for (int l = levels - 2; l >= 0; l--) {
            n += upsampler(l).parameterCount() + count(decoder(l));
            if (l == 0 || deepSupervision) {
                n += SegmentationNets.headParameters(channels.get(l), numClasses);
            }
        }
        return n;
    }

    private static long count(Module m) {
        if (m instanceof ConvBlock b) {
            return b.parameterCount();
        }
        long n = 0;
        for (Module u : ((org.voxel4j.nn.layers.Sequential) m).layers()) {
            n += ((ResidualBlock) u).parameterCount();
        }
        return n;
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        Module.requireInputs(this, inputs, 1);
        int levels = channels.size();
        SDVariable x = inputs[0];
        List<SDVariable> skips = new ArrayList<>();
        for (int l = 0; l < levels; l++) {
            if (l > 0 && down == Down.MAX_POOL) {
                List<Integer> st = strides.get(l - 1);
                x = new Pool(Pool.Kind.MAX, spatialDims, st, st).forward(s, x);
            }
            x = s.call("enc" + l, encoder(l), x);
            skips.add(x);
        }
        int[] factor = divisor();
        for (int l = levels - 2; l >= 0; l--) {
            factor = divide(factor, strides.get(l));
            x = s.call("up" + l, upsampler(l), x);
            Module dec = decoder(l);
            if (!s.training() && dec instanceof ConvBlock block) {
                // conv(concat(up, skip)) without building the concatenation (Conv.forwardOnConcat)
                int c = channels.get(l);
                x = block.forwardOnConcat(s.child("dec" + l), List.of(c, c), x, skips.get(l));
            } else {
                x = s.call("dec" + l, dec, Shapes.concatChannels(s.sd(), x, skips.get(l)));
            }
            if (l > 0 && deepSupervision) {
                SDVariable aux =
                        SegmentationNets.head(
                                s, "ds" + l, spatialDims, channels.get(l), numClasses, x);
                s.auxOutput(SegmentationNets.auxName(factor), aux);
            }
        }
        return SegmentationNets.head(s, "head", spatialDims, channels.get(0), numClasses, x);
    }

    private static int[] divide(int[] f, List<Integer> by) {
        int[] out = f.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] /= by.get(i);
        }
        return out;
    }
}
