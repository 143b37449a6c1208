package org.voxel4j.nn.train;

import java.util.random.RandomGenerator;

/**
 * Indexed training data. {@link #get} receives a generator seeded from the trainer seed, the epoch
 * and the index, so random patch sampling and augmentation are reproducible and a resumed run sees
 * exactly the samples an uninterrupted run would have seen.
 */
public interface Dataset {

    /** Number of samples per epoch. */
    int size();

    /** Sample {@code index}; use {@code rng} for any randomness. */
    Sample get(int index, RandomGenerator rng);
}
