package org.voxel4j.volumetric.transforms;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Intensity normalisation of CT images (values in Hounsfield units until normalised). */
public final class Intensity {
    private Intensity() {}

    /**
     * Clips to the window [{@code lowHu}, {@code highHu}] and maps it linearly to [0, 1]: {@code
     * (clip(x, low, high) - low) / (high - low)}. Returns FLOAT. A soft-tissue window is e.g.
     * (-160, 240); NaN stays NaN.
     */
    public static INDArray window(INDArray hu, double lowHu, double highHu) {
        if (!(highHu > lowHu) || Double.isInfinite(lowHu) || Double.isInfinite(highHu)) {
            throw new IllegalArgumentException(
                    "window [" + lowHu + ", " + highHu + "] HU; expected finite low < high");
        }
        int[] shape = VoxelArrays.shapeOf(hu);
        double[] v = VoxelArrays.toDoubles(hu);
        float[] out = new float[v.length];
        double w = highHu - lowHu;
        for (int i = 0; i < v.length; i++) {
            double x = v[i];
            if (x < lowHu) {
                x = lowHu;
            } else if (x > highHu) {
                x = highHu;
            }
            out[i] = (float) ((x - lowHu) / w);
        }
        return VoxelArrays.fromFloats(out, shape);
    }

    /**
     * Z-score normalisation {@code (x - mean) / max(std, 1e-8)} with the mean and population
     * standard deviation taken over the voxels where {@code mask} is non-zero (over all voxels when
     * {@code mask} is null), applied to every voxel (as nnU-Net does). Returns FLOAT.
     */
    public static INDArray zScore(INDArray x, INDArray mask) {
        int[] shape = VoxelArrays.shapeOf(x);
        double[] v = VoxelArrays.toDoubles(x);
        boolean[] m = null;
        if (mask != null) {
            int[] ms = VoxelArrays.shapeOf(mask);
            if (!Arrays.equals(ms, shape)) {
                throw new IllegalArgumentException(
                        "mask shape "
                                + Arrays.toString(ms)
                                + " differs from image shape "
                                + Arrays.toString(shape));
            }
            m = VoxelArrays.toMask(mask);
        }
        double sum = 0;
        long n = 0;
        for (int i = 0; i < v.length; i++) {
            if (m == null || m[i]) {
                sum += v[i];
                n++;
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException(
                    "z-score mask is empty: no voxel to take statistics from");
        }
        double mean = sum / n;
        double ss = 0;
        for (int i = 0; i < v.length; i++) {
            if (m == null || m[i]) {
                double d = v[i] - mean;
                ss += d * d;
            }
        }
        double std = Math.max(Math.sqrt(ss / n), 1e-8);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) ((v[i] - mean) / std);
        }
        return VoxelArrays.fromFloats(out, shape);
    }

    static DataType floatTypeOf(INDArray x) {
        return x.dataType() == DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT;
    }
}
