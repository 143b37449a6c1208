package org.voxel4j.volumetric.transforms;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Exact spatial rearrangements: crop/pad, flips and quarter turns. They keep the data type. Axes
 * are absolute array axes (as in numpy); {@code spatialSize} arguments apply to the trailing axes.
 */
public final class Spatial {
    private Spatial() {}

    /**
     * Crops and/or pads the trailing axes to {@code spatialSize} around the centre, with MONAI's
     * convention: a crop starts at {@code n/2 - size/2}; a pad puts {@code (size - n)/2} values
     * before (integer division), the rest after.
     */
    public static INDArray cropOrPadCentre(INDArray x, int[] spatialSize, double padValue) {
        int[] shape = VoxelArrays.shapeOf(x);
        checkSize(shape, spatialSize);
        int off = shape.length - spatialSize.length;
        int[] start = new int[spatialSize.length];
        for (int a = 0; a < spatialSize.length; a++) {
            int n = shape[off + a];
            int s = spatialSize[a];
            start[a] = s <= n ? n / 2 - s / 2 : -((s - n) / 2);
        }
        return cropOrPad(x, start, spatialSize, padValue);
    }

    /**
     * The window of the trailing axes that starts at {@code start} (may be negative or run past the
     * end) and has {@code spatialSize} voxels; positions outside {@code x} get {@code padValue}.
     */
    public static INDArray cropOrPad(INDArray x, int[] start, int[] spatialSize, double padValue) {
        int[] shape = VoxelArrays.shapeOf(x);
        checkSize(shape, spatialSize);
        if (start.length != spatialSize.length) {
            throw new IllegalArgumentException(
                    "start "
                            + Arrays.toString(start)
                            + " and size "
                            + Arrays.toString(spatialSize)
                            + " differ in length");
        }
        int off = shape.length - spatialSize.length;
        int[] fullStart = new int[shape.length];
        int[] fullSize = shape.clone();
        for (int a = 0; a < spatialSize.length; a++) {
            fullStart[off + a] = start[a];
            fullSize[off + a] = spatialSize[a];
        }
        double[] out = Grids.window(VoxelArrays.toDoubles(x), shape, fullStart, fullSize, padValue);
        return VoxelArrays.fromDoubles(out, fullSize, x.dataType());
    }

    private static void checkSize(int[] shape, int[] spatialSize) {
        if (spatialSize.length == 0 || spatialSize.length > shape.length) {
            throw new IllegalArgumentException(
                    "size "
                            + Arrays.toString(spatialSize)
                            + " does not fit array shape "
                            + Arrays.toString(shape));
        }
        for (int s : spatialSize) {
            if (s <= 0) {
                throw new IllegalArgumentException(
                        "size " + Arrays.toString(spatialSize) + " has a non-positive axis");
            }
        }
    }

    /** Reverses {@code x} along each of {@code axes} ({@code numpy.flip}). */
    public static INDArray flip(INDArray x, int... axes) {
        int[] shape = VoxelArrays.shapeOf(x);
        boolean[] flip = new boolean[shape.length];
        for (int a : axes) {
            checkAxis(shape, a);
            flip[a] = !flip[a];
        }
        int[] perm = identity(shape.length);
        return VoxelArrays.fromDoubles(
                Grids.permuteFlip(VoxelArrays.toDoubles(x), shape, perm, flip),
                shape,
                x.dataType());
    }

    /**
     * Rotates by {@code k} quarter turns in the plane of {@code axisA} and {@code axisB}, from
     * {@code axisA} towards {@code axisB} ({@code numpy.rot90(x, k, axes=(axisA, axisB))}). For odd
     * k the two axes swap lengths, and their spacings swap too.
     */
    public static INDArray rot90(INDArray x, int k, int axisA, int axisB) {
        int[] shape = VoxelArrays.shapeOf(x);
        checkAxis(shape, axisA);
        checkAxis(shape, axisB);
        if (axisA == axisB) {
            throw new IllegalArgumentException(
                    "rot90 needs two different axes, got " + axisA + " twice");
        }
        int[] perm = identity(shape.length);
        boolean[] flip = new boolean[shape.length];
        switch (Math.floorMod(k, 4)) {
            case 0 -> {
                return VoxelArrays.fromDoubles(VoxelArrays.toDoubles(x), shape, x.dataType());
            }
            case 1 -> {
                // out[.., i@A, j@B] = x[.., j@A, nB-1-i@B]
                perm[axisA] = axisB;
                perm[axisB] = axisA;
                flip[axisA] = true;
            }
            case 2 -> {
                flip[axisA] = true;
                flip[axisB] = true;
            }
            default -> {
                // out[.., i@A, j@B] = x[.., nA-1-j@A, i@B]
                perm[axisA] = axisB;
                perm[axisB] = axisA;
                flip[axisB] = true;
            }
        }
        return VoxelArrays.fromDoubles(
                Grids.permuteFlip(VoxelArrays.toDoubles(x), shape, perm, flip),
                Grids.permutedShape(shape, perm),
                x.dataType());
    }

    private static void checkAxis(int[] shape, int a) {
        if (a < 0 || a >= shape.length) {
            throw new IllegalArgumentException(
                    "axis " + a + " is outside shape " + Arrays.toString(shape));
        }
    }

    private static int[] identity(int r) {
        int[] p = new int[r];
        for (int i = 0; i < r; i++) {
            p[i] = i;
        }
        return p;
    }
}
