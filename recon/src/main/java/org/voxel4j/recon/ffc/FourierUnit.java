package org.voxel4j.recon.ffc;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.layers.BatchNorm;
import org.voxel4j.nn.layers.Conv;
import org.voxel4j.nn.ops.Activations;
import org.voxel4j.recon.nn.Fft2d;

/**
 * The Fourier unit of Fast Fourier Convolution (L. Chi, B. Jiang, Y. Mu, "Fast Fourier
 * Convolution", NeurIPS 2020, §3.2; as used by LaMa and GloReDi): a real 2D FFT over (H, W) with
 * orthonormal scaling, the real and imaginary parts of each channel stacked as 2C channels
 * (interleaved: {@code re_0, im_0, re_1, im_1, ...}, PyTorch's {@code stack(..., dim=-1)} then
 * {@code permute(0, 1, 4, 2, 3).view(N, 2C, H, W/2+1)}), a 1×1 convolution without bias, batch
 * normalisation and ReLU in the frequency domain, and the inverse real FFT back to (H, W).
 *
 * <p>Input {@code [N, inChannels, H, W]}, output {@code [N, outChannels, H, W]}. Parameters
 * (PyTorch names): {@code conv_layer/weight [2·out, 2·in, 1, 1]}, {@code bn/*} over 2·out channels.
 *
 * @param inChannels input channels
 * @param outChannels output channels
 */
public record FourierUnit(int inChannels, int outChannels) implements Module {

    public FourierUnit {
        if (inChannels < 1 || outChannels < 1) {
            throw new IllegalArgumentException(
                    "FourierUnit channels must be >= 1, got in="
                            + inChannels
                            + " out="
                            + outChannels);
        }
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        FfcInputs.check(this, inputs);
        SameDiff sd = s.sd();
        SDVariable x = inputs[0];
        Fft2d.Plan plan = Fft2d.plan(sd, FfcInputs.reference(inputs), s.dataType());
        SDVariable y =
                s.call(
                        "conv_layer",
                        Conv.conv2d(2 * inChannels, 2 * outChannels, 1).withBias(false),
                        plan.rfft2(x, inChannels));
        y = s.call("bn", BatchNorm.of(2 * outChannels), y);
        return plan.irfft2(Activations.relu(sd, y), outChannels);
    }
}
