package org.voxel4j.nn.layers;

import org.nd4j.autodiff.samediff.SDVariable;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;

/** Nearest-neighbour upsampling by an integer factor on 2 or 3 spatial axes (NCHW / NCDHW). */
public record Upsample(int spatialDims, int factor) implements Module {

    public Upsample {
        if (spatialDims != 2 && spatialDims != 3) {
            throw new IllegalArgumentException(
                    "Upsample supports 2 or 3 spatial dims, got " + spatialDims);
        }
        Dims.checkPositive("Upsample", "factor", factor);
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        Module.requireInputs(this, inputs, 1);
        return spatialDims == 3
                ? s.sd().cnn().upsampling3d(inputs[0], true, factor, factor, factor)
                : s.sd().cnn().upsampling2d(inputs[0], factor, factor, true);
    }
}
