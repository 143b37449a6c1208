package org.voxel4j.volumetric.transforms;

import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Saliency maps from marker points, the extra input channel of the saliency-guided segmentation
 * network SDL-Seg: marker coordinates &rarr; binary marker volume &rarr; Euclidean distance
 * transform with the voxel spacing &rarr; Gaussian of the distance, {@code s = exp(-d^2 / (2
 * sigma^2))}. The map is 1 at every marker and falls towards 0 with distance (mm), so it already
 * lies in [0, 1]; it is not rescaled. Without markers the map is all zeros.
 */
public final class SaliencyMaps {
    private SaliencyMaps() {}

    /**
     * The saliency map as flat floats in C order.
     *
     * @param shape spatial shape (2D or 3D)
     * @param markers voxel indices, one {@code int[]} per marker with one entry per axis
     * @param spacingMm millimetres per axis
     * @param sigmaMm Gaussian width in millimetres (&gt; 0)
     */
    public static float[] fromMarkers(
            int[] shape, List<int[]> markers, double[] spacingMm, double sigmaMm) {
        if (!(sigmaMm > 0) || Double.isInfinite(sigmaMm)) {
            throw new IllegalArgumentException(
                    "sigma " + sigmaMm + " mm; expected a finite value > 0");
        }
        VoxelArrays.checkSpacing(spacingMm, shape.length);
        int n = VoxelArrays.size(shape);
        int[] strides = VoxelArrays.strides(shape);
        boolean[] marker = new boolean[n];
        for (int[] m : markers) {
            if (m.length != shape.length) {
                throw new IllegalArgumentException(
                        "marker "
                                + Arrays.toString(m)
                                + " has "
                                + m.length
                                + " coordinates, expected "
                                + shape.length);
            }
            int idx = 0;
            for (int a = 0; a < shape.length; a++) {
                if (m[a] < 0 || m[a] >= shape[a]) {
                    throw new IllegalArgumentException(
                            "marker "
                                    + Arrays.toString(m)
                                    + " lies outside shape "
                                    + Arrays.toString(shape));
                }
                idx += m[a] * strides[a];
            }
            marker[idx] = true;
        }
        float[] out = new float[n];
        if (markers.isEmpty()) {
            return out;
        }
        double[] sq = DistanceTransform.squaredDistanceToFeatures(marker, shape, spacingMm);
        double k = -1.0 / (2 * sigmaMm * sigmaMm);
        for (int i = 0; i < n; i++) {
            out[i] = (float) Math.exp(sq[i] * k);
        }
        return out;
    }

    /** {@link #fromMarkers(int[], List, double[], double)} as a FLOAT array of {@code shape}. */
    public static INDArray fromMarkersArray(
            int[] shape, List<int[]> markers, double[] spacingMm, double sigmaMm) {
        return VoxelArrays.fromFloats(fromMarkers(shape, markers, spacingMm, sigmaMm), shape);
    }
}
