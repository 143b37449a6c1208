package org.voxel4j.recon.sim;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.voxel4j.nn.io.AtomicFiles;
import org.voxel4j.recon.geometry.ConeBeam3d;
import org.voxel4j.recon.geometry.VolumeGrid3d;
import org.voxel4j.recon.project.ConeProjector;
import org.voxel4j.recon.project.ProjectorType;

/**
 * Digitally reconstructed radiographs: cone-beam line integrals of attenuation through a CT volume
 * (as used to pair CT with X-ray images, e.g. CT2X-GAN), and their export as 8-bit PNG.
 *
 * <p>Give the volume as μ in the inverse length unit of the grid's spacing (e.g. μ/mm for a grid in
 * mm: {@link HuConversion#muFromHu} gives /cm, divide by 10), so the line integrals are
 * dimensionless; {@code exp(−p)} is then the transmitted fraction.
 */
public final class Drr {
    private Drr() {}

    /** Line integrals {@code [views, rows, cols]} of {@code mu} ({@code [D, H, W]}). */
    public static double[] render(
            double[] mu, VolumeGrid3d grid, ConeBeam3d geometry, ProjectorType type) {
        ConeProjector p = new ConeProjector(geometry, grid, type);
        double[] out = new double[p.projectionSize()];
        p.forward(mu, out);
        return out;
    }

    /**
     * Writes one DRR view as an 8-bit grey PNG, atomically: the line integrals are mapped linearly
     * from {@code [lo, hi]} to 0..255 (clipped), so more attenuation is brighter, as on a
     * radiograph. Row 0 of the image is the top row of the panel (largest z).
     */
    public static void writePng(
            Path path, double[] values, int offset, int rows, int cols, double lo, double hi)
            throws IOException {
        checkFits(values, offset, rows, cols);
        if (!(hi > lo)) {
            throw new IllegalArgumentException(
                    "PNG window needs hi > lo, got [" + lo + ", " + hi + "]");
        }
        BufferedImage img = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = img.getRaster();
        double scale = 255.0 / (hi - lo);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double v = (values[offset + r * cols + c] - lo) * scale;
                raster.setSample(c, r, 0, (int) Math.round(Math.max(0, Math.min(255, v))));
            }
        }
        AtomicFiles.write(
                path,
                out -> {
                    if (!ImageIO.write(img, "png", out)) {
                        throw new IOException("no PNG writer available for " + path);
                    }
                });
    }

    private static void checkFits(double[] values, int offset, int rows, int cols) {
        if (rows < 1 || cols < 1 || offset < 0 || offset + (long) rows * cols > values.length) {
            throw new IllegalArgumentException(
                    "image of "
                            + rows
                            + "x"
                            + cols
                            + " at offset "
                            + offset
                            + " does not fit in "
                            + values.length
                            + " values");
        }
    }

    /** {@link #writePng} of one view with the window spanning that view's min..max. */
    public static void writePng(Path path, double[] values, int offset, int rows, int cols)
            throws IOException {
        checkFits(values, offset, rows, cols);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = offset; i < offset + rows * cols; i++) {
            lo = Math.min(lo, values[i]);
            hi = Math.max(hi, values[i]);
        }
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        writePng(path, values, offset, rows, cols, lo, hi);
    }
}
