package org.voxel4j.volumetric.transforms;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Resampling of images and label maps to a new grid.
 *
 * <p>Convention (one for the whole library): the physical extent is kept, voxel <em>edges</em>
 * aligned: output voxel j of an axis resized from n to m samples sits at input coordinate {@code (j
 * + 0.5) * n / m - 0.5}, clamped to [0, n - 1] (edge values are repeated). This is PyTorch's {@code
 * F.interpolate(mode="trilinear", align_corners=False)} with an explicit output size,
 * scikit-image's {@code resize(order=1, mode="edge")} and nnU-Net's resampling grid. {@link
 * Interpolation#NEAREST} picks input voxel {@code floor((j + 0.5) * n / m)} (PyTorch's {@code
 * "nearest-exact"}), for label maps.
 *
 * <p>The last {@code spatialShape.length} (or {@code spacing.length}) axes are spatial; leading
 * axes (channels, batch) are carried along unchanged. Linear interpolation is separable (trilinear
 * = linear along each axis in turn) and computed in double precision.
 */
public final class Resample {
    private Resample() {}

    /** Interpolation kernel. */
    public enum Interpolation {
        /** Linear along each axis (bilinear in 2D, trilinear in 3D): for images. */
        LINEAR,
        /** Nearest neighbour: for label maps. */
        NEAREST
    }

    /** A resampled array and its actual spacing (mm per spatial axis). */
    public record Resampled(INDArray data, double[] spacingMm) {}

    /**
     * Resizes the trailing spatial axes of {@code x} to {@code spatialShape}. LINEAR returns FLOAT
     * (DOUBLE for DOUBLE input); NEAREST keeps the data type.
     */
    public static INDArray resize(INDArray x, int[] spatialShape, Interpolation mode) {
        int[] shape = VoxelArrays.shapeOf(x);
        int r = spatialShape.length;
        if (r == 0 || r > shape.length) {
            throw new IllegalArgumentException(
                    "target shape "
                            + Arrays.toString(spatialShape)
                            + " does not fit array shape "
                            + Arrays.toString(shape));
        }
        for (int s : spatialShape) {
            if (s <= 0) {
                throw new IllegalArgumentException(
                        "target shape "
                                + Arrays.toString(spatialShape)
                                + " has a non-positive axis");
            }
        }
        double[] v = VoxelArrays.toDoubles(x);
        int[] cur = shape.clone();
        int off = shape.length - r;
        for (int a = 0; a < r; a++) {
            int axis = off + a;
            if (cur[axis] != spatialShape[a]) {
                v = Grids.resizeAxis(v, cur, axis, spatialShape[a], mode == Interpolation.LINEAR);
                cur[axis] = spatialShape[a];
            }
        }
        DataType type = mode == Interpolation.LINEAR ? Intensity.floatTypeOf(x) : x.dataType();
        return VoxelArrays.fromDoubles(v, cur, type);
    }

    /**
     * Resamples to (approximately) {@code targetSpacingMm}: each spatial axis of n voxels at
     * spacing s gets {@code max(1, round(n * s / t))} voxels; the returned spacing is the exact one
     * of the new grid, {@code n * s / m}, so the physical extent is unchanged.
     */
    public static Resampled toSpacing(
            INDArray x, double[] spacingMm, double[] targetSpacingMm, Interpolation mode) {
        int[] shape = VoxelArrays.shapeOf(x);
        int r = spacingMm.length;
        if (r > shape.length) {
            throw new IllegalArgumentException(
                    "spacing "
                            + Arrays.toString(spacingMm)
                            + " has more entries than array shape "
                            + Arrays.toString(shape));
        }
        VoxelArrays.checkSpacing(spacingMm, r);
        VoxelArrays.checkSpacing(targetSpacingMm, r);
        int[] target = new int[r];
        double[] actual = new double[r];
        for (int a = 0; a < r; a++) {
            int n = shape[shape.length - r + a];
            target[a] = (int) Math.max(1, Math.round(n * spacingMm[a] / targetSpacingMm[a]));
            actual[a] = n * spacingMm[a] / target[a];
        }
        return new Resampled(resize(x, target, mode), actual);
    }
}
