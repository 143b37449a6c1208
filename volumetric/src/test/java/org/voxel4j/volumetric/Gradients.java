package org.voxel4j.volumetric;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.ParameterStore;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.check.GradientCheck;

/**
 * nn-core's {@code LayerGradients} with a cap on the elements checked per array: every input and
 * every parameter array is checked, but at most {@code perArray} randomly chosen elements of each
 * (each costs two graph evaluations, and blocks have hundreds of weights).
 */
public final class Gradients {
    private Gradients() {}

    public static GradientCheck.Result check(
            Module m, boolean training, double tolerance, int perArray, INDArray... inputs) {
        Map<String, INDArray> all = new LinkedHashMap<>();
        for (int i = 0; i < inputs.length; i++) {
            // Integer inputs (label maps) stay integers: the checker treats them as constants.
            INDArray in = inputs[i];
            all.put("in" + i, in.dataType().isFPType() ? in.castTo(DataType.DOUBLE) : in);
        }
        Scope probe = Scope.create(DataType.DOUBLE, 7, training);
        SDVariable[] probeIn = new SDVariable[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            probeIn[i] = probe.sd().var("in" + i, all.get("in" + i));
        }
        m.forward(probe, probeIn);
        Nd4j.getRandom().setSeed(99);
        for (String name : probe.store().parameterNames()) {
            INDArray p = probe.store().get(name);
            all.put(name, p.add(Nd4j.randn(DataType.DOUBLE, p.shape()).muli(0.3)));
        }
        GradientCheck.Result r =
                GradientCheck.check(
                        (sd, vars) -> {
                            Scope s =
                                    Scope.root(
                                            sd, new ParameterStore(), DataType.DOUBLE, 7, training);
                            SDVariable[] in = new SDVariable[inputs.length];
                            for (int i = 0; i < inputs.length; i++) {
                                in[i] = vars.get("in" + i);
                            }
                            return m.forward(s, in);
                        },
                        all,
                        GradientCheck.Options.defaults().withMaxElementsPerInput(perArray));
        r.assertPasses(tolerance);
        return r;
    }
}
