package org.voxel4j.nn.testing;

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
 * Central-difference gradient check of a whole {@link Module} in double precision: with respect to
 * its floating-point inputs and every parameter. Parameters start from the module's initialiser
 * plus random noise (so weight 1 / bias 0 initialisations do not hide errors).
 */
public final class LayerGradients {
    private LayerGradients() {}

    /** Checks {@code m} in the given mode; returns the result for further assertions. */
    public static GradientCheck.Result check(
            Module m, boolean training, double tolerance, INDArray... inputs) {
        return check(m, training, tolerance, GradientCheck.Options.defaults(), inputs);
    }

    /**
     * As {@link #check(Module, boolean, double, INDArray...)}, but at most {@code perArray}
     * randomly chosen elements of each input and parameter array are checked (each costs two graph
     * evaluations, and blocks have hundreds of weights).
     */
    public static GradientCheck.Result check(
            Module m, boolean training, double tolerance, int perArray, INDArray... inputs) {
        return check(
                m,
                training,
                tolerance,
                GradientCheck.Options.defaults().withMaxElementsPerInput(perArray),
                inputs);
    }

    private static GradientCheck.Result check(
            Module m,
            boolean training,
            double tolerance,
            GradientCheck.Options options,
            INDArray... inputs) {
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
                        options);
        r.assertPasses(tolerance);
        return r;
    }
}
