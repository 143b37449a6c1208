package org.voxel4j.nn.engine;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Splits loops of the engine's Java kernels over a small pool of worker threads.
 *
 * <p>The thread count follows ND4J's: {@code voxel4j.threads} if set, else {@code OMP_NUM_THREADS},
 * else the number of available processors. Work below {@link #MIN_WORK} elements runs on the
 * calling thread, because waking a worker costs more than it saves there.
 *
 * <p>Scheduling is dynamic: the range is cut into small chunks that the calling thread and the
 * workers claim from a shared counter, and the caller only waits for chunks a worker has already
 * started. On a machine shared with other processes a worker is often not scheduled for a scheduler
 * tick or more (4 ms), and a static split into one half per thread made the caller wait that long
 * at every kernel call; with dynamic chunks the caller simply does the work itself.
 */
final class Parallel {
    /** Elements below which a kernel runs single-threaded. */
    static final long MIN_WORK = 1 << 16;

    /** Target elements per chunk. */
    private static final long CHUNK_WORK = 1 << 16;

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
     * Runs {@code body} over {@code [0, n)}, each index standing for {@code workPerItem} elements
     * of work. Calls of {@code body} get disjoint ranges that together cover {@code [0, n)}; all
     * have returned (and their writes are visible) when this method returns.
     */
    static void range(int n, long workPerItem, Range body) {
        long total = (long) n * Math.max(1, workPerItem);
        if (POOL == null || n < 2 || total < MIN_WORK) {
            body.run(0, n);
            return;
        }
        int chunks = (int) Math.min(n, Math.max(2, total / CHUNK_WORK));
        Job job = new Job(n, chunks, body);
        int helpers = Math.min(THREADS - 1, chunks - 1);
        for (int h = 0; h < helpers; h++) {
            POOL.execute(job::help);
        }
        job.work();
        job.awaitHelpers();
        if (job.failure != null) {
            throw job.failure;
        }
    }

    /** One parallel loop: chunks claimed from a counter by the caller and helpers. */
    private static final class Job {
        final int n;
        final int chunks;
        final Range body;
        final AtomicInteger next = new AtomicInteger();

        /** Helpers inside {@link #help}; the caller waits for zero once all chunks are claimed. */
        final AtomicInteger active = new AtomicInteger();

        volatile RuntimeException failure;

        Job(int n, int chunks, Range body) {
            this.n = n;
            this.chunks = chunks;
            this.body = body;
        }

        void help() {
            active.incrementAndGet();
            try {
                work();
            } finally {
                if (active.decrementAndGet() == 0) {
                    synchronized (this) {
                        notifyAll();
                    }
                }
            }
        }

        void work() {
            int c;
            while ((c = next.getAndIncrement()) < chunks) {
                int from = (int) ((long) n * c / chunks);
                int to = (int) ((long) n * (c + 1) / chunks);
                try {
                    body.run(from, to);
                } catch (RuntimeException | Error e) {
                    failure =
                            e instanceof RuntimeException r
                                    ? r
                                    : new IllegalStateException("kernel failed", e);
                    next.set(chunks);
                }
            }
        }

        /**
         * Waits until no helper is running. A helper that starts later finds every chunk claimed
         * and touches nothing.
         */
        void awaitHelpers() {
            if (active.get() == 0) {
                return;
            }
            int spins = 0;
            while (active.get() != 0) {
                if (++spins < 1000) {
                    Thread.onSpinWait();
                } else {
                    synchronized (this) {
                        if (active.get() != 0) {
                            try {
                                wait(1);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return;
                            }
                        }
                    }
                }
            }
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
