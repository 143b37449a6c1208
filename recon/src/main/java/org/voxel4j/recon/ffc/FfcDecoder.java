package org.voxel4j.recon.ffc;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.layers.Activation;
import org.voxel4j.nn.layers.BatchNorm;
import org.voxel4j.nn.layers.Conv;
import org.voxel4j.nn.layers.ConvTranspose;
import org.voxel4j.nn.layers.PadMode;
import org.voxel4j.nn.layers.Sequential;

/**
 * The decoder of the GloReDi / LaMa FFC generator: {@code blocks} {@link FfcResBlock}s on the
 * latent (local channels first), {@code upsamplings} transposed convolutions (kernel 3, stride 2,
 * padding 1, output padding 1, with bias) each followed by BN and ReLU and halving the channels,
 * and a 7×7 output convolution with reflect padding 3 and bias. No output activation (GloReDi's
 * {@code add_out_act=False}). Parameters: {@code block<i>/*}, {@code up<i>/0/*} (transposed
 * convolution), {@code up<i>/1/*} (BN), {@code final/*}.
 *
 * @param outChannels image channels
 * @param ngf channels before the output convolution
 * @param upsamplings number of stride-2 stages (mirrors the encoder's downsamplings)
 * @param blocks FFC residual blocks (≥ 0)
 * @param ratio global share in the residual blocks
 * @param maxFeatures channel cap
 */
public record FfcDecoder(
        int outChannels, int ngf, int upsamplings, int blocks, double ratio, int maxFeatures)
        implements Module {

    public FfcDecoder {
        FfcEncoderDecoder.check(outChannels, ngf, upsamplings, blocks, ratio, maxFeatures);
    }

    /** Channels at depth {@code i} (as the encoder's). */
    public int channels(int i) {
        return (int) Math.min(maxFeatures, (long) ngf << i);
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        Module.requireInputs(this, inputs, 1);
        SDVariable x = inputs[0];
        SDVariable ref = x;
        for (int i = 0; i < blocks; i++) {
            x = s.call("block" + i, new FfcResBlock(channels(upsamplings), ratio), x, ref);
        }
        for (int i = 0; i < upsamplings; i++) {
            int in = channels(upsamplings - i);
            int out = (int) Math.min(maxFeatures, ((long) ngf << (upsamplings - i)) / 2);
            x =
                    s.call(
                            "up" + i,
                            Sequential.of(
                                    new ConvTranspose(
                                            2,
                                            in,
                                            out,
                                            List.of(3),
                                            List.of(2),
                                            List.of(1),
                                            List.of(1),
                                            true),
                                    BatchNorm.of(out),
                                    Activation.relu()),
                            x);
        }
        return s.call(
                "final",
                Conv.conv2d(channels(0), outChannels, 7).withPaddingMode(PadMode.REFLECT),
                x);
    }
}
