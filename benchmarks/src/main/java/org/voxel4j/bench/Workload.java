package org.voxel4j.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A fixed benchmark workload: {@link #setUp()} once, then {@link #run()} repeatedly (timed). The
 * same definitions serve {@code voxel4j bench}, the JMH benchmarks and the side-by-side harness
 * against PyTorch ({@code benchmarks/compare/}), so the numbers compare like with like.
 */
public interface Workload extends AutoCloseable {

    /** The workload's name, e.g. {@code conv3d-fb-64}. */
    String name();

    /** One-line description of exactly what is measured. */
    String description();

    /** Allocates inputs and builds graphs; not timed. */
    void setUp() throws Exception;

    /** One timed repetition. */
    void run() throws Exception;

    /**
     * Quality numbers of the last repetition (e.g. the RMSE of a reconstruction), reported next to
     * the timing so that a faster run can be checked to be as accurate; empty by default.
     */
    default Map<String, Double> metrics() {
        return Map.of();
    }

    /**
     * Writes the workload's inputs (after {@link #setUp()}) as .npy files into {@code dir}, so that
     * a peer implementation can be timed on exactly the same data; no-op by default.
     */
    default void exportInputs(Path dir) throws IOException {}

    @Override
    default void close() {}
}
