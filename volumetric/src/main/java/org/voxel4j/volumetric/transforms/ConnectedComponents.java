package org.voxel4j.volumetric.transforms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Connected-component labelling of 2D [H, W] and 3D [D, H, W] masks and label maps, by
 * breadth-first flood fill in raster order. Components are numbered 1, 2, ... in the C-order
 * position of their first voxel, which is the numbering of {@code scipy.ndimage.label} with the
 * matching structuring element.
 */
public final class ConnectedComponents {
    private ConnectedComponents() {}

    /** Which neighbours are connected. */
    public enum Connectivity {
        /** Voxels sharing a face: 6 neighbours in 3D, 4 in 2D. */
        FACE,
        /** Sharing a face or an edge: 18 in 3D, 8 in 2D. */
        EDGE,
        /** Sharing a face, edge or corner: 26 in 3D, 8 in 2D. */
        VERTEX;

        /** From a neighbour count: 6, 18, 26 (3D) or 4, 8 (2D; 8 = {@link #VERTEX}). */
        public static Connectivity of(int neighbours) {
            return switch (neighbours) {
                case 4, 6 -> FACE;
                case 18 -> EDGE;
                case 8, 26 -> VERTEX;
                default ->
                        throw new IllegalArgumentException(
                                "connectivity "
                                        + neighbours
                                        + "; expected 6, 18 or 26 (3D) or 4 or 8 (2D)");
            };
        }
    }

    /**
     * A labelling.
     *
     * @param labels component id per voxel (0 = background), C order
     * @param count number of components
     * @param sizes voxel count of component {@code i} at index {@code i - 1}
     */
    public record Components(int[] labels, int count, long[] sizes) {}

    /** Components of the true voxels of {@code mask}. */
    public static Components label(boolean[] mask, int[] shape, Connectivity connectivity) {
        int[] values = new int[mask.length];
        for (int i = 0; i < mask.length; i++) {
            values[i] = mask[i] ? 1 : 0;
        }
        return labelRegions(values, shape, connectivity);
    }

    /** Components of the non-zero voxels of {@code mask}, as an INT32 array of the same shape. */
    public static INDArray label(INDArray mask, Connectivity connectivity) {
        int[] shape = VoxelArrays.shapeOf(mask);
        return VoxelArrays.fromInts(
                label(VoxelArrays.toMask(mask), shape, connectivity).labels(), shape);
    }

    /**
     * For every non-zero label of {@code labels}, keeps its largest connected component and sets
     * the voxels of its other components to 0. Ties go to the component whose first voxel comes
     * first in C order.
     */
    public static int[] keepLargestPerLabel(int[] labels, int[] shape, Connectivity connectivity) {
        Components c = labelRegions(labels, shape, connectivity);
        // Label value of each component, then the winning component per label value.
        int[] valueOf = new int[c.count() + 1];
        for (int i = 0; i < labels.length; i++) {
            if (c.labels()[i] != 0) {
                valueOf[c.labels()[i]] = labels[i];
            }
        }
        java.util.Map<Integer, Integer> best = new java.util.HashMap<>();
        for (int comp = 1; comp <= c.count(); comp++) {
            Integer cur = best.get(valueOf[comp]);
            if (cur == null || c.sizes()[comp - 1] > c.sizes()[cur - 1]) {
                best.put(valueOf[comp], comp);
            }
        }
        boolean[] keep = new boolean[c.count() + 1];
        for (int comp : best.values()) {
            keep[comp] = true;
        }
        int[] out = labels.clone();
        for (int i = 0; i < out.length; i++) {
            int comp = c.labels()[i];
            if (comp != 0 && !keep[comp]) {
                out[i] = 0;
            }
        }
        return out;
    }

    /**
     * {@link #keepLargestPerLabel(int[], int[], Connectivity)} on a label-map array (INT32 out).
     */
    public static INDArray keepLargestPerLabel(INDArray labels, Connectivity connectivity) {
        int[] shape = VoxelArrays.shapeOf(labels);
        return VoxelArrays.fromInts(
                keepLargestPerLabel(VoxelArrays.toLabels(labels), shape, connectivity), shape);
    }

    /**
     * Components of the regions of equal non-zero value: two neighbouring voxels are connected when
     * they hold the same non-zero value.
     */
    public static Components labelRegions(int[] values, int[] shape, Connectivity connectivity) {
        if (shape.length != 2 && shape.length != 3) {
            throw new IllegalArgumentException(
                    "connected components need a 2D or 3D shape, got " + Arrays.toString(shape));
        }
        int n = VoxelArrays.size(shape);
        if (values.length != n) {
            throw new IllegalArgumentException(
                    "array of length "
                            + values.length
                            + " does not match shape "
                            + Arrays.toString(shape));
        }
        int d0 = shape.length == 3 ? shape[0] : 1;
        int d1 = shape[shape.length - 2];
        int d2 = shape[shape.length - 1];
        int[][] offsets = neighbourOffsets(shape.length == 3, connectivity);
        int[] out = new int[n];
        int[] queue = new int[n];
        List<Long> sizes = new ArrayList<>();
        int next = 0;
        int plane = d1 * d2;
        for (int start = 0; start < n; start++) {
            int v = values[start];
            if (v == 0 || out[start] != 0) {
                continue;
            }
            next++;
            out[start] = next;
            int head = 0;
            int tail = 0;
            queue[tail++] = start;
            while (head < tail) {
                int p = queue[head++];
                int i = p / plane;
                int rem = p - i * plane;
                int j = rem / d2;
                int k = rem - j * d2;
                for (int[] o : offsets) {
                    int ii = i + o[0], jj = j + o[1], kk = k + o[2];
                    if (ii < 0 || ii >= d0 || jj < 0 || jj >= d1 || kk < 0 || kk >= d2) {
                        continue;
                    }
                    int q = (ii * d1 + jj) * d2 + kk;
                    if (out[q] == 0 && values[q] == v) {
                        out[q] = next;
                        queue[tail++] = q;
                    }
                }
            }
            sizes.add((long) tail);
        }
        return new Components(out, next, sizes.stream().mapToLong(Long::longValue).toArray());
    }

    private static int[][] neighbourOffsets(boolean threeD, Connectivity c) {
        List<int[]> out = new ArrayList<>();
        for (int a = threeD ? -1 : 0; a <= (threeD ? 1 : 0); a++) {
            for (int b = -1; b <= 1; b++) {
                for (int e = -1; e <= 1; e++) {
                    int nonZero = (a != 0 ? 1 : 0) + (b != 0 ? 1 : 0) + (e != 0 ? 1 : 0);
                    if (nonZero == 0) {
                        continue;
                    }
                    boolean ok =
                            switch (c) {
                                case FACE -> nonZero == 1;
                                case EDGE -> nonZero <= 2;
                                case VERTEX -> true;
                            };
                    if (ok) {
                        out.add(new int[] {a, b, e});
                    }
                }
            }
        }
        return out.toArray(new int[0][]);
    }
}
