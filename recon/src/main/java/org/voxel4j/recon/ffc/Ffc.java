package org.voxel4j.recon.ffc;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.layers.Conv;
import org.voxel4j.nn.layers.PadMode;
import org.voxel4j.nn.ops.Shapes;

/**
 * Fast Fourier Convolution (L. Chi, B. Jiang, Y. Mu, NeurIPS 2020, eq. 1–2; the LaMa/GloReDi
 * implementation): the channels are split into a local part (the first {@code C − ⌊C·ratio⌋}) and a
 * global part (the last {@code ⌊C·ratio⌋}), and
 *
 * <pre>
 *   out_local  = l2l(x_local) + g2l(x_global)
 *   out_global = l2g(x_local) + SpectralTransform(x_global)
 * </pre>
 *
 * where l2l, l2g and g2l are k×k convolutions without bias. A branch whose input or output has no
 * channels is absent (PyTorch's {@code nn.Identity} placeholders), so ratios 0 give a plain
 * convolution.
 *
 * <p>The two parts travel as one tensor, local channels first: input {@code [N, inLocal + inGlobal,
 * H, W]}, output {@code [N, outLocal + outGlobal, H', W']} (PyTorch's {@code ConcatTupleLayer}
 * layout). Parameters (PyTorch names): {@code convl2l/weight}, {@code convl2g/weight}, {@code
 * convg2l/weight}, {@code convg2g/*}.
 *
 * @param inChannels input channels (local + global)
 * @param outChannels output channels (local + global)
 * @param kernel square kernel size
 * @param ratioGin share of global input channels, in [0, 1]
 * @param ratioGout share of global output channels, in [0, 1]
 * @param stride 1 or 2
 * @param padding padding on each side of the local convolutions
 * @param paddingMode how they pad (LaMa and GloReDi: reflect)
 */
public record Ffc(
        int inChannels,
        int outChannels,
        int kernel,
        double ratioGin,
        double ratioGout,
        int stride,
        int padding,
        PadMode paddingMode)
        implements Module {

    public Ffc {
        if (inChannels < 1 || outChannels < 1) {
            throw new IllegalArgumentException(
                    "Ffc channels must be >= 1, got in=" + inChannels + " out=" + outChannels);
        }
        if (kernel < 1) {
            throw new IllegalArgumentException("Ffc kernel must be >= 1, got " + kernel);
        }
        checkRatio("ratioGin", ratioGin);
        checkRatio("ratioGout", ratioGout);
        if (stride != 1 && stride != 2) {
            throw new IllegalArgumentException("Ffc stride must be 1 or 2, got " + stride);
        }
        if (padding < 0) {
            throw new IllegalArgumentException("Ffc padding must be >= 0, got " + padding);
        }
        if (paddingMode == null) {
            throw new IllegalArgumentException("Ffc paddingMode must not be null");
        }
        int gout = (int) (outChannels * ratioGout);
        if (gout == 1) {
            throw new IllegalArgumentException(
                    "Ffc would have 1 global output channel (out="
                            + outChannels
                            + ", ratioGout="
                            + ratioGout
                            + "); the spectral transform needs at least 2");
        }
    }

    /** A stride-1 FFC with "same" reflect padding for an odd kernel and equal in/out ratios. */
    public static Ffc of(int inChannels, int outChannels, int kernel, double ratio) {
        return new Ffc(
                inChannels, outChannels, kernel, ratio, ratio, 1, kernel / 2, PadMode.REFLECT);
    }

    private static void checkRatio(String name, double r) {
        if (!(r >= 0 && r <= 1)) {
            throw new IllegalArgumentException("Ffc " + name + " must be in [0, 1], got " + r);
        }
    }

    /** Global input channels, {@code ⌊in · ratioGin⌋} (PyTorch's {@code int()}). */
    public int globalIn() {
        return (int) (inChannels * ratioGin);
    }

    public int localIn() {
        return inChannels - globalIn();
    }

    /** Global output channels, {@code ⌊out · ratioGout⌋}. */
    public int globalOut() {
        return (int) (outChannels * ratioGout);
    }

    public int localOut() {
        return outChannels - globalOut();
    }

    private Conv conv(int in, int out) {
        return new Conv(
                2,
                in,
                out,
                List.of(kernel),
                List.of(stride),
                List.of(padding),
                paddingMode,
                1,
                false);
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        FfcInputs.check(this, inputs);
        int inL = localIn();
        int inG = globalIn();
        int outL = localOut();
        int outG = globalOut();
        SDVariable x = inputs[0];
        SDVariable xl = null;
        SDVariable xg = null;
        if (inL > 0 && inG > 0) {
            SDVariable[] parts = Shapes.splitChannels(s.sd(), x, 4, inL, inG);
            xl = parts[0];
            xg = parts[1];
        } else if (inL > 0) {
            xl = x;
        } else {
            xg = x;
        }
        SDVariable outLocal = null;
        SDVariable outGlobal = null;
        if (outL > 0) {
            SDVariable a = xl == null ? null : s.call("convl2l", conv(inL, outL), xl);
            SDVariable b = xg == null ? null : s.call("convg2l", conv(inG, outL), xg);
            outLocal = sum(a, b);
        }
        if (outG > 0) {
            SDVariable a = xl == null ? null : s.call("convl2g", conv(inL, outG), xl);
            SDVariable b =
                    xg == null
                            ? null
                            : s.call(
                                    "convg2g",
                                    new SpectralTransform(inG, outG, stride),
                                    FfcInputs.with(xg, inputs));
            outGlobal = sum(a, b);
        }
        if (outLocal == null) {
            return outGlobal;
        }
        if (outGlobal == null) {
            return outLocal;
        }
        return Shapes.concatChannels(s.sd(), outLocal, outGlobal);
    }

    private static SDVariable sum(SDVariable a, SDVariable b) {
        return a == null ? b : b == null ? a : a.add(b);
    }
}
