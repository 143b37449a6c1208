package org.voxel4j.volumetric.inference;

import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.voxel4j.nn.Model;
import org.voxel4j.volumetric.nets.SegmentationNetwork;
import org.voxel4j.volumetric.transforms.VoxelArrays;

/**
 * Runs a segmentation network over a whole preprocessed image with a {@link SlidingWindow}: 3D
 * networks over the volume, 2D networks slice by slice along D. Checks channels and window size
 * against the network before anything runs.
 */
public final class SegmentationInference {
    private SegmentationInference() {}

    /**
     * Blended network outputs (logits, or probabilities with {@code softmaxPerWindow}) {@code [K,
     * D, H, W]} of a preprocessed image {@code [C, D, H, W]}.
     */
    public static INDArray outputs(
            Model model,
            SegmentationNetwork net,
            INDArray image,
            SlidingWindow window,
            SlidingWindow.Progress progress) {
        if (image.rank() != 4) {
            throw new IllegalArgumentException(
                    "image must be [C, D, H, W], got " + Arrays.toString(image.shape()));
        }
        if (image.size(0) != net.inChannels()) {
            throw new IllegalArgumentException(
                    "the network takes "
                            + net.inChannels()
                            + " input channel(s), the image has "
                            + image.size(0)
                            + " (shape "
                            + Arrays.toString(image.shape())
                            + ")");
        }
        int[] patch = window.patchSize().stream().mapToInt(Integer::intValue).toArray();
        net.checkInputSize(patch);
        int k = net.numClasses();
        if (net.spatialDims() == 3) {
            return window.run(model::predict, image, k, progress);
        }
        int[] shape = VoxelArrays.shapeOf(image);
        int d = shape[1];
        int plane = shape[2] * shape[3];
        float[] out = new float[k * d * plane];
        for (int z = 0; z < d; z++) {
            INDArray slice = image.get(NDArrayIndex.all(), NDArrayIndex.point(z)).dup();
            int zz = z;
            SlidingWindow.Progress sub =
                    progress == null
                            ? null
                            : (done, total) ->
                                    progress.update((long) zz * total + done, (long) d * total);
            float[] s = VoxelArrays.toFloats(window.run(model::predict, slice, k, sub));
            for (int c = 0; c < k; c++) {
                System.arraycopy(s, c * plane, out, (c * d + z) * plane, plane);
            }
        }
        return VoxelArrays.fromFloats(out, new int[] {k, d, shape[2], shape[3]});
    }

    /** Softmax over the first axis of {@code [K, *S]} (FLOAT). */
    public static INDArray softmax(INDArray logits) {
        int[] shape = VoxelArrays.shapeOf(logits);
        float[] v = VoxelArrays.toFloats(logits);
        int k = shape[0];
        int n = v.length / k;
        for (int i = 0; i < n; i++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, v[c * n + i]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(v[c * n + i] - max);
            }
            for (int c = 0; c < k; c++) {
                v[c * n + i] = (float) (Math.exp(v[c * n + i] - max) / sum);
            }
        }
        return VoxelArrays.fromFloats(v, shape).castTo(DataType.FLOAT);
    }

    /** The patch size as a list, checked against the network (for callers building windows). */
    public static List<Integer> checkedPatch(SegmentationNetwork net, List<Integer> patch) {
        net.checkInputSize(patch.stream().mapToInt(Integer::intValue).toArray());
        return patch;
    }
}
