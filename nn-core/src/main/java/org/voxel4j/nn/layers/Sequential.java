package org.voxel4j.nn.layers;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;

/** Modules applied one after the other, named {@code 0, 1, 2, ...} as in PyTorch. */
public record Sequential(List<Module> layers) implements Module {

    public Sequential {
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("Sequential needs at least one layer");
        }
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) == null) {
                throw new IllegalArgumentException("Sequential layer " + i + " is null");
            }
        }
        layers = List.copyOf(layers);
    }

    public static Sequential of(Module... layers) {
        return new Sequential(List.of(layers));
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        SDVariable x = s.call("0", layers.get(0), inputs);
        for (int i = 1; i < layers.size(); i++) {
            x = s.call(Integer.toString(i), layers.get(i), x);
        }
        return x;
    }
}
