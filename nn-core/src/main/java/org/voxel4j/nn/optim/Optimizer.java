package org.voxel4j.nn.optim;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A first-order optimiser with PyTorch's update rules. The optimiser is a configuration record;
 * per-parameter state (momentum, moments) lives in arrays the trainer owns and checkpoints.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Sgd.class, name = "sgd"),
    @JsonSubTypes.Type(value = Adam.class, name = "adam"),
    @JsonSubTypes.Type(value = AdamW.class, name = "adamw")
})
public sealed interface Optimizer permits Sgd, Adam, AdamW {

    /** Names of the state arrays kept per parameter (each shaped like the parameter). */
    List<String> stateNames();

    /**
     * Updates {@code param} in place.
     *
     * @param param the parameter
     * @param grad its gradient (not modified)
     * @param state this parameter's state arrays by {@link #stateNames()} name, zero at first
     * @param lr learning rate for this step
     * @param step 1 for the first update of this optimiser, then 2, 3, ...
     */
    void update(INDArray param, INDArray grad, Map<String, INDArray> state, double lr, long step);

    static void checkNonNegative(String what, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(what + " must be a finite value >= 0, got " + v);
        }
    }

    static void checkBeta(String what, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException(what + " must be in [0, 1), got " + v);
        }
    }
}
