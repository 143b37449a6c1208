package org.voxel4j.nn.layers;

import org.nd4j.autodiff.samediff.SDVariable;
import org.voxel4j.nn.Init;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.ops.Norms;

/** RMSNorm (Zhang and Sennrich, 2019) over the last axis: {@code x / sqrt(mean(x²) + eps) · g}. */
public record RmsNorm(int dim, double eps) implements Module {

    public RmsNorm {
        Dims.checkPositive("RmsNorm", "dim", dim);
        Norms1.checkEps("RmsNorm", eps);
    }

    public static RmsNorm of(int dim) {
        return new RmsNorm(dim, 1e-6);
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        Module.requireInputs(this, inputs, 1);
        SDVariable g = s.param("weight", Init.ones(), dim);
        return Norms.rmsNorm(s.sd(), inputs[0], 1, g, eps);
    }
}
