package org.voxel4j.nn.layers;

import org.nd4j.autodiff.samediff.SDVariable;
import org.voxel4j.nn.Init;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.ops.Norms;

/**
 * PyTorch's {@code nn.GroupNorm(groups, channels, eps, affine)} (Wu and He, 2018): statistics per
 * sample over groups of channels and all spatial positions; weight 1 and bias 0 at start.
 */
public record GroupNorm(int groups, int channels, double eps, boolean affine) implements Module {

    public GroupNorm {
        Dims.checkPositive("GroupNorm", "groups", groups);
        Dims.checkPositive("GroupNorm", "channels", channels);
        if (channels % groups != 0) {
            throw new IllegalArgumentException(
                    "GroupNorm channels (" + channels + ") must be divisible by groups=" + groups);
        }
        Norms1.checkEps("GroupNorm", eps);
    }

    public static GroupNorm of(int groups, int channels) {
        return new GroupNorm(groups, channels, 1e-5, true);
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        Module.requireInputs(this, inputs, 1);
        SDVariable w = affine ? s.param("weight", Init.ones(), channels) : null;
        SDVariable b = affine ? s.param("bias", Init.zeros(), channels) : null;
        return Norms.groupNorm(s.sd(), inputs[0], groups, w, b, eps);
    }
}
