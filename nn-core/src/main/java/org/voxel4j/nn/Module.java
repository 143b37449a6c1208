package org.voxel4j.nn;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A network building block. Implementations are records: the record components are the whole
 * configuration, the canonical constructor validates it, and {@link #forward} emits SameDiff ops.
 * Parameters are created through the {@link Scope} under path names ({@code enc0/conv1/weight});
 * channel counts are explicit so parameter counts never depend on data.
 *
 * <p>The configuration round-trips through JSON (checkpoints store it); the concrete record class
 * is recorded as {@code @type} and only classes admitted by {@link ModuleTypes} are ever
 * instantiated when a file is read.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, include = JsonTypeInfo.As.PROPERTY, property = "@type")
public interface Module {

    /**
     * Emits this module's ops into the scope's graph.
     *
     * @param s the scope: graph, parameter path, data type, train/eval mode
     * @param inputs the input variables, channels-first ({@code [N, C, (D,) H, W]})
     * @return the output variable
     */
    SDVariable forward(Scope s, SDVariable... inputs);

    /** Throws a clear error unless exactly {@code n} inputs were given. */
    static void requireInputs(Module m, SDVariable[] inputs, int n) {
        if (inputs == null || inputs.length != n) {
            throw new IllegalArgumentException(
                    m.getClass().getSimpleName()
                            + " takes "
                            + n
                            + " input(s), got "
                            + (inputs == null ? 0 : inputs.length));
        }
    }
}
