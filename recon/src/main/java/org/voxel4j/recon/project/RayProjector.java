package org.voxel4j.recon.project;

import java.util.Arrays;
import org.voxel4j.recon.Parallel;

/**
 * Base of the ray-driven projectors: a subclass traces one ray into a list of (voxel index, weight)
 * pairs; this class applies the list as a dot product (forward) or a scatter (adjoint), so the
 * adjoint is exact by construction. Views are split into {@link Parallel#chunks} contiguous chunks;
 * the adjoint gives each chunk its own accumulator and adds them in chunk order, so results are
 * deterministic for a given thread count. Inner loops allocate nothing: each chunk owns one {@link
 * Tracer} with its scratch arrays.
 */
abstract class RayProjector implements Projector {
    private final int[] volumeShape;
    private final int[] projectionShape;
    private final int views;
    private final int raysPerView;
    private final int volumeSize;

    RayProjector(int[] volumeShape, int[] projectionShape) {
        this.volumeShape = volumeShape.clone();
        this.projectionShape = projectionShape.clone();
        this.views = projectionShape[0];
        int r = 1;
        for (int i = 1; i < projectionShape.length; i++) {
            r *= projectionShape[i];
        }
        this.raysPerView = r;
        int v = 1;
        for (int s : volumeShape) {
            v *= s;
        }
        this.volumeSize = v;
    }

    /** Traces rays; one instance per thread. */
    abstract static class Tracer {
        final int[] idx;
        final double[] w;

        Tracer(int capacity) {
            idx = new int[capacity];
            w = new double[capacity];
        }

        /**
         * Fills {@link #idx}/{@link #w} for ray {@code ray} of view {@code view}; returns count.
         */
        abstract int trace(int view, int ray);
    }

    abstract Tracer newTracer();

    @Override
    public int[] volumeShape() {
        return volumeShape.clone();
    }

    @Override
    public int[] projectionShape() {
        return projectionShape.clone();
    }

    @Override
    public int views() {
        return views;
    }

    @Override
    public int volumeSize() {
        return volumeSize;
    }

    @Override
    public int projectionSize() {
        return views * raysPerView;
    }

    private void checkLengths(int volLength, int projLength) {
        if (volLength != volumeSize) {
            throw new IllegalArgumentException(
                    "volume array has "
                            + volLength
                            + " values, expected "
                            + volumeSize
                            + " for shape "
                            + Arrays.toString(volumeShape));
        }
        if (projLength != projectionSize()) {
            throw new IllegalArgumentException(
                    "projection array has "
                            + projLength
                            + " values, expected "
                            + projectionSize()
                            + " for shape "
                            + Arrays.toString(projectionShape));
        }
    }

    private int[] allViews() {
        int[] v = new int[views];
        for (int i = 0; i < views; i++) {
            v[i] = i;
        }
        return v;
    }

    private void checkViews(int[] sel) {
        for (int v : sel) {
            if (v < 0 || v >= views) {
                throw new IllegalArgumentException(
                        "view index " + v + " outside [0, " + views + ")");
            }
        }
    }

    /**
     * The projector's matrix in CSR form, built by tracing every ray once (the lists {@link
     * #forward} and {@link #adjoint} apply). Entries of one ray with the same voxel are kept
     * separate, as the projector applies them.
     */
    @Override
    public SystemMatrix matrix() {
        int rays = projectionSize();
        int[] start = new int[rays + 1];
        int[] cols = new int[Math.max(16, rays * 4)];
        double[] vals = new double[cols.length];
        Tracer t = newTracer();
        int nnz = 0;
        for (int view = 0; view < views; view++) {
            for (int ray = 0; ray < raysPerView; ray++) {
                int n = t.trace(view, ray);
                if (nnz + n > cols.length) {
                    int cap =
                            Math.max(
                                    nnz + n,
                                    (int) Math.min(Integer.MAX_VALUE - 8, 2L * cols.length));
                    cols = Arrays.copyOf(cols, cap);
                    vals = Arrays.copyOf(vals, cap);
                }
                System.arraycopy(t.idx, 0, cols, nnz, n);
                System.arraycopy(t.w, 0, vals, nnz, n);
                nnz += n;
                start[view * raysPerView + ray + 1] = nnz;
            }
        }
        return new SystemMatrix(
                rays, volumeSize, start, Arrays.copyOf(cols, nnz), Arrays.copyOf(vals, nnz));
    }

    @Override
    public void forward(double[] vol, double[] proj) {
        checkLengths(vol.length, proj.length);
        forwardViews(vol, proj, allViews());
    }

    @Override
    public void forward(double[] vol, double[] proj, int[] sel) {
        checkLengths(vol.length, proj.length);
        checkViews(sel);
        forwardViews(vol, proj, sel);
    }

    private void forwardViews(double[] vol, double[] proj, int[] sel) {
        int chunks = Parallel.chunks(sel.length);
        Parallel.forEach(
                chunks,
                k -> {
                    Tracer t = newTracer();
                    int[] idx = t.idx;
                    double[] w = t.w;
                    for (int i = Parallel.chunkStart(sel.length, chunks, k),
                                    end = Parallel.chunkStart(sel.length, chunks, k + 1);
                            i < end;
                            i++) {
                        int view = sel[i];
                        int base = view * raysPerView;
                        for (int ray = 0; ray < raysPerView; ray++) {
                            int n = t.trace(view, ray);
                            double acc = 0;
                            for (int m = 0; m < n; m++) {
                                acc += w[m] * vol[idx[m]];
                            }
                            proj[base + ray] = acc;
                        }
                    }
                });
    }

    @Override
    public void forward(float[] vol, float[] proj) {
        checkLengths(vol.length, proj.length);
        int chunks = Parallel.chunks(views);
        Parallel.forEach(
                chunks,
                k -> {
                    Tracer t = newTracer();
                    int[] idx = t.idx;
                    double[] w = t.w;
                    for (int view = Parallel.chunkStart(views, chunks, k),
                                    end = Parallel.chunkStart(views, chunks, k + 1);
                            view < end;
                            view++) {
                        int base = view * raysPerView;
                        for (int ray = 0; ray < raysPerView; ray++) {
                            int n = t.trace(view, ray);
                            double acc = 0;
                            for (int m = 0; m < n; m++) {
                                acc += w[m] * vol[idx[m]];
                            }
                            proj[base + ray] = (float) acc;
                        }
                    }
                });
    }

    @Override
    public void adjoint(double[] proj, double[] vol) {
        checkLengths(vol.length, proj.length);
        adjointViews(proj, vol, allViews());
    }

    @Override
    public void adjoint(double[] proj, double[] vol, int[] sel) {
        checkLengths(vol.length, proj.length);
        checkViews(sel);
        adjointViews(proj, vol, sel);
    }

    private void adjointViews(double[] proj, double[] vol, int[] sel) {
        int chunks = Parallel.chunks(sel.length);
        double[][] acc = new double[chunks][];
        acc[0] = vol;
        Arrays.fill(vol, 0.0);
        Parallel.forEach(
                chunks,
                k -> {
                    double[] out = k == 0 ? vol : new double[volumeSize];
                    acc[k] = out;
                    Tracer t = newTracer();
                    int[] idx = t.idx;
                    double[] w = t.w;
                    for (int i = Parallel.chunkStart(sel.length, chunks, k),
                                    end = Parallel.chunkStart(sel.length, chunks, k + 1);
                            i < end;
                            i++) {
                        int view = sel[i];
                        int base = view * raysPerView;
                        for (int ray = 0; ray < raysPerView; ray++) {
                            double p = proj[base + ray];
                            if (p == 0) {
                                continue;
                            }
                            int n = t.trace(view, ray);
                            for (int m = 0; m < n; m++) {
                                out[idx[m]] += w[m] * p;
                            }
                        }
                    }
                });
        for (int k = 1; k < chunks; k++) {
            double[] a = acc[k];
            Parallel.forRange(
                    volumeSize,
                    (from, to) -> {
                        for (int i = from; i < to; i++) {
                            vol[i] += a[i];
                        }
                    });
        }
    }

    @Override
    public void adjoint(float[] proj, float[] vol) {
        checkLengths(vol.length, proj.length);
        int chunks = Parallel.chunks(views);
        float[][] acc = new float[chunks][];
        Arrays.fill(vol, 0f);
        Parallel.forEach(
                chunks,
                k -> {
                    float[] out = k == 0 ? vol : new float[volumeSize];
                    acc[k] = out;
                    Tracer t = newTracer();
                    int[] idx = t.idx;
                    double[] w = t.w;
                    for (int view = Parallel.chunkStart(views, chunks, k),
                                    end = Parallel.chunkStart(views, chunks, k + 1);
                            view < end;
                            view++) {
                        int base = view * raysPerView;
                        for (int ray = 0; ray < raysPerView; ray++) {
                            double p = proj[base + ray];
                            if (p == 0) {
                                continue;
                            }
                            int n = t.trace(view, ray);
                            for (int m = 0; m < n; m++) {
                                out[idx[m]] += (float) (w[m] * p);
                            }
                        }
                    }
                });
        for (int k = 1; k < chunks; k++) {
            float[] a = acc[k];
            Parallel.forRange(
                    volumeSize,
                    (from, to) -> {
                        for (int i = from; i < to; i++) {
                            vol[i] += a[i];
                        }
                    });
        }
    }
}
