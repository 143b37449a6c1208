package org.voxel4j.nn.train;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One training example without a batch axis: model inputs (e.g. an image {@code [C, D, H, W]}) and
 * targets (e.g. a label map {@code [1, D, H, W]}).
 */
public record Sample(List<INDArray> inputs, List<INDArray> targets) {
    public Sample {
        if (inputs == null || inputs.isEmpty()) {
            throw new IllegalArgumentException("a sample needs at least one input");
        }
        inputs = List.copyOf(inputs);
        targets = targets == null ? List.of() : List.copyOf(targets);
    }

    /** A sample with one input and one target. */
    public static Sample of(INDArray input, INDArray target) {
        return new Sample(List.of(input), List.of(target));
    }
}
