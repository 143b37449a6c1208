package org.voxel4j.nn.layers;

import org.nd4j.autodiff.samediff.SDVariable;
import org.voxel4j.nn.Init;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;

/**
 * PyTorch's {@code nn.Embedding(numEmbeddings, dim)}: weight {@code [V, E]} initialised N(0, 1);
 * integer (or integral float) indices of any shape give vectors with a trailing axis E.
 */
public record Embedding(int numEmbeddings, int dim) implements Module {

    public Embedding {
        Dims.checkPositive("Embedding", "numEmbeddings", numEmbeddings);
        Dims.checkPositive("Embedding", "dim", dim);
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        Module.requireInputs(this, inputs, 1);
        SDVariable w = s.param("weight", Init.normal(0, 1), numEmbeddings, dim);
        return org.voxel4j.nn.ops.Embedding.lookup(s.sd(), w, inputs[0], numEmbeddings);
    }
}
