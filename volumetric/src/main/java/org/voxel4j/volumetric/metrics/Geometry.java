package org.voxel4j.volumetric.metrics;

import java.util.Arrays;
import org.voxel4j.volumetric.transforms.VoxelArrays;

/**
 * How a 2D or 3D array is measured: every array is handled as 3 axes (a 2D array [H, W] as [1, H,
 * W]); the <em>effective</em> axes are those of length &gt; 1, topped up to two axes with the
 * highest-numbered remaining axes, so a volume with one axis of length 1 is measured as a 2D image.
 * Erosion neighbourhoods and surface elements use the effective axes only.
 */
record Geometry(int[] dims, boolean[] effective, double[] spacing, double voxelVolumeMm3) {

    static Geometry of(int[] shape, double[] spacingMm) {
        if (shape.length != 2 && shape.length != 3) {
            throw new IllegalArgumentException(
                    "segmentation metrics need a 2D [H, W] or 3D [D, H, W] array, got shape "
                            + Arrays.toString(shape));
        }
        VoxelArrays.checkSpacing(spacingMm, shape.length);
        VoxelArrays.size(shape);
        int[] dims = new int[3];
        double[] sp = new double[3];
        int off = 3 - shape.length;
        dims[0] = 1;
        sp[0] = 1.0;
        for (int i = 0; i < shape.length; i++) {
            dims[off + i] = shape[i];
            sp[off + i] = spacingMm[i];
        }
        boolean[] eff = new boolean[3];
        int count = 0;
        for (int a = off; a < 3; a++) {
            eff[a] = dims[a] > 1;
            count += eff[a] ? 1 : 0;
        }
        for (int a = 2; a >= off && count < 2; a--) {
            if (!eff[a]) {
                eff[a] = true;
                count++;
            }
        }
        double vol = 1;
        for (double s : spacingMm) {
            vol *= s;
        }
        return new Geometry(dims, eff, sp, vol);
    }

    int effectiveCount() {
        int c = 0;
        for (boolean e : effective) {
            c += e ? 1 : 0;
        }
        return c;
    }
}
