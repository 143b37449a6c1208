package org.voxel4j.nn.train;

import org.nd4j.autodiff.samediff.SDVariable;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;

/**
 * The scalar a trainer minimises, built into the training graph from the network's prediction and
 * the batch targets. Auxiliary outputs of the network (deep-supervision heads) are available from
 * {@link Scope#auxOutputs()}.
 */
@FunctionalInterface
public interface Objective {

    SDVariable loss(Scope s, SDVariable prediction, SDVariable... targets);

    /** A loss module taking {@code (prediction, target)} and returning a scalar. */
    static Objective of(Module loss) {
        return (s, prediction, targets) -> {
            SDVariable[] in = new SDVariable[1 + targets.length];
            in[0] = prediction;
            System.arraycopy(targets, 0, in, 1, targets.length);
            return s.call("loss", loss, in);
        };
    }
}
