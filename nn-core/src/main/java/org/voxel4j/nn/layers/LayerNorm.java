package org.voxel4j.nn.layers;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.voxel4j.nn.Init;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.ops.Norms;

/**
 * PyTorch's {@code nn.LayerNorm(normalizedShape, eps, elementwise_affine)} (Ba et al., 2016): over
 * the trailing axes given by {@code normalizedShape}; weight/bias of that shape.
 */
public record LayerNorm(List<Integer> normalizedShape, double eps, boolean affine)
        implements Module {

    public LayerNorm {
        if (normalizedShape == null || normalizedShape.isEmpty()) {
            throw new IllegalArgumentException(
                    "LayerNorm needs a normalizedShape, got " + normalizedShape);
        }
        normalizedShape.forEach(d -> Dims.checkPositive("LayerNorm", "normalizedShape", d));
        normalizedShape = List.copyOf(normalizedShape);
        Norms1.checkEps("LayerNorm", eps);
    }

    /** Over the last axis of size {@code dim}, eps 1e-5. */
    public static LayerNorm of(int dim) {
        return new LayerNorm(List.of(dim), 1e-5, true);
    }

    @Override
    public SDVariable forward(Scope s, SDVariable... inputs) {
        Module.requireInputs(this, inputs, 1);
        long[] shape = normalizedShape.stream().mapToLong(Integer::longValue).toArray();
        SDVariable w = affine ? s.param("weight", Init.ones(), shape) : null;
        SDVariable b = affine ? s.param("bias", Init.zeros(), shape) : null;
        return Norms.layerNorm(s.sd(), inputs[0], normalizedShape.size(), w, b, eps);
    }
}
