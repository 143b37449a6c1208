package org.voxel4j.nn.losses;

/**
 * How a loss reduces its per-element (or per-class) terms to the scalar a trainer minimises, as
 * PyTorch's {@code reduction} argument. PyTorch's {@code 'none'} is not offered: a training
 * objective must be a scalar.
 */
public enum Reduction {
    /** The (weighted) mean; each loss documents what it divides by. */
    MEAN,
    /** The (weighted) sum. */
    SUM
}
