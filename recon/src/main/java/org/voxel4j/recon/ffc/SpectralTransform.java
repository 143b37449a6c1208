package org.voxel4j.recon.ffc;

import org.nd4j.autodiff.samediff.SDVariable;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.layers.Activation;
import org.voxel4j.nn.layers.BatchNorm;
import org.voxel4j.nn.layers.Conv;
import org.voxel4j.nn.layers.Sequential;
import org.voxel4j.nn.ops.Resize;

/**
 * The global (spectral) branch of FFC (Chi et al., NeurIPS 2020, §3.2, Fig. 2): optional 2×2
 * average pooling for stride 2, a 1×1 convolution to {@code out/2} channels with batch norm and
 * ReLU, a {@link FourierUnit}, and a 1×1 convolution of the sum {@code x + FU(x)} to {@code out}
 * channels; convolutions without bias. The local Fourier unit (LFU) of the paper is not included:
 * LaMa's and GloReDi's configurations disable it ({@code enable_lfu=False}).
 *
 * <p>An optional second input is a reference tensor of the input's spatial size for the DFT
 * matrices (see {@link FourierUnit}). Parameters (PyTorch names): {@code conv1/0/weight}, {@code
 * conv1/1/*} (batch norm), {@code fu/*}, {@code conv2/weight}.
 *
 * @param inChannels input channels
 * @param outChannels output channels (≥ 2: the Fourier unit works on {@code out/2})
 * @param stride 1 or 2
 */
public record SpectralTransform(int inChannels, int outChannels, int stride) implements Module {

    public SpectralTransform {
        if (inChannels < 1) {
            throw new IllegalArgumentException(
                    "SpectralTransform inChannels must be >= 1, got " + inChannels);
        }
        if (outChannels < 2) {
            throw new IllegalArgumentException(
                    "SpectralTransform outChannels must be >= 2 (the Fourier unit uses out/2), got "
                            + outChannels);
        }
        if (stride != 1 && stride != 2) {
            throw new IllegalArgumentException(
                    "SpectralTransform stride must be 1 or 2, got " + stride);
        }
    }

    public static SpectralTransform of(int inChannels, int outChannels) {
        return new SpectralTransform(inChannels, outChannels, 1);
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        FfcInputs.check(this, inputs);
        SDVariable x = inputs[0];
        if (stride == 2) {
            x = Resize.avgPool(s.sd(), x, 2, 2);
        }
        int half = outChannels / 2;
        x =
                s.call(
                        "conv1",
                        Sequential.of(
                                Conv.conv2d(inChannels, half, 1).withBias(false),
                                BatchNorm.of(half),
                                Activation.relu()),
                        x);
        // a reference of the input's size only applies without pooling
        SDVariable fu =
                stride == 1 && inputs.length == 2
                        ? s.call("fu", new FourierUnit(half, half), x, inputs[1])
                        : s.call("fu", new FourierUnit(half, half), x);
        return s.call("conv2", Conv.conv2d(half, outChannels, 1).withBias(false), x.add(fu));
    }
}
