package org.voxel4j.recon.ffc;

import org.nd4j.autodiff.samediff.SDVariable;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;

/**
 * The GloReDi sparse-view CT network (Z. Li, Q. Gao, Y. Wu, et al., "Learning to Distill Global
 * Representation for Sparse-View CT", ICCV 2023): a LaMa-style FFC encoder–decoder, {@link
 * FfcEncoder} then {@link FfcDecoder}, image to image of the same size. The encoder output is
 * published as the auxiliary output {@code latent} (for the distillation losses of {@link
 * org.voxel4j.recon.enhance.DistillationObjective}).
 *
 * <p>Published defaults ({@link #gloReDi()}): 1 channel in and out, ngf 64, two downsamplings, 7
 * encoder and 2 decoder FFC residual blocks with global share 0.75, channel cap 1024, no global
 * skip, no output activation. H and W must be divisible by {@code 2^downsamplings} (the transposed
 * convolutions double the size exactly) and larger than 3 (reflect padding of the stem).
 *
 * <p>One deliberate difference from the published code: its decoder splits the latent into {@code
 * x[:, :-c_g]} (local) and {@code x[:, :c_g]} (global), so the two overlap; here the split is the
 * one the encoder produced (first {@code C − c_g} local, last {@code c_g} global). Parameter counts
 * are unaffected.
 *
 * @param inChannels input image channels
 * @param outChannels output image channels
 * @param ngf channels after the stem
 * @param downsamplings stride-2 stages
 * @param encoderBlocks FFC residual blocks in the encoder
 * @param decoderBlocks FFC residual blocks in the decoder
 * @param ratio global share of the latent channels
 * @param maxFeatures channel cap
 * @param globalSkip add the input to the output (residual learning)
 */
public record FfcEncoderDecoder(
        int inChannels,
        int outChannels,
        int ngf,
        int downsamplings,
        int encoderBlocks,
        int decoderBlocks,
        double ratio,
        int maxFeatures,
        boolean globalSkip)
        implements Module {

    /** Name of the auxiliary output holding the encoder's latent. */
    public static final String LATENT = "latent";

    public FfcEncoderDecoder {
        check(inChannels, ngf, downsamplings, encoderBlocks, ratio, maxFeatures);
        check(outChannels, ngf, downsamplings, decoderBlocks, ratio, maxFeatures);
        if (globalSkip && inChannels != outChannels) {
            throw new IllegalArgumentException(
                    "a global skip needs equal in and out channels, got "
                            + inChannels
                            + " and "
                            + outChannels);
        }
    }

    /** GloReDi's published configuration (1 → 1 channel, ngf 64, 2 down, 7 + 2 blocks, 0.75). */
    public static FfcEncoderDecoder gloReDi() {
        return new FfcEncoderDecoder(1, 1, 64, 2, 7, 2, 0.75, 1024, false);
    }

    public FfcEncoderDecoder withNgf(int n) {
        return new FfcEncoderDecoder(
                inChannels,
                outChannels,
                n,
                downsamplings,
                encoderBlocks,
                decoderBlocks,
                ratio,
                maxFeatures,
                globalSkip);
    }

    public FfcEncoderDecoder withBlocks(int encoder, int decoder) {
        return new FfcEncoderDecoder(
                inChannels,
                outChannels,
                ngf,
                downsamplings,
                encoder,
                decoder,
                ratio,
                maxFeatures,
                globalSkip);
    }

    public FfcEncoderDecoder withGlobalSkip(boolean skip) {
        return new FfcEncoderDecoder(
                inChannels,
                outChannels,
                ngf,
                downsamplings,
                encoderBlocks,
                decoderBlocks,
                ratio,
                maxFeatures,
                skip);
    }

    public FfcEncoder encoder() {
        return new FfcEncoder(inChannels, ngf, downsamplings, encoderBlocks, ratio, maxFeatures);
    }

    public FfcDecoder decoder() {
        return new FfcDecoder(outChannels, ngf, downsamplings, decoderBlocks, ratio, maxFeatures);
    }

    /** Spatial sizes must be multiples of this. */
    public int sizeMultiple() {
        return 1 << downsamplings;
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        Module.requireInputs(this, inputs, 1);
        SDVariable latent = s.call("encoder", encoder(), inputs[0]);
        s.auxOutput(LATENT, latent);
        SDVariable y = s.call("decoder", decoder(), latent);
        return globalSkip ? y.add(inputs[0]) : y;
    }

    static void check(
            int imageChannels,
            int ngf,
            int downsamplings,
            int blocks,
            double ratio,
            int maxFeatures) {
        if (imageChannels < 1) {
            throw new IllegalArgumentException("image channels must be >= 1, got " + imageChannels);
        }
        if (ngf < 1) {
            throw new IllegalArgumentException("ngf must be >= 1, got " + ngf);
        }
        if (downsamplings < 0 || downsamplings > 8) {
            throw new IllegalArgumentException(
                    "downsamplings must be in [0, 8], got " + downsamplings);
        }
        if (blocks < 0) {
            throw new IllegalArgumentException("blocks must be >= 0, got " + blocks);
        }
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("global ratio must be in [0, 1], got " + ratio);
        }
        if (maxFeatures < ngf) {
            throw new IllegalArgumentException(
                    "maxFeatures must be >= ngf, got " + maxFeatures + " < " + ngf);
        }
        if (downsamplings == 0 && ratio > 0 && blocks > 0) {
            throw new IllegalArgumentException(
                    "FFC residual blocks with a global part need at least one downsampling (the"
                            + " last one splits the channels), got downsamplings=0, ratio="
                            + ratio);
        }
    }
}
