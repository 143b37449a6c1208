package org.voxel4j.recon.fbp;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxel4j.recon.Parallel;
import org.voxel4j.recon.geometry.ConeBeam3d;
import org.voxel4j.recon.geometry.VolumeGrid3d;

/**
 * FDK reconstruction for circular cone-beam scans with a flat panel (L. A. Feldkamp, L. C. Davis,
 * J. W. Kress, "Practical cone-beam algorithm", JOSA A 1(6), 1984; Kak &amp; Slaney §3.6 eq.
 * 3.189): the panel is rescaled to a virtual detector through the rotation axis (s = u·D/SDD, t =
 * v·D/SDD), each projection is weighted by {@code D / √(D² + s² + t²)}, each row is ramp-filtered
 * along s ({@link FbpFilter}, zero-padded as in {@link Fbp}), and the result is back-projected with
 * bilinear interpolation and the weight {@code D² / U²}, U being the distance from the source to
 * the voxel along the central ray. A 2π scan gets the redundancy weight 1/2, a short scan covering
 * π + 2δ or more Parker's weights per column (as in {@link Fbp}), a shorter scan none (with a
 * warning). In the mid-plane this is exactly the flat-detector fan-beam FBP.
 */
public final class Fdk {
    private static final Logger LOG = LoggerFactory.getLogger(Fdk.class);

    private final ConeBeam3d geometry;
    private final VolumeGrid3d grid;
    private final FbpFilter filter;
    private final RampFilter ramp;
    private final double[] weight; // [views, rows, cols]

    public Fdk(ConeBeam3d geometry, VolumeGrid3d grid, FbpFilter filter) {
        if (geometry == null || grid == null || filter == null) {
            throw new IllegalArgumentException("geometry, grid and filter must not be null");
        }
        this.geometry = geometry;
        this.grid = grid;
        this.filter = filter;
        int views = geometry.views();
        int rows = geometry.detectorRows();
        int cols = geometry.detectorCols();
        double d = geometry.sourceOrigin();
        double mag = d / geometry.sourceDetector();
        ramp = new RampFilter(cols, geometry.colSpacing() * mag, false, filter);
        ScanWeights.Arc arc = ScanWeights.Arc.of(geometry.angles());
        double delta =
                Math.max(
                        Math.abs(Math.atan(geometry.u(0) / geometry.sourceDetector())),
                        Math.abs(Math.atan(geometry.u(cols - 1) / geometry.sourceDetector())));
        ScanWeights.Redundancy redundancy = ScanWeights.Redundancy.of(arc, delta, "cone", LOG);
        weight = new double[geometry.projectionSize()];
        for (int vw = 0; vw < views; vw++) {
            for (int r = 0; r < rows; r++) {
                double t = geometry.v(r) * mag;
                for (int c = 0; c < cols; c++) {
                    double s = geometry.u(c) * mag;
                    double gamma = Math.atan(geometry.u(c) / geometry.sourceDetector());
                    double red = redundancy.weight(geometry.angle(vw), gamma);
                    weight[(vw * rows + r) * cols + c] =
                            arc.step() * red * d / Math.sqrt(d * d + s * s + t * t);
                }
            }
        }
    }

    public ConeBeam3d geometry() {
        return geometry;
    }

    public VolumeGrid3d grid() {
        return grid;
    }

    public FbpFilter filter() {
        return filter;
    }

    /** Reconstructs a volume {@code [D, H, W]} from projections {@code [views, rows, cols]}. */
    public double[] reconstruct(double[] projections) {
        if (projections.length != geometry.projectionSize()) {
            throw new IllegalArgumentException(
                    "projections have "
                            + projections.length
                            + " values, expected "
                            + geometry.views()
                            + " x "
                            + geometry.detectorRows()
                            + " x "
                            + geometry.detectorCols()
                            + " = "
                            + geometry.projectionSize());
        }
        double[] q =
                ScanWeights.weightAndFilter(
                        projections, weight, ramp, geometry.views() * geometry.detectorRows());
        double[] vol = new double[grid.size()];
        backproject(q, vol);
        return vol;
    }

    /** Float entry point (computed in double). */
    public float[] reconstruct(float[] projections) {
        return ScanWeights.viaDouble(projections, this::reconstruct);
    }

    /** INDArray entry point: {@code [views, rows, cols]} → {@code [D, H, W]}, same data type. */
    public INDArray reconstruct(INDArray projections) {
        return ScanWeights.viaDouble(
                projections,
                new long[] {geometry.views(), geometry.detectorRows(), geometry.detectorCols()},
                "projections have",
                new long[] {grid.slices(), grid.rows(), grid.cols()},
                this::reconstruct);
    }

    private void backproject(double[] q, double[] vol) {
        int views = geometry.views();
        int rows = geometry.detectorRows();
        int cols = geometry.detectorCols();
        int nz = grid.slices();
        int ny = grid.rows();
        int nx = grid.cols();
        double d = geometry.sourceOrigin();
        double sdd = geometry.sourceDetector();
        double[] sb = new double[views];
        double[] cb = new double[views];
        for (int v = 0; v < views; v++) {
            sb[v] = Math.sin(geometry.angle(v));
            cb[v] = Math.cos(geometry.angle(v));
        }
        double invU = 1.0 / geometry.colSpacing();
        double invV = 1.0 / geometry.rowSpacing();
        double cu = 0.5 * (cols - 1);
        double cv = 0.5 * (rows - 1);
        double ou = geometry.offsetU();
        double ov = geometry.offsetV();
        double lastC = cols - 1;
        double lastR = rows - 1;
        int plane = rows * cols;
        Parallel.forRange(
                nz,
                (from, to) -> {
                    for (int k = from; k < to; k++) {
                        double z = grid.z(k);
                        for (int v = 0; v < views; v++) {
                            double s = sb[v];
                            double c = cb[v];
                            int qb = v * plane;
                            for (int r = 0; r < ny; r++) {
                                double y = grid.y(r);
                                int base = (k * ny + r) * nx;
                                for (int col = 0; col < nx; col++) {
                                    double x = grid.x(col);
                                    double along = d + x * s - y * c;
                                    double across = x * c + y * s;
                                    double m = sdd / along;
                                    double fc = (across * m - ou) * invU + cu;
                                    double fr = cv - (z * m - ov) * invV;
                                    if (!(fc >= 0 && fc <= lastC && fr >= 0 && fr <= lastR)) {
                                        continue;
                                    }
                                    int ic = (int) fc;
                                    int ir = (int) fr;
                                    double a = fc - ic;
                                    double b = fr - ir;
                                    int ic1 = ic < cols - 1 ? ic + 1 : ic;
                                    int ir1 = ir < rows - 1 ? ir + 1 : ir;
                                    int r0 = qb + ir * cols;
                                    int r1 = qb + ir1 * cols;
                                    double top = q[r0 + ic] + a * (q[r0 + ic1] - q[r0 + ic]);
                                    double bot = q[r1 + ic] + a * (q[r1 + ic1] - q[r1 + ic]);
                                    double w = d / along;
                                    vol[base + col] += w * w * (top + b * (bot - top));
                                }
                            }
                        }
                    }
                });
    }
}
