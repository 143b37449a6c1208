package org.voxel4j.nn.io;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * PNG snapshots of volumes: a windowed 2D slice, or a label map blended over it.
 *
 * <p>A slice is cut along an array axis of {@code data()} ({@code [D, H, W]}; a 2D {@code [H, W]}
 * volume is its own slice, axis 0 index 0): axis 0 gives an H x W image, axis 1 a D x W image, axis
 * 2 a D x H image. No reorientation is done, except that when D is the vertical axis the image is
 * flipped so that D grows upwards (superior up for the usual slice order). Pixels are made square
 * by nearest-neighbour replication using the volume's spacing (the finer of the two spacings
 * becomes one pixel; images are capped at 4096 pixels a side).
 *
 * <p>Intensities are mapped with a display window (level L, width W, as for CT in Hounsfield
 * units): grey = 255 * clamp((v - (L - W/2)) / W, 0, 1), rounded. Labels are drawn with a fixed
 * palette of distinct colours (the first 20 from Sasha Trubetskoy's "List of 20 simple, distinct
 * colors", further labels by golden-angle hues), blended as (1 - alpha) * grey + alpha * colour;
 * label 0 is transparent. Uses only {@link BufferedImage} and {@link ImageIO}, so it runs headless.
 */
public final class PngExport {
    private static final int MAX_SIDE = 4096;

    private static final int[] PALETTE = {
        0xe6194b, 0x3cb44b, 0x4363d8, 0xffe119, 0xf58231, 0x911eb4, 0x42d4f4, 0xf032e6,
        0xbfef45, 0xfabed4, 0x469990, 0xdcbeff, 0x9a6324, 0xfffac8, 0x800000, 0xaaffc3,
        0x808000, 0xffd8b1, 0x000075, 0xa9a9a9
    };

    private PngExport() {}

    /** A CT soft-tissue window (level 40 HU, width 400 HU). */
    public static final double SOFT_TISSUE_LEVEL = 40;

    /** Width of {@link #SOFT_TISSUE_LEVEL}'s window. */
    public static final double SOFT_TISSUE_WIDTH = 400;

    /** The middle index along {@code axis} (0 = D, 1 = H, 2 = W) of {@code v}. */
    public static int middle(Volume v, int axis) {
        long[] s = spatialShape(v);
        checkAxis(axis);
        return (int) (s[axis] / 2);
    }

    /** The windowed slice {@code index} along {@code axis} as an 8-bit grey image. */
    public static BufferedImage slice(Volume v, int axis, int index, double level, double width) {
        checkWindow(level, width);
        Plane p = plane(v.data(), spatialShape(v), v.spacingDhw(), axis, index);
        BufferedImage img = new BufferedImage(p.outW, p.outH, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < p.outH; y++) {
            for (int x = 0; x < p.outW; x++) {
                r.setSample(x, y, 0, grey(p.value(y, x), level, width));
            }
        }
        return img;
    }

    /**
     * The windowed slice of {@code image} with the same slice of {@code labels} (same spatial
     * shape; values rounded to integers) blended over it with opacity {@code alpha}.
     */
    public static BufferedImage overlay(
            Volume image,
            Volume labels,
            int axis,
            int index,
            double level,
            double width,
            double alpha) {
        checkWindow(level, width);
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha " + alpha + ", expected 0 to 1");
        }
        long[] a = spatialShape(image);
        long[] b = spatialShape(labels);
        if (!Arrays.equals(a, b)) {
            throw new IllegalArgumentException(
                    "labels shape "
                            + Arrays.toString(labels.data().shape())
                            + " does not match image shape "
                            + Arrays.toString(image.data().shape()));
        }
        Plane p = plane(image.data(), a, image.spacingDhw(), axis, index);
        Plane q = plane(labels.data(), a, image.spacingDhw(), axis, index);
        BufferedImage img = new BufferedImage(p.outW, p.outH, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < p.outH; y++) {
            for (int x = 0; x < p.outW; x++) {
                int g = grey(p.value(y, x), level, width);
                int label = (int) Math.round(q.value(y, x));
                int rgb = g << 16 | g << 8 | g;
                if (label != 0) {
                    int c = labelColor(label);
                    rgb =
                            blend(g, c >> 16 & 0xff, alpha) << 16
                                    | blend(g, c >> 8 & 0xff, alpha) << 8
                                    | blend(g, c & 0xff, alpha);
                }
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    /**
     * {@code img} enlarged {@code factor} times by pixel replication (nearest neighbour), so that
     * small slices stay sharp and readable; {@code factor} 1 returns {@code img} itself.
     */
    public static BufferedImage enlarge(BufferedImage img, int factor) {
        if (factor < 1 || (long) img.getWidth() * factor * img.getHeight() * factor > 1L << 28) {
            throw new IllegalArgumentException(
                    "enlargement factor "
                            + factor
                            + " for a "
                            + img.getWidth()
                            + "x"
                            + img.getHeight()
                            + " image, expected >= 1 and at most 2^28 pixels");
        }
        if (factor == 1) {
            return img;
        }
        BufferedImage out =
                new BufferedImage(img.getWidth() * factor, img.getHeight() * factor, img.getType());
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                out.setRGB(x, y, img.getRGB(x / factor, y / factor));
            }
        }
        return out;
    }

    /**
     * The panels side by side, left to right, top-aligned, separated by {@code gap} black pixels
     * (e.g. reference and prediction overlays of the same slice).
     */
    public static BufferedImage sideBySide(int gap, BufferedImage... panels) {
        if (panels.length == 0 || gap < 0) {
            throw new IllegalArgumentException(
                    "need at least one panel and gap >= 0, got " + panels.length + ", " + gap);
        }
        int w = gap * (panels.length - 1);
        int h = 0;
        for (BufferedImage p : panels) {
            w += p.getWidth();
            h = Math.max(h, p.getHeight());
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int x0 = 0;
        for (BufferedImage p : panels) {
            for (int y = 0; y < p.getHeight(); y++) {
                for (int x = 0; x < p.getWidth(); x++) {
                    out.setRGB(x0 + x, y, p.getRGB(x, y));
                }
            }
            x0 += p.getWidth() + gap;
        }
        return out;
    }

    /** Writes {@link #slice} to {@code png} atomically. */
    public static void writeSlice(
            Volume v, int axis, int index, double level, double width, Path png)
            throws IOException {
        write(slice(v, axis, index, level, width), png);
    }

    /** Writes {@link #overlay} to {@code png} atomically. */
    public static void writeOverlay(
            Volume image,
            Volume labels,
            int axis,
            int index,
            double level,
            double width,
            double alpha,
            Path png)
            throws IOException {
        write(overlay(image, labels, axis, index, level, width, alpha), png);
    }

    /** Writes any image as PNG atomically. */
    public static void write(BufferedImage img, Path png) throws IOException {
        AtomicFiles.write(
                png,
                out -> {
                    // memory cache: ImageIO would otherwise put a cache file in java.io.tmpdir
                    try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
                        if (!ImageIO.write(img, "png", ios)) {
                            throw new IOException("no PNG writer available in ImageIO");
                        }
                    }
                });
    }

    /** The RGB colour (0xRRGGBB) of a label; label 0 (background) is black. */
    public static int labelColor(int label) {
        if (label == 0) {
            return 0;
        }
        int i = Math.abs(label) - 1;
        if (i < PALETTE.length) {
            return PALETTE[i];
        }
        float hue = (float) ((i * 0.618033988749895) % 1.0);
        return Color.HSBtoRGB(hue, 0.85f, 0.95f) & 0xffffff;
    }

    private static int blend(int grey, int colour, double alpha) {
        return (int) Math.round((1 - alpha) * grey + alpha * colour);
    }

    static int grey(double v, double level, double width) {
        double t = (v - (level - width / 2)) / width;
        if (Double.isNaN(t)) {
            return 0;
        }
        return (int) Math.round(255 * Math.max(0, Math.min(1, t)));
    }

    private static void checkWindow(double level, double width) {
        if (!(width > 0) || !Double.isFinite(width) || !Double.isFinite(level)) {
            throw new IllegalArgumentException(
                    "window level " + level + " width " + width + ", expected finite, width > 0");
        }
    }

    private static void checkAxis(int axis) {
        if (axis < 0 || axis > 2) {
            throw new IllegalArgumentException("axis " + axis + ", expected 0 (D), 1 (H) or 2 (W)");
        }
    }

    /** Spatial [D, H, W] shape; 2D volumes count as D = 1. */
    private static long[] spatialShape(Volume v) {
        long[] s = v.data().shape();
        return switch (s.length) {
            case 1 -> new long[] {1, 1, s[0]};
            case 2 -> new long[] {1, s[0], s[1]};
            case 3 -> s;
            default ->
                    throw new IllegalArgumentException(
                            "volume of shape "
                                    + Arrays.toString(s)
                                    + ": expected [D, H, W] or [H, W]; pick one channel of a 4D volume"
                                    + " first (withData(data.get(point(c), all(), all(), all())))");
        };
    }

    /** A 2D slice as doubles plus its square-pixel resampling. */
    private static final class Plane {
        double[][] values;
        int outW;
        int outH;
        int rows;
        int cols;

        double value(int y, int x) {
            int r = Math.min(rows - 1, (int) ((y + 0.5) * rows / outH));
            int c = Math.min(cols - 1, (int) ((x + 0.5) * cols / outW));
            return values[r][c];
        }
    }

    private static Plane plane(
            INDArray volumeData, long[] shape, double[] sp, int axis, int index) {
        checkAxis(axis);
        if (index < 0 || index >= shape[axis]) {
            throw new IllegalArgumentException(
                    "slice index "
                            + index
                            + " along axis "
                            + axis
                            + ", expected 0 to "
                            + (shape[axis] - 1)
                            + " (shape "
                            + Arrays.toString(shape)
                            + ")");
        }
        INDArray data = volumeData.reshape(shape);
        if (data.dataType() == DataType.BOOL) {
            data = data.castTo(DataType.UINT8);
        }
        INDArrayIndex[] idx = {NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()};
        idx[axis] = NDArrayIndex.point(index);
        double[][] m =
                data.get(idx)
                        .castTo(DataType.DOUBLE)
                        .reshape(shape[axis == 0 ? 1 : 0], shape[axis == 2 ? 1 : 2])
                        .toDoubleMatrix();
        int rowAxis = axis == 0 ? 1 : 0;
        int colAxis = axis == 2 ? 1 : 2;
        if (rowAxis == 0) {
            // D grows upwards
            for (int i = 0, j = m.length - 1; i < j; i++, j--) {
                double[] t = m[i];
                m[i] = m[j];
                m[j] = t;
            }
        }
        double rs = sp[rowAxis];
        double cs = sp[colAxis];
        double unit = Math.min(rs, cs);
        Plane p = new Plane();
        p.values = m;
        p.rows = m.length;
        p.cols = m[0].length;
        double h = p.rows * rs / unit;
        double w = p.cols * cs / unit;
        double shrink = Math.min(1.0, MAX_SIDE / Math.max(h, w));
        p.outH = (int) Math.max(1, Math.round(h * shrink));
        p.outW = (int) Math.max(1, Math.round(w * shrink));
        return p;
    }
}
