package org.voxel4j.volumetric.metrics;

import java.util.Arrays;
import org.voxel4j.volumetric.transforms.DistanceTransform;

/**
 * Area-weighted surface distances between two masks, the surface-element ("surfel") definition of
 * Nikolov et al., "Clinically Applicable Segmentation of Head and Neck Anatomy for Radiotherapy",
 * arXiv:1809.04430, as implemented by DeepMind's {@code surface-distance} package ({@code
 * compute_surface_distances}).
 *
 * <p>Surface points sit on voxel <em>corners</em>: every corner gets the code of its 2x2x2 (2D:
 * 2x2) neighbourhood of voxels, outside the array counting as background; a corner whose
 * neighbourhood is neither all foreground nor all background is a surface point, weighted by the
 * marching-cubes surface area (2D: contour length) of its code ({@link SurfelAreaTables}). The
 * distance of a surface point of A is the exact Euclidean distance (mm) to the nearest surface
 * point of B. Each direction's arrays are sorted by distance, then area.
 *
 * <p>When exactly one mask is empty, the other side's distances are all {@code +Infinity} (and the
 * empty side's arrays are empty); when both are empty all arrays are empty.
 *
 * @param distancesPredToRef distance of each surface element of the prediction to the reference
 *     surface, ascending
 * @param areasPred area (mm^2; 2D: length in mm) of each of those surface elements
 * @param distancesRefToPred distance of each reference surface element to the predicted surface
 * @param areasRef area of each of those surface elements
 */
public record SurfelDistances(
        double[] distancesPredToRef,
        double[] areasPred,
        double[] distancesRefToPred,
        double[] areasRef) {

    /** Computes the surfel distances of a 2D [H, W] or 3D [D, H, W] pair of masks. */
    public static SurfelDistances compute(
            boolean[] pred, boolean[] ref, int[] shape, double[] spacingMm) {
        Geometry g = Geometry.of(shape, spacingMm);
        SurfaceDistances.checkLength(pred, g, "pred");
        SurfaceDistances.checkLength(ref, g, "ref");
        return computeOnGrid(pred, ref, g.dims(), g.effective(), g.spacing());
    }

    /**
     * The {@code percent} robust Hausdorff distance: per direction, the smallest distance at which
     * the cumulative area fraction reaches {@code percent/100} (no interpolation; numpy {@code
     * searchsorted}), then the larger of the two directions. {@code +Infinity} when a side has no
     * surface.
     */
    public double robustHausdorff(double percent) {
        if (!(percent >= 0 && percent <= 100)) {
            throw new IllegalArgumentException("percent " + percent + " is outside [0, 100]");
        }
        return Math.max(
                directedPercentile(distancesPredToRef, areasPred, percent),
                directedPercentile(distancesRefToPred, areasRef, percent));
    }

    /**
     * Surface Dice at tolerance {@code toleranceMm}: the area of both surfaces lying within the
     * tolerance of the other surface, divided by the total area of both surfaces.
     */
    public double surfaceDice(double toleranceMm) {
        if (!(toleranceMm >= 0) || Double.isInfinite(toleranceMm)) {
            throw new IllegalArgumentException(
                    "tolerance " + toleranceMm + " mm; expected a finite value >= 0");
        }
        double overlap = 0;
        double total = 0;
        for (int i = 0; i < distancesPredToRef.length; i++) {
            total += areasPred[i];
            if (distancesPredToRef[i] <= toleranceMm) {
                overlap += areasPred[i];
            }
        }
        for (int i = 0; i < distancesRefToPred.length; i++) {
            total += areasRef[i];
            if (distancesRefToPred[i] <= toleranceMm) {
                overlap += areasRef[i];
            }
        }
        return overlap / total;
    }

    private static double directedPercentile(double[] dist, double[] area, double percent) {
        int n = dist.length;
        if (n == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double total = 0;
        for (double a : area) {
            total += a;
        }
        double q = percent / 100.0;
        double cum = 0;
        for (int i = 0; i < n; i++) {
            cum += area[i];
            if (cum / total >= q) {
                return dist[i];
            }
        }
        return dist[n - 1];
    }

    /** Surfel distances on a 3-axis grid whose non-effective axes have length 1. */
    static SurfelDistances computeOnGrid(
            boolean[] a, boolean[] b, int[] dims, boolean[] effective, double[] spacing) {
        int k = 0;
        for (boolean e : effective) {
            k += e ? 1 : 0;
        }
        // Drop the non-effective axes (length 1): the flat layout is unchanged.
        int[] eDims = new int[k];
        double[] eSp = new double[k];
        int t = 0;
        for (int ax = 0; ax < 3; ax++) {
            if (effective[ax]) {
                eDims[t] = dims[ax];
                eSp[t] = spacing[ax];
                t++;
            } else if (dims[ax] != 1) {
                throw new IllegalStateException(
                        "non-effective axis " + ax + " has length " + dims[ax]);
            }
        }
        int[] cDims = new int[k];
        for (int i = 0; i < k; i++) {
            cDims[i] = eDims[i] + 1;
        }
        int[] codeA = codes(a, eDims, cDims);
        int[] codeB = codes(b, eDims, cDims);
        int full = k == 3 ? 255 : 15;
        double[] areaOfCode =
                k == 3 ? SurfelAreaTables.areas3d(eSp) : SurfelAreaTables.lengths2d(eSp);
        boolean[] borderA = border(codeA, full);
        boolean[] borderB = border(codeB, full);
        boolean anyA = any(borderA);
        boolean anyB = any(borderB);
        double[] dA =
                anyB ? DistanceTransform.squaredDistanceToFeatures(borderB, cDims, eSp) : null;
        double[] dB =
                anyA ? DistanceTransform.squaredDistanceToFeatures(borderA, cDims, eSp) : null;
        double[][] ab = sorted(borderA, codeA, dA, areaOfCode);
        double[][] ba = sorted(borderB, codeB, dB, areaOfCode);
        return new SurfelDistances(ab[0], ab[1], ba[0], ba[1]);
    }

    /** Neighbourhood code of every corner of the grid (one more than the voxels per axis). */
    private static int[] codes(boolean[] mask, int[] vDims, int[] cDims) {
        int[] code = new int[Arrays.stream(cDims).reduce(1, (x, y) -> x * y)];
        if (vDims.length == 3) {
            int n1 = vDims[1], n2 = vDims[2];
            int m1 = cDims[1], m2 = cDims[2];
            for (int i = 0; i < vDims[0]; i++) {
                for (int j = 0; j < n1; j++) {
                    for (int l = 0; l < n2; l++) {
                        if (!mask[(i * n1 + j) * n2 + l]) {
                            continue;
                        }
                        // Corner c sees voxel c - 1 + o at offset o, so this voxel is at
                        // offset o of corner voxel + 1 - o.
                        for (int o0 = 0; o0 < 2; o0++) {
                            for (int o1 = 0; o1 < 2; o1++) {
                                for (int o2 = 0; o2 < 2; o2++) {
                                    int c = ((i + 1 - o0) * m1 + (j + 1 - o1)) * m2 + (l + 1 - o2);
                                    code[c] |= SurfelAreaTables.bit3d(o0, o1, o2);
                                }
                            }
                        }
                    }
                }
            }
        } else {
            int n1 = vDims[1];
            int m1 = cDims[1];
            for (int i = 0; i < vDims[0]; i++) {
                for (int j = 0; j < n1; j++) {
                    if (!mask[i * n1 + j]) {
                        continue;
                    }
                    for (int o0 = 0; o0 < 2; o0++) {
                        for (int o1 = 0; o1 < 2; o1++) {
                            code[(i + 1 - o0) * m1 + (j + 1 - o1)] |=
                                    SurfelAreaTables.bit2d(o0, o1);
                        }
                    }
                }
            }
        }
        return code;
    }

    private static boolean[] border(int[] code, int full) {
        boolean[] b = new boolean[code.length];
        for (int i = 0; i < code.length; i++) {
            b[i] = code[i] != 0 && code[i] != full;
        }
        return b;
    }

    private static boolean any(boolean[] b) {
        for (boolean x : b) {
            if (x) {
                return true;
            }
        }
        return false;
    }

    /**
     * Distances and areas of the border corners, sorted by (distance, area). Sorting packs each
     * element into one long: the rank of its distance among the distinct distances, then the dense
     * rank of its area among the 256 code areas, so a primitive sort does the work.
     */
    private static double[][] sorted(
            boolean[] border, int[] code, double[] sqDist, double[] areaOfCode) {
        int n = 0;
        for (boolean b : border) {
            n += b ? 1 : 0;
        }
        double[] dist = new double[n];
        int[] codes = new int[n];
        int c = 0;
        for (int i = 0; i < border.length; i++) {
            if (border[i]) {
                dist[c] = sqDist == null ? Double.POSITIVE_INFINITY : Math.sqrt(sqDist[i]);
                codes[c] = code[i];
                c++;
            }
        }
        double[] uniqueDist = unique(dist.clone());
        double[] uniqueArea = unique(areaOfCode.clone());
        int[] areaRank = new int[areaOfCode.length];
        for (int i = 0; i < areaOfCode.length; i++) {
            areaRank[i] = Arrays.binarySearch(uniqueArea, areaOfCode[i]);
        }
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = (long) Arrays.binarySearch(uniqueDist, dist[i]) * 256 + areaRank[codes[i]];
        }
        Arrays.sort(keys);
        double[] sd = new double[n];
        double[] sa = new double[n];
        for (int i = 0; i < n; i++) {
            sd[i] = uniqueDist[(int) (keys[i] / 256)];
            sa[i] = uniqueArea[(int) (keys[i] % 256)];
        }
        return new double[][] {sd, sa};
    }

    private static double[] unique(double[] v) {
        Arrays.sort(v);
        int m = 0;
        for (int i = 0; i < v.length; i++) {
            if (i == 0 || v[i] != v[m - 1]) {
                v[m++] = v[i];
            }
        }
        return Arrays.copyOf(v, m);
    }
}
