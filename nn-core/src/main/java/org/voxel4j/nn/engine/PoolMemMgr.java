package org.voxel4j.nn.engine;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.nd4j.autodiff.samediff.internal.memory.AbstractMemoryMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.BaseNDArray;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The engine sessions' array pool: arrays SameDiff releases (their last consumer has run) are kept
 * by data type and shape and handed out again for the next request of that type and shape, in this
 * step or the next. Shapes of a training graph are the same every step, so after the first step
 * almost every op output is a reused array instead of fresh memory (whose first touch costs page
 * faults). SameDiff's own {@code ArrayCacheMemoryMgr} does the same but caps its cache at a quarter
 * of JavaCPP's {@code maxBytes} (by default the Java heap limit) and evicts beyond that.
 *
 * <p>SameDiff 1.0.0-M2.1 does not release every intermediate array (about 35 of 240 per U-Net
 * training step, among them most large activations), so the pool also takes back, at the end of
 * each execution, every array it handed out that was neither released nor returned to the caller
 * ({@link #reclaimExcept}). With both, the unet3d-step-64 probe allocates only its 65 outputs
 * (gradients and loss) per step; before, ~110 arrays (about 270 MB of fresh memory) per step.
 *
 * <p>Pooled bytes are bounded by {@code voxel4j.engine.poolMb} (default 4096); beyond it the oldest
 * arrays of the largest shape class are dropped (the garbage collector frees them). Views, arrays
 * sharing their buffer and non-dense arrays are never pooled.
 */
final class PoolMemMgr extends AbstractMemoryMgr {
    private static final long LIMIT = Long.getLong("voxel4j.engine.poolMb", 4096L) * 1024 * 1024;

    /**
     * Debugging aid ({@code -Dvoxel4j.engine.poison=true}): every handed-out floating-point array
     * is filled with NaN first, so an op that reads its output before writing it shows up as NaN.
     */
    private static final boolean POISON = Boolean.getBoolean("voxel4j.engine.poison");

    static final AtomicLong HITS = new AtomicLong();
    static final AtomicLong MISSES = new AtomicLong();
    static final AtomicLong RETIRED = new AtomicLong();

    private final Map<String, ArrayDeque<INDArray>> free = new HashMap<>();

    /** Arrays handed out and not released yet, by identity. */
    private final java.util.Set<INDArray> outstanding =
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    private long pooledBytes;

    private static String key(DataType t, long[] shape) {
        return t.name() + Arrays.toString(shape);
    }

    private static long bytes(INDArray a) {
        return a.data().length() * a.dataType().width();
    }

    @Override
    public synchronized INDArray allocate(boolean detached, DataType dataType, long... shape) {
        ArrayDeque<INDArray> q = free.get(key(dataType, shape));
        while (q != null && !q.isEmpty()) {
            INDArray a = q.pollLast();
            pooledBytes -= bytes(a);
            if (!a.wasClosed()) {
                // SameDiff tracks arrays by id: a reused array must look like a new one.
                ((BaseNDArray) a).assignNewId();
                HITS.incrementAndGet();
                outstanding.add(a);
                return POISON && dataType.isFPType() ? a.assign(Double.NaN) : a;
            }
        }
        MISSES.incrementAndGet();
        INDArray a = Nd4j.createUninitializedDetached(dataType, shape);
        outstanding.add(a);
        return POISON && dataType.isFPType() ? a.assign(Double.NaN) : a;
    }

    @Override
    public INDArray allocate(boolean detached, LongShapeDescriptor d) {
        if (d.isEmpty() || d.getOrder() != 'c') {
            INDArray a = Nd4j.create(d);
            return detached ? a.detach() : a;
        }
        return allocate(detached, d.dataType(), d.getShape());
    }

    @Override
    public synchronized void release(INDArray a) {
        // Only arrays handed out and not yet returned: an array the engine session already
        // returned early (see retire) may be released again by SameDiff, whose copy of it must
        // not enter the pool a second time while the buffer serves another variable.
        if (a == null || !outstanding.remove(a)) {
            return;
        }
        pool(a, true);
    }

    /**
     * Returns {@code a}, whose last consumer in this execution has run, to the pool now instead of
     * at the end of the execution. SameDiff keeps its reference to {@code a} (and may release it
     * later, which {@link #release} then ignores), so the pool gets a new array object on the same
     * buffer.
     */
    synchronized void retire(INDArray a) {
        if (a == null || !outstanding.remove(a) || a.wasClosed() || a.isView()) {
            return;
        }
        // The finished op's context still counts as a user of the buffer until SameDiff sets up
        // the next op, so the use count is not consulted here.
        pool(Nd4j.create(a.data(), a.shape(), a.stride(), 0, 'c', a.dataType()), false);
        RETIRED.incrementAndGet();
    }

    private void pool(INDArray a, boolean checkUse) {
        if (a == null
                || a.wasClosed()
                || a.isView()
                || a.isEmpty()
                || a.data() == null
                || a.dataType() == DataType.UTF8
                || a.ordering() != 'c'
                || !Buf.dense(a)
                || (checkUse && Nd4j.getExecutioner().useCount(a.data()) > 1)) {
            return;
        }
        long b = bytes(a);
        if (b > LIMIT) {
            return;
        }
        while (pooledBytes + b > LIMIT) {
            evictOne();
        }
        free.computeIfAbsent(key(a.dataType(), a.shape()), k -> new ArrayDeque<>()).addLast(a);
        pooledBytes += b;
    }

    /**
     * Returns to the pool every array handed out during an execution that SameDiff did not release,
     * except those sharing memory with {@code keep} (the execution's outputs). SameDiff 1.0.0-M2.1
     * releases only part of a training step's intermediate arrays (its array-use tracker keys
     * arrays by a fresh id per registration), so without this about 40 large arrays per U-Net step
     * (270 MB) were new allocations again in every step.
     */
    synchronized void reclaimExcept(java.util.Collection<INDArray> keep) {
        if (outstanding.isEmpty()) {
            return;
        }
        java.util.List<long[]> ranges = new java.util.ArrayList<>();
        for (INDArray k : keep) {
            if (k != null && k.data() != null && !k.isEmpty()) {
                long start = k.data().address();
                ranges.add(new long[] {start, start + bytes(k)});
            }
        }
        for (INDArray a : java.util.List.copyOf(outstanding)) {
            if (a.wasClosed() || a.data() == null || a.isEmpty()) {
                outstanding.remove(a);
                continue;
            }
            long start = a.data().address();
            long end = start + bytes(a);
            boolean shared = false;
            for (long[] r : ranges) {
                shared |= start < r[1] && r[0] < end;
            }
            if (shared) {
                // Handed to the caller: from now on the caller's, never reused.
                outstanding.remove(a);
            } else {
                release(a);
            }
        }
    }

    /** Drops the oldest array of the shape class holding the most bytes. */
    private void evictOne() {
        ArrayDeque<INDArray> largest = null;
        long most = -1;
        for (ArrayDeque<INDArray> q : free.values()) {
            if (!q.isEmpty()) {
                long s = q.size() * bytes(q.peekFirst());
                if (s > most) {
                    most = s;
                    largest = q;
                }
            }
        }
        if (largest == null) {
            pooledBytes = 0;
            return;
        }
        pooledBytes -= bytes(largest.pollFirst());
    }

    @Override
    public synchronized void close() {
        free.clear();
        outstanding.clear();
        pooledBytes = 0;
    }
}
