package org.voxel4j.volumetric.transforms;

import java.util.Arrays;
import java.util.SortedMap;
import java.util.TreeMap;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Operations on label maps and per-class score maps. */
public final class LabelOps {
    private LabelOps() {}

    /**
     * Index of the largest value along {@code channelAxis} (e.g. 0 for [C, D, H, W], 1 for [N, C,
     * D, H, W]); the result drops that axis and is INT32. Ties go to the lower channel; NaN never
     * wins over a number.
     */
    public static INDArray argmax(INDArray scores, int channelAxis) {
        int[] shape = VoxelArrays.shapeOf(scores);
        if (channelAxis < 0 || channelAxis >= shape.length) {
            throw new IllegalArgumentException(
                    "channel axis " + channelAxis + " is outside shape " + Arrays.toString(shape));
        }
        double[] v = VoxelArrays.toDoubles(scores);
        int channels = shape[channelAxis];
        int inner = 1;
        for (int a = channelAxis + 1; a < shape.length; a++) {
            inner *= shape[a];
        }
        int outer = v.length / (channels * inner);
        int[] out = new int[outer * inner];
        for (int o = 0; o < outer; o++) {
            int base = o * channels * inner;
            for (int i = 0; i < inner; i++) {
                int best = 0;
                double bestValue = v[base + i];
                for (int c = 1; c < channels; c++) {
                    double x = v[base + c * inner + i];
                    if (x > bestValue || (Double.isNaN(bestValue) && !Double.isNaN(x))) {
                        best = c;
                        bestValue = x;
                    }
                }
                out[o * inner + i] = best;
            }
        }
        int[] outShape = new int[shape.length - 1];
        for (int a = 0, b = 0; a < shape.length; a++) {
            if (a != channelAxis) {
                outShape[b++] = shape[a];
            }
        }
        if (outShape.length == 0) {
            outShape = new int[] {1};
        }
        return VoxelArrays.fromInts(out, outShape);
    }

    /**
     * Volume in millilitres of every non-zero label present: voxel count &times; product of the
     * spacing (mm^3) / 1000. {@code spacingMm} has one entry per axis of {@code labels}.
     */
    public static SortedMap<Integer, Double> volumesMl(INDArray labels, double[] spacingMm) {
        int[] shape = VoxelArrays.shapeOf(labels);
        return volumesMl(VoxelArrays.toLabels(labels), shape, spacingMm);
    }

    /** {@link #volumesMl(INDArray, double[])} on a flat label map. */
    public static SortedMap<Integer, Double> volumesMl(
            int[] labels, int[] shape, double[] spacingMm) {
        VoxelArrays.checkSpacing(spacingMm, shape.length);
        if (labels.length != VoxelArrays.size(shape)) {
            throw new IllegalArgumentException(
                    "label map of length "
                            + labels.length
                            + " does not match shape "
                            + Arrays.toString(shape));
        }
        double voxel = 1;
        for (double s : spacingMm) {
            voxel *= s;
        }
        TreeMap<Integer, Long> counts = new TreeMap<>();
        for (int v : labels) {
            if (v != 0) {
                counts.merge(v, 1L, Long::sum);
            }
        }
        TreeMap<Integer, Double> out = new TreeMap<>();
        for (var e : counts.entrySet()) {
            out.put(e.getKey(), e.getValue() * voxel / 1000.0);
        }
        return out;
    }
}
