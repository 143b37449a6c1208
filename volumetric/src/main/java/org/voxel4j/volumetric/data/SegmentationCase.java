package org.voxel4j.volumetric.data;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.voxel4j.volumetric.transforms.VoxelArrays;

/**
 * A preprocessed training or validation case held in memory.
 *
 * @param id case id
 * @param image normalised image {@code [C, D, H, W]}, FLOAT
 * @param label label map {@code [D, H, W]}, INT32
 * @param spacingMm spacing in array order (D, H, W)
 */
public record SegmentationCase(String id, INDArray image, INDArray label, double[] spacingMm) {
    public SegmentationCase {
        if (image == null || image.rank() != 4) {
            throw new IllegalArgumentException(
                    "case "
                            + id
                            + ": image must be [C, D, H, W], got "
                            + (image == null ? "null" : Arrays.toString(image.shape())));
        }
        if (label == null || label.rank() != 3) {
            throw new IllegalArgumentException(
                    "case "
                            + id
                            + ": label must be [D, H, W], got "
                            + (label == null ? "null" : Arrays.toString(label.shape())));
        }
        long[] s = Arrays.copyOfRange(image.shape(), 1, 4);
        if (!Arrays.equals(s, label.shape())) {
            throw new IllegalArgumentException(
                    "case "
                            + id
                            + ": image spatial shape "
                            + Arrays.toString(s)
                            + " differs from label shape "
                            + Arrays.toString(label.shape()));
        }
        spacingMm = VoxelArrays.checkSpacing(spacingMm, 3);
        image = image.dataType() == DataType.FLOAT ? image : image.castTo(DataType.FLOAT);
        label = label.dataType() == DataType.INT32 ? label : label.castTo(DataType.INT32);
    }

    @Override
    public double[] spacingMm() {
        return spacingMm.clone();
    }

    /** Spatial shape [D, H, W]. */
    public int[] shape() {
        return Arrays.copyOfRange(VoxelArrays.shapeOf(image), 1, 4);
    }
}
