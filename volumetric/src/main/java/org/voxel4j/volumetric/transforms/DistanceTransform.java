package org.voxel4j.volumetric.transforms;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Exact Euclidean distance transform with anisotropic voxel spacing.
 *
 * <p>Separable algorithm of Felzenszwalb and Huttenlocher, "Distance Transforms of Sampled
 * Functions", Theory of Computing 8 (2012), Algorithm 1: the squared distance is the lower envelope
 * of parabolas {@code (x - x_q)^2 + f(q)}, computed along one axis after the other in O(n) per
 * line. Positions are physical ({@code index * spacing}), so the result is exact for any spacing;
 * arithmetic is in double precision. Lines of one pass run in parallel on the common fork-join
 * pool.
 *
 * <p>Two conventions are offered, named by what they measure:
 *
 * <ul>
 *   <li>{@link #edt}: for every voxel, the distance to the nearest <em>background</em> (false)
 *       voxel; 0 on background. This is {@code scipy.ndimage.distance_transform_edt(mask,
 *       sampling=spacing)}.
 *   <li>{@link #distanceToForeground}: for every voxel, the distance to the nearest
 *       <em>foreground</em> (true) voxel; 0 on foreground. This is scipy's transform of {@code
 *       ~mask}.
 * </ul>
 *
 * Distances are measured between voxel centres in millimetres. When the set that distances are
 * measured to is empty, every voxel gets {@code +Infinity} (scipy returns finite garbage there).
 */
public final class DistanceTransform {
    private DistanceTransform() {}

    /** Lines handed to one parallel task; large enough to amortise scheduling. */
    private static final int LINES_PER_TASK = 64;

    /** Neighbouring lines gathered together on strided axes. */
    private static final int BLOCK = 16;

    /**
     * Squared distance (mm^2) of every voxel to the nearest voxel where {@code features} is true;
     * {@code +Infinity} everywhere when there is no feature voxel.
     */
    public static double[] squaredDistanceToFeatures(
            boolean[] features, int[] shape, double[] spacingMm) {
        int n = VoxelArrays.size(shape);
        if (features.length != n) {
            throw new IllegalArgumentException(
                    "mask of length "
                            + features.length
                            + " does not match shape "
                            + Arrays.toString(shape));
        }
        VoxelArrays.checkSpacing(spacingMm, shape.length);
        double[] d = new double[n];
        boolean any = false;
        for (int i = 0; i < n; i++) {
            if (features[i]) {
                any = true;
            } else {
                d[i] = Double.POSITIVE_INFINITY;
            }
        }
        if (!any) {
            return d;
        }
        // Innermost axis first: its lines are contiguous, and after it most lines of the
        // strided passes are already finite.
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            pass(d, shape, axis, spacingMm[axis]);
        }
        return d;
    }

    /** Distance (mm) of every voxel to the nearest foreground voxel; 0 on foreground. */
    public static double[] distanceToForeground(boolean[] mask, int[] shape, double[] spacingMm) {
        double[] d = squaredDistanceToFeatures(mask, shape, spacingMm);
        sqrtInPlace(d);
        return d;
    }

    /**
     * Distance (mm) of every voxel to the nearest background voxel; 0 on background (scipy's {@code
     * distance_transform_edt} convention).
     */
    public static double[] edt(boolean[] mask, int[] shape, double[] spacingMm) {
        boolean[] background = new boolean[mask.length];
        for (int i = 0; i < mask.length; i++) {
            background[i] = !mask[i];
        }
        return distanceToForeground(background, shape, spacingMm);
    }

    /**
     * {@link #edt(boolean[], int[], double[])} on an array whose non-zero voxels are foreground;
     * returns a DOUBLE array of the same shape. {@code spacingMm} has one entry per axis.
     */
    public static INDArray edt(INDArray mask, double[] spacingMm) {
        int[] shape = VoxelArrays.shapeOf(mask);
        return VoxelArrays.fromDoubles(
                edt(VoxelArrays.toMask(mask), shape, spacingMm), shape, DataType.DOUBLE);
    }

    /**
     * {@link #distanceToForeground(boolean[], int[], double[])} on an array whose non-zero voxels
     * are foreground; returns a DOUBLE array of the same shape.
     */
    public static INDArray distanceToForeground(INDArray mask, double[] spacingMm) {
        int[] shape = VoxelArrays.shapeOf(mask);
        return VoxelArrays.fromDoubles(
                distanceToForeground(VoxelArrays.toMask(mask), shape, spacingMm),
                shape,
                DataType.DOUBLE);
    }

    static void sqrtInPlace(double[] d) {
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.sqrt(d[i]);
        }
    }

    /**
     * One separable pass along {@code axis}, in place. Lines of a strided axis are handled in
     * blocks of up to {@link #BLOCK} neighbours in memory, so that gathering a column reads whole
     * cache lines.
     */
    private static void pass(double[] d, int[] shape, int axis, double spacing) {
        int len = shape[axis];
        if (len == 1) {
            return;
        }
        int inner = 1;
        for (int a = axis + 1; a < shape.length; a++) {
            inner *= shape[a];
        }
        int outer = d.length / (len * inner);
        int block = Math.min(BLOCK, inner);
        int blocksPerOuter = (inner + block - 1) / block;
        int units = outer * blocksPerOuter;
        int unitsPerTask = Math.max(1, LINES_PER_TASK / block);
        int tasks = (units + unitsPerTask - 1) / unitsPerTask;
        final int innerF = inner;
        IntStream.range(0, tasks)
                .parallel()
                .forEach(
                        t -> {
                            double[][] f = new double[block][len];
                            double[] out = new double[len];
                            int[] v = new int[len];
                            double[] z = new double[len + 1];
                            int end = Math.min(units, (t + 1) * unitsPerTask);
                            for (int u = t * unitsPerTask; u < end; u++) {
                                int o = u / blocksPerOuter;
                                int i0 = (u - o * blocksPerOuter) * block;
                                int width = Math.min(block, innerF - i0);
                                int base = o * len * innerF + i0;
                                for (int q = 0; q < len; q++) {
                                    int row = base + q * innerF;
                                    for (int b = 0; b < width; b++) {
                                        f[b][q] = d[row + b];
                                    }
                                }
                                for (int b = 0; b < width; b++) {
                                    if (lowerEnvelope(f[b], out, v, z, len, spacing)) {
                                        System.arraycopy(out, 0, f[b], 0, len);
                                    }
                                }
                                for (int q = 0; q < len; q++) {
                                    int row = base + q * innerF;
                                    for (int b = 0; b < width; b++) {
                                        d[row + b] = f[b][q];
                                    }
                                }
                            }
                        });
    }

    /**
     * 1D squared-distance transform of {@code f} (F&amp;H Algorithm 1 with physical positions
     * {@code q * h}); entries equal to +Infinity contribute no parabola. Returns false (and leaves
     * {@code out} untouched) when the whole line is infinite.
     */
    static boolean lowerEnvelope(double[] f, double[] out, int[] v, double[] z, int n, double h) {
        int k = -1;
        for (int q = 0; q < n; q++) {
            double fq = f[q];
            if (fq == Double.POSITIVE_INFINITY) {
                continue;
            }
            double xq = q * h;
            if (k < 0) {
                k = 0;
                v[0] = q;
                z[0] = Double.NEGATIVE_INFINITY;
                z[1] = Double.POSITIVE_INFINITY;
                continue;
            }
            double s;
            while (true) {
                int p = v[k];
                double xp = p * h;
                // Abscissa where the parabolas rooted at p and q intersect.
                s = ((fq + xq * xq) - (f[p] + xp * xp)) / (2.0 * (xq - xp));
                if (s <= z[k]) {
                    k--;
                    if (k < 0) {
                        break;
                    }
                } else {
                    break;
                }
            }
            if (k < 0) {
                k = 0;
                v[0] = q;
                z[0] = Double.NEGATIVE_INFINITY;
                z[1] = Double.POSITIVE_INFINITY;
                continue;
            }
            k++;
            v[k] = q;
            z[k] = s;
            z[k + 1] = Double.POSITIVE_INFINITY;
        }
        if (k < 0) {
            return false;
        }
        k = 0;
        for (int q = 0; q < n; q++) {
            double x = q * h;
            while (z[k + 1] < x) {
                k++;
            }
            double dx = x - v[k] * h;
            out[q] = dx * dx + f[v[k]];
        }
        return true;
    }
}
