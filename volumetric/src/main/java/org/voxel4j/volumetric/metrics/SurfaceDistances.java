package org.voxel4j.volumetric.metrics;

import java.util.Arrays;
import org.voxel4j.volumetric.transforms.DistanceTransform;

/**
 * Voxel-based surfaces and surface-to-surface distances (METRICS.md, "Segmentation").
 *
 * <p>The surface of a mask is {@code mask AND NOT erode(mask)}, eroded with the 6-neighbour cross
 * in 3D (4-neighbour in 2D); voxels outside the array count as background (scipy's {@code
 * binary_erosion(mask, generate_binary_structure(ndim, 1), border_value=0)}). The directed distance
 * d(A&rarr;B) is, for every surface voxel of A, the exact Euclidean distance in millimetres between
 * its centre and the nearest surface-voxel centre of B ({@link DistanceTransform}). A volume with
 * one axis of length 1 is handled as 2D (see the class comment of the metrics' geometry: axes of
 * length 1 take no part in the erosion).
 */
public final class SurfaceDistances {
    private SurfaceDistances() {}

    /** Surface voxels of a 2D [H, W] or 3D [D, H, W] mask, in C order. */
    public static boolean[] surfaceVoxels(boolean[] mask, int[] shape) {
        double[] unit = new double[shape.length];
        Arrays.fill(unit, 1.0);
        Geometry g = Geometry.of(shape, unit);
        checkLength(mask, g, "mask");
        return surface(mask, g.dims(), g.effective());
    }

    /**
     * d(from&rarr;to): one distance (mm) per surface voxel of {@code from}, in C order of those
     * voxels. Empty when {@code from} is empty; all {@code +Infinity} when {@code to} is empty.
     */
    public static double[] directedDistances(
            boolean[] from, boolean[] to, int[] shape, double[] spacingMm) {
        Geometry g = Geometry.of(shape, spacingMm);
        checkLength(from, g, "from");
        checkLength(to, g, "to");
        boolean[] sf = surface(from, g.dims(), g.effective());
        boolean[] st = surface(to, g.dims(), g.effective());
        return directed(sf, st, g.dims(), g.spacing());
    }

    static void checkLength(boolean[] mask, Geometry g, String name) {
        int n = g.dims()[0] * g.dims()[1] * g.dims()[2];
        if (mask.length != n) {
            throw new IllegalArgumentException(
                    name + " has " + mask.length + " voxels, the shape needs " + n);
        }
    }

    /** Surface of {@code mask} on a 3-axis grid, eroding along the effective axes only. */
    static boolean[] surface(boolean[] mask, int[] dims, boolean[] effective) {
        int n0 = dims[0], n1 = dims[1], n2 = dims[2];
        int s0 = n1 * n2;
        boolean[] out = new boolean[mask.length];
        for (int i = 0; i < n0; i++) {
            for (int j = 0; j < n1; j++) {
                int row = i * s0 + j * n2;
                for (int k = 0; k < n2; k++) {
                    int p = row + k;
                    if (!mask[p]) {
                        continue;
                    }
                    boolean edge =
                            (effective[0]
                                            && (i == 0
                                                    || i == n0 - 1
                                                    || !mask[p - s0]
                                                    || !mask[p + s0]))
                                    || (effective[1]
                                            && (j == 0
                                                    || j == n1 - 1
                                                    || !mask[p - n2]
                                                    || !mask[p + n2]))
                                    || (effective[2]
                                            && (k == 0
                                                    || k == n2 - 1
                                                    || !mask[p - 1]
                                                    || !mask[p + 1]));
                    out[p] = edge;
                }
            }
        }
        return out;
    }

    /** Distances from every true voxel of {@code from} to the nearest true voxel of {@code to}. */
    static double[] directed(boolean[] from, boolean[] to, int[] dims, double[] spacing) {
        int count = 0;
        for (boolean b : from) {
            count += b ? 1 : 0;
        }
        double[] out = new double[count];
        if (count == 0) {
            return out;
        }
        double[] sq = DistanceTransform.squaredDistanceToFeatures(to, dims, spacing);
        int c = 0;
        for (int i = 0; i < from.length; i++) {
            if (from[i]) {
                out[c++] = Math.sqrt(sq[i]);
            }
        }
        return out;
    }
}
