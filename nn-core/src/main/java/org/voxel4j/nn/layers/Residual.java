package org.voxel4j.nn.layers;

import org.nd4j.autodiff.samediff.SDVariable;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;

/**
 * {@code y = post(body(x) + shortcut(x))}: the residual unit of He et al. (2016). A null {@code
 * shortcut} is the identity; a null {@code post} applies nothing after the sum.
 */
public record Residual(Module body, Module shortcut, Module post) implements Module {

    public Residual {
        if (body == null) {
            throw new IllegalArgumentException("Residual body must not be null");
        }
    }

    public static Residual of(Module body) {
        return new Residual(body, null, null);
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        Module.requireInputs(this, inputs, 1);
        SDVariable y = s.call("body", body, inputs[0]);
        SDVariable skip = shortcut == null ? inputs[0] : s.call("shortcut", shortcut, inputs[0]);
        SDVariable sum = y.add(skip);
        return post == null ? sum : s.call("post", post, sum);
    }
}
