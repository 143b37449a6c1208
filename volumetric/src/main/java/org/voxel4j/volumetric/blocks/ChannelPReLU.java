package org.voxel4j.volumetric.blocks;

import org.nd4j.autodiff.samediff.SDVariable;
import org.voxel4j.nn.Init;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;

/**
 * PyTorch's {@code nn.PReLU(channels, init)} on {@code [N, C, *S]} with a known number of spatial
 * axes: parameter {@code weight} {@code [C]} as nn-core's {@code PReLU}, in fewer graph ops ({@link
 * FastOps#prelu}).
 */
public record ChannelPReLU(int channels, int spatialDims, double init) implements Module {

    public ChannelPReLU {
        Axes.checkPositive("ChannelPReLU", "channels", channels);
        Axes.checkSpatialDims("ChannelPReLU", spatialDims);
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        Module.requireInputs(this, inputs, 1);
        SDVariable w = s.param("weight", Init.constant(init), channels);
        return FastOps.prelu(s.sd(), inputs[0], w, spatialDims);
    }
}
