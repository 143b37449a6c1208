package org.voxel4j.nn.layers;

import org.nd4j.autodiff.samediff.SDVariable;
import org.voxel4j.nn.Init;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.ops.Norms;

/**
 * PyTorch's {@code nn.InstanceNorm{1,2,3}d(channels, eps, affine)} without running statistics
 * (Ulyanov et al., 2016): each (sample, channel) normalised over its spatial positions. nnU-Net
 * uses {@code affine=True}, PyTorch's default is false.
 */
public record InstanceNorm(int channels, double eps, boolean affine) implements Module {

    public InstanceNorm {
        Dims.checkPositive("InstanceNorm", "channels", channels);
        Norms1.checkEps("InstanceNorm", eps);
    }

    /** Affine instance norm with eps 1e-5, as nnU-Net. */
    public static InstanceNorm of(int channels) {
        return new InstanceNorm(channels, 1e-5, true);
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        Module.requireInputs(this, inputs, 1);
        SDVariable w = affine ? s.param("weight", Init.ones(), channels) : null;
        SDVariable b = affine ? s.param("bias", Init.zeros(), channels) : null;
        return Norms.instanceNorm(s.sd(), inputs[0], w, b, eps);
    }
}
