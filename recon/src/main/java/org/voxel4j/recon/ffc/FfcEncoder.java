package org.voxel4j.recon.ffc;

import org.nd4j.autodiff.samediff.SDVariable;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.layers.PadMode;

/**
 * The encoder of the GloReDi / LaMa FFC generator: a 7×7 stem (reflect padding 3, plain convolution
 * + BN + ReLU), {@code downsamplings} stride-2 3×3 convolutions doubling the channels (the last one
 * splits its output into local and global parts), then {@code blocks} {@link FfcResBlock}s. Output:
 * the latent {@code [N, C, H/2^n, W/2^n]} with {@code C = min(maxFeatures, ngf·2^n)}, local
 * channels first. Parameters: {@code stem/*}, {@code down<i>/*}, {@code block<i>/*}.
 *
 * @param inChannels image channels
 * @param ngf channels after the stem
 * @param downsamplings number of stride-2 stages (≥ 0)
 * @param blocks FFC residual blocks (≥ 0)
 * @param ratio global share in the residual blocks
 * @param maxFeatures channel cap
 */
public record FfcEncoder(
        int inChannels, int ngf, int downsamplings, int blocks, double ratio, int maxFeatures)
        implements Module {

    public FfcEncoder {
        FfcEncoderDecoder.check(inChannels, ngf, downsamplings, blocks, ratio, maxFeatures);
    }

    /** Channels after {@code i} downsamplings. */
    public int channels(int i) {
        return (int) Math.min(maxFeatures, (long) ngf << i);
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        Module.requireInputs(this, inputs, 1);
        SDVariable x =
                s.call(
                        "stem",
                        new FfcBnAct(new Ffc(inChannels, ngf, 7, 0, 0, 1, 3, PadMode.REFLECT)),
                        inputs[0]);
        for (int i = 0; i < downsamplings; i++) {
            double gout = i == downsamplings - 1 ? ratio : 0;
            x =
                    s.call(
                            "down" + i,
                            new FfcBnAct(
                                    new Ffc(
                                            channels(i),
                                            channels(i + 1),
                                            3,
                                            0,
                                            gout,
                                            2,
                                            1,
                                            PadMode.REFLECT)),
                            x);
        }
        SDVariable ref = x;
        for (int i = 0; i < blocks; i++) {
            x = s.call("block" + i, new FfcResBlock(channels(downsamplings), ratio), x, ref);
        }
        return x;
    }
}
