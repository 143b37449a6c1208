package org.voxel4j.nn.engine;

import java.lang.reflect.Field;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The engine's op classes, registered with SameDiff by {@link Engine#install()}. */
final class Ops {
    private Ops() {}

    static List<JavaOp> prototypes() {
        return List.of(
                new NormOps.ChannelNormOp(),
                new NormOps.ChannelNormBpOp(),
                new NormOps.RowNormOp(),
                new NormOps.RowNormBpOp(),
                new ActivationOps.LeakyReluOp(),
                new ActivationOps.LeakyReluBpOp(),
                new PoolOps.MaxPoolOp(),
                new PoolOps.MaxPoolBpOp(),
                new SoftmaxOps.SoftmaxOp(),
                new SoftmaxOps.SoftmaxBpOp(),
                new ConvOps.ConvOp(),
                new ConvOps.ConvBpOp(),
                new ConcatOps.ConcatOp(),
                new ConcatOps.SplitLikeOp());
    }

    /**
     * SameDiff's op registry ({@code DifferentialFunctionClassHolder}) maps every field name of a
     * registered op class to one class and fails to initialise, breaking every gradient function in
     * the process, if an op declares a field named like one of its superclasses' ({@code axis},
     * {@code log}, {@code dimensions}, ...). Checked here so a new op fails fast and clearly.
     */
    static void checkFieldNames(Class<?> c) {
        Set<String> inherited = new HashSet<>();
        for (Class<?> k = c.getSuperclass(); k != null; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                inherited.add(f.getName());
            }
        }
        for (Field f : c.getDeclaredFields()) {
            if (inherited.contains(f.getName())) {
                throw new IllegalStateException(
                        "engine op "
                                + c.getName()
                                + " declares field '"
                                + f.getName()
                                + "', which a superclass also declares; SameDiff's op registry"
                                + " cannot handle that: rename the field");
            }
        }
    }
}
