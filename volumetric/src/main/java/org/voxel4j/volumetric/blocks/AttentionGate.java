package org.voxel4j.volumetric.blocks;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.layers.Conv;
import org.voxel4j.nn.layers.PadMode;
import org.voxel4j.nn.ops.Activations;

/**
 * Additive attention gate on a skip connection (Oktay et al. 2018, "Attention U-Net", eq. 1–2; in
 * the form of Abraham and Khan 2019 and Turbolift, Chatterjee et al. 2022):
 *
 * <pre>
 *   q = act(W_x * x + W_g * g)      W_x: kernel 2, stride 2 ("theta"); W_g: 1×1 ("phi")
 *   ψ = sigmoid(W_ψ * q)            W_ψ: 1×1 to one channel ("psi")
 *   y = norm(W_o * (up2(ψ) · x))    up2: ×2 (bi/tri)linear, align_corners=False ({@link
 *                                   FastOps#linearUp2}); W_o: 1×1 ("out")
 * </pre>
 *
 * {@code x} is the skip feature map ({@code xChannels}, resolution r), {@code g} the gating signal
 * from the coarser level ({@code gChannels}, resolution r/2). The attention coefficients ψ are
 * shared by all channels of {@code x}. Every convolution has a bias, as in the reference code.
 * Inputs: {@code (x, g)}.
 *
 * @param spatialDims 2 or 3
 * @param xChannels channels of the skip input x (and of the output)
 * @param gChannels channels of the gating signal g
 * @param interChannels channels of the intermediate q (the reference uses xChannels / 2)
 * @param norm normalisation of the output ({@link Norm#batch()} in the reference)
 * @param act non-linearity of q (PReLU per channel in Turbolift, ReLU in Oktay et al.)
 */
public record AttentionGate(
        int spatialDims, int xChannels, int gChannels, int interChannels, Norm norm, Act act)
        implements Module {

    public AttentionGate {
        Axes.checkSpatialDims("AttentionGate", spatialDims);
        Axes.checkPositive("AttentionGate", "xChannels", xChannels);
        Axes.checkPositive("AttentionGate", "gChannels", gChannels);
        Axes.checkPositive("AttentionGate", "interChannels", interChannels);
        if (norm == null || act == null) {
            throw new IllegalArgumentException("AttentionGate norm and act must not be null");
        }
    }

    private Conv conv(int in, int out, int k) {
        return new Conv(
                spatialDims, in, out, List.of(k), List.of(k), List.of(0), PadMode.ZEROS, 1, true);
    }

    /** Number of learnable parameters. */
    public long parameterCount() {
        long k2 = 1L << spatialDims;
        return (long) interChannels * xChannels * k2
                + interChannels
                + (long) interChannels * gChannels
                + interChannels
                + interChannels
                + 1
                + (long) xChannels * xChannels
                + xChannels
                + norm.parameterCount(xChannels)
                + act.parameterCount(interChannels);
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        Module.requireInputs(this, inputs, 2);
        SDVariable x = inputs[0];
        SDVariable g = inputs[1];
        SDVariable theta = s.call("theta", conv(xChannels, interChannels, 2), x);
        SDVariable phi = s.call("phi", conv(gChannels, interChannels, 1), g);
        SDVariable q = s.call("act", act.layer(interChannels, spatialDims), theta.add(phi));
        SDVariable psi = Activations.sigmoid(s.sd(), s.call("psi", conv(interChannels, 1, 1), q));
        SDVariable alpha = FastOps.linearUp2(s.sd(), psi, spatialDims, 1);
        SDVariable y = s.call("out", conv(xChannels, xChannels, 1), x.mul(alpha));
        Module n = norm.layer(xChannels);
        return n == null ? y : s.call("norm", n, y);
    }
}
