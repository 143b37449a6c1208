package org.voxel4j.recon.geometry;

/**
 * The sampling grid of a volume stored as {@code [D, H, W]} = (slices, rows, cols), centred on the
 * origin. Voxel {@code (d, r, c)} has its centre at {@code x = (c − (W − 1)/2) · spacingX}, {@code
 * y = ((H − 1)/2 − r) · spacingY}, {@code z = (d − (D − 1)/2) · spacingZ}: x along increasing
 * column, y along decreasing row, z along increasing slice index.
 *
 * @param slices D (≥ 1)
 * @param rows H (≥ 1)
 * @param cols W (≥ 1)
 * @param spacingZ voxel extent along z (slice spacing)
 * @param spacingY voxel extent along y (row spacing)
 * @param spacingX voxel extent along x (column spacing)
 */
public record VolumeGrid3d(
        int slices, int rows, int cols, double spacingZ, double spacingY, double spacingX) {
    public VolumeGrid3d {
        if (slices < 1 || rows < 1 || cols < 1) {
            throw new IllegalArgumentException(
                    "volume grid needs slices, rows, cols >= 1, got "
                            + slices
                            + "x"
                            + rows
                            + "x"
                            + cols);
        }
        check("spacingZ", spacingZ);
        check("spacingY", spacingY);
        check("spacingX", spacingX);
        if ((long) slices * rows * cols > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "volume grid too large for one Java array: "
                            + slices
                            + "x"
                            + rows
                            + "x"
                            + cols);
        }
    }

    private static void check(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be positive and finite, got " + v);
        }
    }

    /** A cube of {@code n³} unit voxels. */
    public static VolumeGrid3d cube(int n) {
        return new VolumeGrid3d(n, n, n, 1, 1, 1);
    }

    /** Number of voxels. */
    public int size() {
        return slices * rows * cols;
    }

    public double x(double c) {
        return (c - 0.5 * (cols - 1)) * spacingX;
    }

    public double y(double r) {
        return (0.5 * (rows - 1) - r) * spacingY;
    }

    public double z(double d) {
        return (d - 0.5 * (slices - 1)) * spacingZ;
    }
}
