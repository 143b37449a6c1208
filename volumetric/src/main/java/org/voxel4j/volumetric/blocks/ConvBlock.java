package org.voxel4j.volumetric.blocks;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;

/**
 * {@code convs} {@link ConvNormAct} units in a row, named {@code 0, 1, ...}: the level block of the
 * plain U-Net (Ronneberger et al. 2015; Çiçek et al. 2016; nnU-Net: two units per level) and the
 * "UnetConv" of the attention U-Net (conv3 → BN → PReLU, twice). The first unit maps {@code
 * inChannels → outChannels} and carries {@code firstStride} (strided-convolution down-sampling);
 * the others keep {@code outChannels} at stride 1.
 *
 * @param spatialDims 2 or 3
 * @param inChannels input channels
 * @param outChannels output channels of every unit
 * @param convs number of units (≥ 1)
 * @param kernel odd kernel size (every axis)
 * @param firstStride stride of the first unit per axis (1 value = every axis)
 * @param norm normalisation of each unit
 * @param act non-linearity of each unit
 */
public record ConvBlock(
        int spatialDims,
        int inChannels,
        int outChannels,
        int convs,
        int kernel,
        List<Integer> firstStride,
        Norm norm,
        Act act)
        implements Module {

    public ConvBlock {
        Axes.checkSpatialDims("ConvBlock", spatialDims);
        Axes.checkPositive("ConvBlock", "inChannels", inChannels);
        Axes.checkPositive("ConvBlock", "outChannels", outChannels);
        Axes.checkPositive("ConvBlock", "convs", convs);
        firstStride = Axes.perAxis("ConvBlock", "firstStride", firstStride, spatialDims, 1);
        if (kernel < 1 || kernel % 2 == 0) {
            throw new IllegalArgumentException("ConvBlock kernel must be odd, got " + kernel);
        }
        if (norm == null || act == null) {
            throw new IllegalArgumentException("ConvBlock norm and act must not be null");
        }
    }

    /** {@code convs} stride-1 units with kernel 3. */
    public static ConvBlock of(int spatialDims, int in, int out, int convs, Norm norm, Act act) {
        return new ConvBlock(spatialDims, in, out, convs, 3, List.of(1), norm, act);
    }

    /** Unit {@code i}. */
    public ConvNormAct unit(int i) {
        if (i < 0 || i >= convs) {
            throw new IllegalArgumentException("unit " + i + " of " + convs);
        }
        return new ConvNormAct(
                spatialDims,
                i == 0 ? inChannels : outChannels,
                outChannels,
                List.of(kernel),
                i == 0 ? firstStride : List.of(1),
                norm,
                act);
    }

    /** Number of learnable parameters. */
    public long parameterCount() {
        long n = 0;
        for (int i = 0; i < convs; i++) {
            n += unit(i).parameterCount();
        }
        return n;
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        Module.requireInputs(this, inputs, 1);
        SDVariable x = inputs[0];
        for (int i = 0; i < convs; i++) {
            x = s.call(Integer.toString(i), unit(i), x);
        }
        return x;
    }

    /**
     * {@link #forward} of the channel concatenation of {@code pieces} (a decoder's up-sampled path
     * and skip), without building it in evaluation (see {@link
     * org.voxel4j.nn.layers.Conv#forwardOnConcat}).
     */
    public SDVariable forwardOnConcat(Scope s, List<Integer> pieceChannels, SDVariable... pieces) {
        SDVariable x = unit(0).forwardOnConcat(s.child("0"), pieceChannels, pieces);
        for (int i = 1; i < convs; i++) {
            x = s.call(Integer.toString(i), unit(i), x);
        }
        return x;
    }
}
