package org.voxel4j.nn.layers;

import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.Init;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;

/**
 * PyTorch's {@code nn.Linear}: {@code y = x Wᵀ + b} over the last axis, weight {@code [out, in]},
 * any number of leading axes.
 */
public record Linear(int inFeatures, int outFeatures, boolean bias) implements Module {

    public Linear {
        Dims.checkPositive("Linear", "inFeatures", inFeatures);
        Dims.checkPositive("Linear", "outFeatures", outFeatures);
    }

    public static Linear of(int in, int out) {
        return new Linear(in, out, true);
    }

    public Linear withoutBias() {
        return new Linear(inFeatures, outFeatures, false);
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        Module.requireInputs(this, inputs, 1);
        SDVariable w =
                s.param("weight", Init.torchDefaultWeight(inFeatures), outFeatures, inFeatures);
        SDVariable b =
                bias ? s.param("bias", Init.torchDefaultBias(inFeatures), outFeatures) : null;
        SameDiff sd = s.sd();
        SDVariable x = inputs[0];
        // Flatten leading axes to one, multiply, restore: any rank, dynamic shapes.
        SDVariable lead = x.shape().get(SDIndex.interval(0L, -1L));
        SDVariable flat = x.reshape(sd.constant(Nd4j.createFromArray(-1L, inFeatures)));
        SDVariable y = sd.mmul(flat, w, false, true, false);
        if (b != null) {
            y = y.add(b);
        }
        SDVariable outShape =
                sd.concat(0, lead, sd.constant(Nd4j.createFromArray((long) outFeatures)));
        return y.reshape(outShape);
    }
}
