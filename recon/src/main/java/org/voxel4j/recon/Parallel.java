package org.voxel4j.recon;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Splits loops over the common fork-join pool. Work is cut into a fixed number of contiguous chunks
 * that depends only on the problem size and {@link #threads()}, so results (including the order of
 * floating-point reductions) are reproducible for a given thread count.
 */
public final class Parallel {
    private static volatile int threads = Math.max(1, Runtime.getRuntime().availableProcessors());

    private Parallel() {}

    /** Number of chunks loops are split into (default: available processors). */
    public static int threads() {
        return threads;
    }

    /** Sets the number of chunks (≥ 1); 1 makes every routine single-threaded. */
    public static void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + n);
        }
        threads = n;
    }

    /** Number of chunks for {@code n} items: at most {@link #threads()}, at least 1. */
    public static int chunks(int n) {
        return Math.max(1, Math.min(threads, n));
    }

    /** Start of chunk {@code k} of {@code chunks} over {@code [0, n)}. */
    public static int chunkStart(int n, int chunks, int k) {
        return (int) ((long) n * k / chunks);
    }

    /** Runs {@code body.accept(k)} for {@code k = 0..tasks−1}, in parallel when tasks > 1. */
    public static void forEach(int tasks, IntConsumer body) {
        if (tasks <= 1) {
            for (int k = 0; k < tasks; k++) {
                body.accept(k);
            }
            return;
        }
        IntStream.range(0, tasks).parallel().forEach(body);
    }

    /** Calls {@code body.range(from, to)} on {@link #chunks(int)} contiguous ranges of [0, n). */
    public static void forRange(int n, Range body) {
        int c = chunks(n);
        forEach(c, k -> body.range(chunkStart(n, c, k), chunkStart(n, c, k + 1)));
    }

    /** A loop body over a half-open index range. */
    @FunctionalInterface
    public interface Range {
        void range(int from, int to);
    }
}
