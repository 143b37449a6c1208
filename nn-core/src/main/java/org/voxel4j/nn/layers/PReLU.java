package org.voxel4j.nn.layers;

import org.nd4j.autodiff.samediff.SDVariable;
import org.voxel4j.nn.Init;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.ops.Activations;

/**
 * PyTorch's {@code nn.PReLU(numParameters, init)} (He et al., 2015): one learnable slope shared or
 * one per channel.
 */
public record PReLU(int numParameters, double init) implements Module {

    public PReLU {
        Dims.checkPositive("PReLU", "numParameters", numParameters);
    }

    /** One shared slope initialised to 0.25, PyTorch's default. */
    public static PReLU shared() {
        return new PReLU(1, 0.25);
    }

    /** One slope per channel initialised to 0.25. */
    public static PReLU perChannel(int channels) {
        return new PReLU(channels, 0.25);
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        Module.requireInputs(this, inputs, 1);
        SDVariable w = s.param("weight", Init.constant(init), numParameters);
        return Activations.prelu(s.sd(), inputs[0], w, numParameters > 1);
    }
}
