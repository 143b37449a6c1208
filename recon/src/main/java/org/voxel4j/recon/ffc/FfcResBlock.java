package org.voxel4j.recon.ffc;

import org.nd4j.autodiff.samediff.SDVariable;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.layers.PadMode;

/**
 * The FFC residual block of LaMa (R. Suvorov et al., "Resolution-robust Large Mask Inpainting with
 * Fourier Convolutions", WACV 2022, §3.1) and GloReDi: two {@link FfcBnAct} with 3×3 kernels,
 * reflect padding 1 and equal global ratios, plus the identity: {@code x + conv2(conv1(x))} on both
 * parts. Parameters (PyTorch names): {@code conv1/*}, {@code conv2/*}.
 *
 * @param channels channels (local + global), kept
 * @param ratio global share of the channels
 */
public record FfcResBlock(int channels, double ratio) implements Module {

    public FfcResBlock {
        if (channels < 1) {
            throw new IllegalArgumentException(
                    "FfcResBlock channels must be >= 1, got " + channels);
        }
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("FfcResBlock ratio must be in [0, 1], got " + ratio);
        }
    }

    FfcBnAct unit() {
        return new FfcBnAct(new Ffc(channels, channels, 3, ratio, ratio, 1, 1, PadMode.REFLECT));
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        FfcInputs.check(this, inputs);
        // the block keeps the spatial size: its input is the DFT reference unless one is given
        SDVariable ref = inputs.length == 2 ? inputs[1] : inputs[0];
        SDVariable y = s.call("conv1", unit(), inputs[0], ref);
        y = s.call("conv2", unit(), y, ref);
        return inputs[0].add(y);
    }
}
