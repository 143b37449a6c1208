package org.voxel4j.bench;

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

    @Override
    default void close() {}
}
