package org.voxel4j.recon.ffc;

import org.nd4j.autodiff.samediff.SDVariable;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.layers.BatchNorm;
import org.voxel4j.nn.ops.Activations;
import org.voxel4j.nn.ops.Shapes;

/**
 * An {@link Ffc} followed by batch normalisation and ReLU on each branch (LaMa's {@code
 * FFC_BN_ACT}): {@code out_local = ReLU(BN_l(...))}, {@code out_global = ReLU(BN_g(...))}. A part
 * without channels has no normalisation. Parameters (PyTorch names): {@code ffc/*}, {@code bn_l/*},
 * {@code bn_g/*}.
 *
 * @param ffc the Fourier convolution
 */
public record FfcBnAct(Ffc ffc) implements Module {

    public FfcBnAct {
        if (ffc == null) {
            throw new IllegalArgumentException("FfcBnAct needs an Ffc");
        }
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        FfcInputs.check(this, inputs);
        SDVariable y = s.call("ffc", ffc, inputs);
        int l = ffc.localOut();
        int g = ffc.globalOut();
        if (g == 0) {
            return Activations.relu(s.sd(), s.call("bn_l", BatchNorm.of(l), y));
        }
        if (l == 0) {
            return Activations.relu(s.sd(), s.call("bn_g", BatchNorm.of(g), y));
        }
        SDVariable[] parts = Shapes.splitChannels(s.sd(), y, 4, l, g);
        SDVariable yl = Activations.relu(s.sd(), s.call("bn_l", BatchNorm.of(l), parts[0]));
        SDVariable yg = Activations.relu(s.sd(), s.call("bn_g", BatchNorm.of(g), parts[1]));
        return Shapes.concatChannels(s.sd(), yl, yg);
    }
}
