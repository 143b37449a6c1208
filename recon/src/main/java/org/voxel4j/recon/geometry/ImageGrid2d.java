package org.voxel4j.recon.geometry;

/**
 * The sampling grid of a 2D image: {@code rows × cols} square pixels of side {@code pixelSize},
 * centred on the origin unless a centre is given. Pixel {@code (r, c)} has its centre at {@code x =
 * centerX + (c − (cols − 1)/2) · pixelSize}, {@code y = centerY + ((rows − 1)/2 − r) · pixelSize}
 * (x along increasing column, y along decreasing row; see the package documentation of {@code
 * org.voxel4j.recon}).
 *
 * <p>A shifted centre reconstructs or projects a window of the scanned plane; e.g. {@code (−0.5,
 * 0.5)} puts the rotation axis on pixel {@code (n/2, n/2)} of an even {@code n × n} unit grid,
 * which is scikit-image's convention.
 *
 * @param rows number of rows H (≥ 1)
 * @param cols number of columns W (≥ 1)
 * @param pixelSize side of a pixel in the length unit of the geometry (1 = lengths in pixels)
 * @param centerX x of the grid centre (0 by default)
 * @param centerY y of the grid centre (0 by default)
 */
public record ImageGrid2d(int rows, int cols, double pixelSize, double centerX, double centerY) {
    /** A grid centred on the origin. */
    public ImageGrid2d(int rows, int cols, double pixelSize) {
        this(rows, cols, pixelSize, 0, 0);
    }

    public ImageGrid2d {
        if (!Double.isFinite(centerX) || !Double.isFinite(centerY)) {
            throw new IllegalArgumentException(
                    "grid centre must be finite, got (" + centerX + ", " + centerY + ")");
        }
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException(
                    "image grid needs rows, cols >= 1, got " + rows + "x" + cols);
        }
        if (!(pixelSize > 0) || Double.isInfinite(pixelSize)) {
            throw new IllegalArgumentException(
                    "pixelSize must be positive and finite, got " + pixelSize);
        }
        if ((long) rows * cols > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("image grid too large: " + rows + "x" + cols);
        }
    }

    /** A square {@code n × n} grid with unit pixels. */
    public static ImageGrid2d square(int n) {
        return new ImageGrid2d(n, n, 1.0);
    }

    /** Number of pixels. */
    public int size() {
        return rows * cols;
    }

    /** x coordinate of the centre of column {@code c}. */
    public double x(double c) {
        return centerX + (c - 0.5 * (cols - 1)) * pixelSize;
    }

    /** y coordinate of the centre of row {@code r}. */
    public double y(double r) {
        return centerY + (0.5 * (rows - 1) - r) * pixelSize;
    }

    /** Fractional column index of coordinate x. */
    public double col(double x) {
        return (x - centerX) / pixelSize + 0.5 * (cols - 1);
    }

    /** Fractional row index of coordinate y. */
    public double row(double y) {
        return 0.5 * (rows - 1) - (y - centerY) / pixelSize;
    }
}
