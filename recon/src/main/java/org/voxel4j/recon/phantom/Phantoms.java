package org.voxel4j.recon.phantom;

import java.util.ArrayList;
import java.util.List;
import org.voxel4j.recon.Parallel;
import org.voxel4j.recon.geometry.ConeBeam3d;
import org.voxel4j.recon.geometry.Geometry2d;
import org.voxel4j.recon.geometry.ImageGrid2d;
import org.voxel4j.recon.geometry.VolumeGrid3d;

/**
 * Rasterisation of ellipse/ellipsoid phantoms and their closed-form projections, the ground truth
 * of the projector and reconstruction tests. A projection value is the exact line integral along
 * the central ray of a detector element: {@code Σ intensity_k · chord_k}, the chord of a line
 * through an ellipse being {@code 2√(B² − AC)/A} from the quadratic of the line in the ellipse's
 * normalised frame (for parallel beam this is Kak &amp; Slaney eq. 3.2, {@code 2ρab√(α² −
 * s'²)/α²}).
 */
public final class Phantoms {
    private Phantoms() {}

    /** Every ellipse scaled by {@code s} (normalised → grid units: {@code s = N/2 · pixelSize}). */
    public static List<Ellipse> scale(List<Ellipse> ellipses, double s) {
        List<Ellipse> out = new ArrayList<>(ellipses.size());
        for (Ellipse e : ellipses) {
            out.add(e.scaled(s));
        }
        return out;
    }

    /** Every ellipsoid scaled by {@code s}. */
    public static List<Ellipsoid> scale3d(List<Ellipsoid> ellipsoids, double s) {
        List<Ellipsoid> out = new ArrayList<>(ellipsoids.size());
        for (Ellipsoid e : ellipsoids) {
            out.add(e.scaled(s));
        }
        return out;
    }

    /**
     * The modified Shepp–Logan phantom on a square {@code n × n} grid with unit pixels, the outer
     * ellipse spanning the image (scale n/2), sampled at pixel centres.
     */
    public static double[] sheppLogan(int n) {
        return rasterize(scale(SheppLogan.modified2d(), n / 2.0), ImageGrid2d.square(n), 1);
    }

    /** The modified 3D Shepp–Logan phantom on an {@code n³} grid, scale n/2, voxel centres. */
    public static double[] sheppLogan3d(int n) {
        return rasterize(scale3d(SheppLogan.modified3d(), n / 2.0), VolumeGrid3d.cube(n), 1);
    }

    /**
     * Samples the sum of the ellipses on the grid: the mean over {@code ss × ss} sub-pixel points
     * (ss = 1: the pixel centre). Row-major {@code [H, W]}.
     */
    public static double[] rasterize(List<Ellipse> ellipses, ImageGrid2d grid, int ss) {
        if (ss < 1) {
            throw new IllegalArgumentException("supersampling must be >= 1, got " + ss);
        }
        int rows = grid.rows();
        int cols = grid.cols();
        double[] out = new double[rows * cols];
        Ellipse[] es = ellipses.toArray(new Ellipse[0]);
        Parallel.forRange(
                rows,
                (from, to) -> {
                    for (int r = from; r < to; r++) {
                        for (int c = 0; c < cols; c++) {
                            double sum = 0;
                            for (int i = 0; i < ss; i++) {
                                double y = grid.y(r - 0.5 + (i + 0.5) / ss);
                                for (int j = 0; j < ss; j++) {
                                    double x = grid.x(c - 0.5 + (j + 0.5) / ss);
                                    for (Ellipse e : es) {
                                        if (e.contains(x, y)) {
                                            sum += e.intensity();
                                        }
                                    }
                                }
                            }
                            out[r * cols + c] = sum / (ss * ss);
                        }
                    }
                });
        return out;
    }

    /**
     * Samples the sum of ellipsoids on a volume grid ({@code ss³} points per voxel), {@code
     * [D,H,W]}.
     */
    public static double[] rasterize(List<Ellipsoid> ellipsoids, VolumeGrid3d grid, int ss) {
        if (ss < 1) {
            throw new IllegalArgumentException("supersampling must be >= 1, got " + ss);
        }
        int nz = grid.slices();
        int ny = grid.rows();
        int nx = grid.cols();
        double[] out = new double[grid.size()];
        Ellipsoid[] es = ellipsoids.toArray(new Ellipsoid[0]);
        Parallel.forRange(
                nz,
                (from, to) -> {
                    for (int d = from; d < to; d++) {
                        for (int r = 0; r < ny; r++) {
                            for (int c = 0; c < nx; c++) {
                                double sum = 0;
                                for (int k = 0; k < ss; k++) {
                                    double z = grid.z(d - 0.5 + (k + 0.5) / ss);
                                    for (int i = 0; i < ss; i++) {
                                        double y = grid.y(r - 0.5 + (i + 0.5) / ss);
                                        for (int j = 0; j < ss; j++) {
                                            double x = grid.x(c - 0.5 + (j + 0.5) / ss);
                                            for (Ellipsoid e : es) {
                                                if (e.contains(x, y, z)) {
                                                    sum += e.intensity();
                                                }
                                            }
                                        }
                                    }
                                }
                                out[(d * ny + r) * nx + c] = sum / (ss * ss * ss);
                            }
                        }
                    }
                });
        return out;
    }

    /** Exact sinogram {@code [views, detectors]} of the ellipses for a parallel or fan geometry. */
    public static double[] project(List<Ellipse> ellipses, Geometry2d geometry) {
        int views = geometry.views();
        int dets = geometry.detectors();
        double[] out = new double[views * dets];
        Ellipse[] es = ellipses.toArray(new Ellipse[0]);
        Parallel.forRange(
                views,
                (from, to) -> {
                    double[] ray = new double[4];
                    for (int v = from; v < to; v++) {
                        for (int j = 0; j < dets; j++) {
                            geometry.ray(v, j, ray);
                            double sum = 0;
                            for (Ellipse e : es) {
                                sum += e.intensity() * e.chord(ray[0], ray[1], ray[2], ray[3]);
                            }
                            out[v * dets + j] = sum;
                        }
                    }
                });
        return out;
    }

    /** Exact cone-beam projections {@code [views, rows, cols]} of the ellipsoids. */
    public static double[] project(List<Ellipsoid> ellipsoids, ConeBeam3d geometry) {
        int views = geometry.views();
        int rows = geometry.detectorRows();
        int cols = geometry.detectorCols();
        double[] out = new double[geometry.projectionSize()];
        Ellipsoid[] es = ellipsoids.toArray(new Ellipsoid[0]);
        Parallel.forRange(
                views,
                (from, to) -> {
                    double[] ray = new double[6];
                    for (int v = from; v < to; v++) {
                        for (int r = 0; r < rows; r++) {
                            for (int c = 0; c < cols; c++) {
                                geometry.ray(v, r, c, ray);
                                double sum = 0;
                                for (Ellipsoid e : es) {
                                    sum +=
                                            e.intensity()
                                                    * e.chord(
                                                            ray[0], ray[1], ray[2], ray[3], ray[4],
                                                            ray[5]);
                                }
                                out[(v * rows + r) * cols + c] = sum;
                            }
                        }
                    }
                });
        return out;
    }
}
