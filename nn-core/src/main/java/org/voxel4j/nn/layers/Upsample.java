package org.voxel4j.nn.layers;

import org.nd4j.autodiff.samediff.SDVariable;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.ops.Resize;

/**
 * Upsampling by an integer factor on 2 or 3 spatial axes, PyTorch's {@code
 * nn.Upsample(scale_factor, mode)} with mode {@code nearest} or {@code linear} (bilinear/trilinear,
 * {@code align_corners=False}).
 */
public record Upsample(int spatialDims, int factor, boolean linear) implements Module {

    public Upsample {
        if (spatialDims != 2 && spatialDims != 3) {
            throw new IllegalArgumentException(
                    "Upsample supports 2 or 3 spatial dims, got " + spatialDims);
        }
        Dims.checkPositive("Upsample", "factor", factor);
    }

    public static Upsample nearest(int spatialDims, int factor) {
        return new Upsample(spatialDims, factor, false);
    }

    public static Upsample linear(int spatialDims, int factor) {
        return new Upsample(spatialDims, factor, true);
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        Module.requireInputs(this, inputs, 1);
        if (linear) {
            int[] f = new int[spatialDims];
            java.util.Arrays.fill(f, factor);
            return Resize.upsampleLinear(s.sd(), inputs[0], f);
        }
        return spatialDims == 3
                ? s.sd().cnn().upsampling3d(inputs[0], true, factor, factor, factor)
                : s.sd().cnn().upsampling2d(inputs[0], factor, factor, true);
    }
}
