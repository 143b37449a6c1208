package org.voxel4j.nn.layers;

import org.nd4j.autodiff.samediff.SDVariable;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;

/**
 * PyTorch's {@code nn.Dropout(p)} (elementwise) or {@code nn.Dropout{1,2,3}d(p)} (whole channels,
 * {@code spatialDims > 0}); identity in evaluation mode.
 */
public record Dropout(double p, int spatialDims) implements Module {

    public Dropout {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("Dropout p must be in [0, 1], got " + p);
        }
        if (spatialDims < 0 || spatialDims > 3) {
            throw new IllegalArgumentException(
                    "Dropout spatialDims must be 0 (elementwise) to 3, got " + spatialDims);
        }
    }

    public static Dropout of(double p) {
        return new Dropout(p, 0);
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        Module.requireInputs(this, inputs, 1);
        return spatialDims == 0
                ? org.voxel4j.nn.ops.Dropout.apply(s.sd(), inputs[0], p, s.training())
                : org.voxel4j.nn.ops.Dropout.channels(
                        s.sd(), inputs[0], p, s.training(), spatialDims);
    }
}
