package org.voxel4j.nn.train;

import java.util.Map;
import org.voxel4j.nn.Model;

/** Computes validation metrics for the model as it stands after an epoch. */
@FunctionalInterface
public interface Validator {
    Map<String, Double> validate(Model model, int epoch);
}
