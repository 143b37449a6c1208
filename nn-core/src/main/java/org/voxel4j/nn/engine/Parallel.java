package org.voxel4j.nn.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * Splits loops of the engine's Java kernels over a small pool of worker threads.
 *
 * <p>The thread count follows ND4J's: {@code voxel4j.threads} if set, else {@code OMP_NUM_THREADS},
 * else the number of available processors. Work below {@link #MIN_WORK} elements runs on the
 * calling thread, because waking a worker costs more than it saves there.
 */
final class Parallel {
    /** Elements below which a kernel runs single-threaded. */
    static final long MIN_WORK = 1 << 16;

    static final int THREADS = threads();

    private static final ForkJoinPool POOL =
            THREADS > 1
                    ? new ForkJoinPool(
                            THREADS - 1,
                            p -> {
                                ForkJoinWorkerThread t =
                                        ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(
                                                p);
                                t.setDaemon(true);
                                t.setName("voxel4j-kernel-" + t.getPoolIndex());
                                return t;
                            },
                            null,
                            false)
                    : null;

    private Parallel() {}

    /** Body of a loop over the index range {@code [from, to)}. */
    @FunctionalInterface
    interface Range {
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@link #THREADS} contiguous ranges,
     * each item standing for {@code workPerItem} elements of work.
     */
    static void range(int n, long workPerItem, Range body) {
        int parts = (int) Math.min(THREADS, n);
        if (POOL == null || parts < 2 || (long) n * workPerItem < MIN_WORK) {
            body.run(0, n);
            return;
        }
        List<ForkJoinTask<?>> tasks = new ArrayList<>(parts - 1);
        for (int p = 1; p < parts; p++) {
            int from = (int) ((long) n * p / parts);
            int to = (int) ((long) n * (p + 1) / parts);
            tasks.add(POOL.submit(() -> body.run(from, to)));
        }
        body.run(0, (int) ((long) n / parts));
        for (ForkJoinTask<?> t : tasks) {
            t.join();
        }
    }

    private static int threads() {
        Integer prop = Integer.getInteger("voxel4j.threads");
        if (prop != null && prop > 0) {
            return prop;
        }
        String omp = System.getenv("OMP_NUM_THREADS");
        if (omp != null) {
            try {
                int t = Integer.parseInt(omp.trim());
                if (t > 0) {
                    return t;
                }
            } catch (NumberFormatException e) {
                // fall through to the processor count
            }
        }
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }
}
