package org.voxel4j.volumetric.nets;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.ops.Shapes;
import org.voxel4j.volumetric.blocks.Act;
import org.voxel4j.volumetric.blocks.Axes;
import org.voxel4j.volumetric.blocks.Norm;
import org.voxel4j.volumetric.blocks.ResidualBlock;
import org.voxel4j.volumetric.blocks.Upsampler;

/**
 * STU-Net (Huang et al. 2023, "STU-Net: Scalable and Transferable Medical Image Segmentation Models
 * Empowered by Large-Scale Supervised Pre-training"; reference code {@code uni-medical/STU-Net},
 * {@code STUNet.py}): a residual U-Net whose stages are {@code depths[d]} {@link ResidualBlock}s
 * (conv3 → IN → LeakyReLU, conv3 → IN, + shortcut, LeakyReLU); the first block of each stage has a
 * 1×1 projection shortcut carrying the stride; up-sampling is nearest interpolation followed by a
 * 1×1 convolution; decoder stages take the concatenation of the up-sampled features and the skip;
 * every decoder stage has a 1×1 segmentation head (with bias).
 *
 * <p>Presets ({@code STUNetTrainer_small/base/large/huge}): S widths 16…256, depth 1 per stage; B
 * 32…512, 1; L 64…1024, 2; H 96…1536, 3, each with six stages (widths ×1, 2, 4, 8, 16, 16) and five
 * down-samplings. Parameter names: {@code enc<d>/<i>/...}, {@code up<u>/conv/...}, {@code
 * dec<u>/<i>/...}, heads {@code head} (final) and {@code ds<level>}. Fine-tuning loads every weight
 * but the heads ({@link SegmentationNets#HEADS}), so the number of classes may differ.
 *
 * @param spatialDims 2 or 3 (the paper is 3D)
 * @param inChannels image channels
 * @param numClasses output channels
 * @param widths channels per stage (≥ 2 stages)
 * @param depths residual blocks per stage (same length as widths)
 * @param strides down-sampling factor per step ({@code widths.size() - 1} entries); null = 2
 * @param deepSupervision whether the down-sampled heads are published for deep supervision
 */
public record StuNet(
        int spatialDims,
        int inChannels,
        int numClasses,
        List<Integer> widths,
        List<Integer> depths,
        List<List<Integer>> strides,
        boolean deepSupervision)
        implements SegmentationNetwork {

    /** The four published sizes. */
    public enum Preset {
        S(List.of(16, 32, 64, 128, 256, 256), 1),
        B(List.of(32, 64, 128, 256, 512, 512), 1),
        L(List.of(64, 128, 256, 512, 1024, 1024), 2),
        H(List.of(96, 192, 384, 768, 1536, 1536), 3);

        private final List<Integer> widths;
        private final int depth;

        Preset(List<Integer> widths, int depth) {
            this.widths = widths;
            this.depth = depth;
        }

        public List<Integer> widths() {
            return widths;
        }

        public int depth() {
            return depth;
        }
    }

    public StuNet {
        Axes.checkSpatialDims("StuNet", spatialDims);
        Axes.checkPositive("StuNet", "inChannels", inChannels);
        Axes.checkPositive("StuNet", "numClasses", numClasses);
        SegmentationNets.requireChannels("StuNet", "widths (stages)", widths, 2);
        widths = List.copyOf(widths);
        SegmentationNets.requireChannels("StuNet", "depths", depths, widths.size());
        if (depths.size() != widths.size()) {
            throw new IllegalArgumentException(
                    "StuNet needs one depth per stage (" + widths.size() + "), got " + depths);
        }
        depths = List.copyOf(depths);
        strides = Axes.strides("StuNet", strides, widths.size() - 1, spatialDims);
    }

    /** A published preset in 3D, with deep supervision. */
    public static StuNet of(Preset p, int inChannels, int numClasses) {
        return new StuNet(
                3,
                inChannels,
                numClasses,
                p.widths(),
                Axes.repeat(p.depth(), p.widths().size()),
                null,
                true);
    }

    public static StuNet small(int inChannels, int numClasses) {
        return of(Preset.S, inChannels, numClasses);
    }

    public static StuNet base(int inChannels, int numClasses) {
        return of(Preset.B, inChannels, numClasses);
    }

    public static StuNet large(int inChannels, int numClasses) {
        return of(Preset.L, inChannels, numClasses);
    }

    public static StuNet huge(int inChannels, int numClasses) {
        return of(Preset.H, inChannels, numClasses);
    }

    @Override
    public StuNet withNumClasses(int c) {
        return new StuNet(spatialDims, inChannels, c, widths, depths, strides, deepSupervision);
    }

    public StuNet withStrides(List<List<Integer>> s) {
        return new StuNet(spatialDims, inChannels, numClasses, widths, depths, s, deepSupervision);
    }

    public StuNet withDeepSupervision(boolean ds) {
        return new StuNet(spatialDims, inChannels, numClasses, widths, depths, strides, ds);
    }

    /** Input sizes must be multiples of this per axis. */
    @Override
    public int[] divisor() {
        int[] f = new int[spatialDims];
        java.util.Arrays.fill(f, 1);
        for (List<Integer> s : strides) {
            f = Axes.times(f, s);
        }
        return f;
    }

    private ResidualBlock block(int in, int out, List<Integer> stride, boolean first) {
        return new ResidualBlock(
                spatialDims, in, out, 3, stride, Norm.instance(), Act.leakyRelu(), first);
    }

    private List<ResidualBlock> encoder(int d) {
        List<ResidualBlock> out = new ArrayList<>();
        int in = d == 0 ? inChannels : widths.get(d - 1);
        List<Integer> stride = d == 0 ? List.of(1) : strides.get(d - 1);
        out.add(block(in, widths.get(d), stride, true));
        for (int i = 1; i < depths.get(d); i++) {
            out.add(block(widths.get(d), widths.get(d), List.of(1), false));
        }
        return out;
    }

    /** Decoder stage at level {@code l} (same resolution as encoder stage l). */
    private List<ResidualBlock> decoder(int l) {
        List<ResidualBlock> out = new ArrayList<>();
        out.add(block(2 * widths.get(l), widths.get(l), List.of(1), true));
        for (int i = 1; i < depths.get(l); i++) {
            out.add(block(widths.get(l), widths.get(l), List.of(1), false));
        }
        return out;
    }

    private Upsampler upsampler(int l) {
        return new Upsampler(
                spatialDims,
                widths.get(l + 1),
                widths.get(l),
                strides.get(l),
                Upsampler.Mode.NEAREST);
    }

    /**
     * Number of learnable parameters, from the configuration alone (no weights are allocated), so
     * it also serves the L and H presets; PyTorch counts the same.
     */
    @Override
    public long parameterCount() {
        long n = 0;
        int stages = widths.size();
        for (int d = 0; d < stages; d++) {
            for (ResidualBlock b : encoder(d)) {
                n += b.parameterCount();
            }
        }
        for (int l = stages - 2; l >= 0; l--) {
            n += upsampler(l).parameterCount();
            for (ResidualBlock b : decoder(l)) {
                n += b.parameterCount();
            }
            n += SegmentationNets.headParameters(widths.get(l), numClasses);
        }
        return n;
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        Module.requireInputs(this, inputs, 1);
        int stages = widths.size();
        SDVariable x = inputs[0];
        List<SDVariable> skips = new ArrayList<>();
        for (int d = 0; d < stages; d++) {
            Scope sd = s.child("enc" + d);
            List<ResidualBlock> blocks = encoder(d);
            for (int i = 0; i < blocks.size(); i++) {
                x = sd.call(Integer.toString(i), blocks.get(i), x);
            }
            skips.add(x);
        }
        int[] factor = divisor();
        for (int l = stages - 2; l >= 0; l--) {
            for (int a = 0; a < spatialDims; a++) {
                factor[a] /= strides.get(l).get(a);
            }
            x = s.call("up" + l, upsampler(l), x);
            x = Shapes.concatChannels(s.sd(), x, skips.get(l));
            Scope sd = s.child("dec" + l);
            List<ResidualBlock> blocks = decoder(l);
            for (int i = 0; i < blocks.size(); i++) {
                x = sd.call(Integer.toString(i), blocks.get(i), x);
            }
            if (l > 0) {
                // STU-Net computes every head; only the published ones enter the loss.
                SDVariable aux =
                        SegmentationNets.head(
                                s, "ds" + l, spatialDims, widths.get(l), numClasses, x);
                if (deepSupervision) {
                    s.auxOutput(SegmentationNets.auxName(factor), aux);
                }
            }
        }
        return SegmentationNets.head(s, "head", spatialDims, widths.get(0), numClasses, x);
    }
}
