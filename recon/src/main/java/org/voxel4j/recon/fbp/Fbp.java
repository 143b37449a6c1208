package org.voxel4j.recon.fbp;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxel4j.recon.Parallel;
import org.voxel4j.recon.geometry.DetectorShape;
import org.voxel4j.recon.geometry.FanBeam2d;
import org.voxel4j.recon.geometry.Geometry2d;
import org.voxel4j.recon.geometry.ImageGrid2d;
import org.voxel4j.recon.geometry.ParallelBeam2d;

/**
 * Filtered back-projection for parallel and fan beams (A. C. Kak, M. Slaney, Principles of
 * Computerized Tomographic Imaging, IEEE Press 1988, §3.3 eq. 3.45 for parallel beams, §3.4.2 eq.
 * 3.137 (equiangular, arc detector) and §3.4.3 eq. 3.164 (equispaced, flat detector) for fan
 * beams).
 *
 * <p>Steps: redundancy/pre-weighting, row-wise ramp filtering ({@link FbpFilter}, zero-padded to
 * max(64, next power of two ≥ 2·detectors)), pixel-driven back-projection with linear interpolation
 * along the detector (zero outside the detector, like {@code np.interp(left=0, right=0)}).
 *
 * <ul>
 *   <li>Parallel: each view gets the weight Δθ·W with Δθ = coverage/views and W = π/coverage when
 *       the views cover at least π (so π/views for a uniform 180° or 360° scan, which is exactly
 *       scikit-image's {@code iradon} scaling), W = 1 for a limited-angle scan (no compensation).
 *   <li>Fan: cosine pre-weighting (D cos γ for an arc, D/√(D² + s²) on the virtual flat detector
 *       through the origin), distance weighting 1/L² (arc) or D²/U² (flat) in the back-projection.
 *       A scan covering 2π gets W = 1/2; a short scan covering at least π + 2δ (δ = half fan angle)
 *       gets Parker's weights (D. L. Parker, Med. Phys. 9(2), 1982) in the generalised form of S.
 *       Wesarg et al. (Med. Phys. 29(6), 2002) with overscan Δ = (coverage − π)/2 ≥ δ; a shorter
 *       scan gets W = 1 and a warning.
 * </ul>
 *
 * Values come out in the units of the image (a sinogram of line integrals in pixel lengths of an
 * image with values μ gives μ back).
 */
public final class Fbp {
    private static final Logger LOG = LoggerFactory.getLogger(Fbp.class);

    private final Geometry2d geometry;
    private final ImageGrid2d grid;
    private final FbpFilter filter;
    private final RampFilter ramp;
    // per view and detector: pre-weight (redundancy · cosine), folded with the angular step
    private final double[] preWeight;

    public Fbp(Geometry2d geometry, ImageGrid2d grid, FbpFilter filter) {
        if (geometry == null || grid == null || filter == null) {
            throw new IllegalArgumentException("geometry, grid and filter must not be null");
        }
        this.geometry = geometry;
        this.grid = grid;
        this.filter = filter;
        int views = geometry.views();
        int dets = geometry.detectors();
        ScanWeights.Arc arc = ScanWeights.Arc.of(geometry.angles());
        preWeight = new double[views * dets];
        if (geometry instanceof ParallelBeam2d p) {
            ramp = new RampFilter(dets, p.detectorSpacing(), false, filter);
            double w = arc.coverage() >= Math.PI * (1 - 1e-9) ? Math.PI / views : arc.step();
            Arrays.fill(preWeight, w);
        } else {
            FanBeam2d f = (FanBeam2d) geometry;
            double d = f.sourceOrigin();
            boolean arcDetector = f.shape() == DetectorShape.ARC;
            double tau =
                    arcDetector
                            ? f.detectorSpacing() / f.sourceDetector()
                            : f.detectorSpacing() * d / f.sourceDetector();
            ramp = new RampFilter(dets, tau, arcDetector, filter);
            ScanWeights.Redundancy redundancy =
                    ScanWeights.Redundancy.of(arc, f.halfFanAngle(), "fan", LOG);
            for (int v = 0; v < views; v++) {
                for (int j = 0; j < dets; j++) {
                    double gamma = f.gamma(j);
                    double cosine;
                    if (arcDetector) {
                        cosine = d * Math.cos(gamma);
                    } else {
                        double s = f.u(j) * d / f.sourceDetector();
                        cosine = d / Math.sqrt(d * d + s * s);
                    }
                    preWeight[v * dets + j] =
                            arc.step() * redundancy.weight(geometry.angle(v), gamma) * cosine;
                }
            }
        }
    }

    /**
     * Parker's short-scan weight for source angle β ∈ [0, π + 2Δ] (measured from the start of the
     * scan) and fan angle γ, with overscan half-angle Δ (Δ = δ gives Parker's original weights).
     * Pairs of redundant rays (β, γ) and (β + π + 2γ, −γ) get weights summing to 1.
     */
    public static double parker(double beta, double gamma, double overscan) {
        if (beta < 0 || beta > Math.PI + 2 * overscan) {
            return 0;
        }
        if (beta < 2 * overscan - 2 * gamma) {
            double s = Math.sin(0.25 * Math.PI * beta / (overscan - gamma));
            return s * s;
        }
        if (beta <= Math.PI - 2 * gamma) {
            return 1;
        }
        double s = Math.sin(0.25 * Math.PI * (Math.PI + 2 * overscan - beta) / (overscan + gamma));
        return s * s;
    }

    public Geometry2d geometry() {
        return geometry;
    }

    public ImageGrid2d grid() {
        return grid;
    }

    public FbpFilter filter() {
        return filter;
    }

    private void checkLength(int len) {
        if (len != geometry.sinogramSize()) {
            throw new IllegalArgumentException(
                    "sinogram has "
                            + len
                            + " values, expected "
                            + geometry.views()
                            + " views x "
                            + geometry.detectors()
                            + " detectors = "
                            + geometry.sinogramSize());
        }
    }

    /**
     * The weighted and ramp-filtered sinogram ({@code [views, detectors]}), before back-projection.
     */
    public double[] filtered(double[] sinogram) {
        checkLength(sinogram.length);
        return ScanWeights.weightAndFilter(sinogram, preWeight, ramp, geometry.views());
    }

    /**
     * Reconstructs an image {@code [H, W]} (row-major) from a sinogram {@code [views, detectors]}.
     */
    public double[] reconstruct(double[] sinogram) {
        double[] q = filtered(sinogram);
        double[] img = new double[grid.size()];
        if (geometry instanceof ParallelBeam2d p) {
            backprojectParallel(p, q, img);
        } else {
            backprojectFan((FanBeam2d) geometry, q, img);
        }
        return img;
    }

    /** Float entry point (computed in double). */
    public float[] reconstruct(float[] sinogram) {
        return ScanWeights.viaDouble(sinogram, this::reconstruct);
    }

    /**
     * INDArray entry point: sinogram {@code [views, detectors]} → image {@code [H, W]}, same type.
     */
    public INDArray reconstruct(INDArray sinogram) {
        return ScanWeights.viaDouble(
                sinogram,
                new long[] {geometry.views(), geometry.detectors()},
                "sinogram has",
                new long[] {grid.rows(), grid.cols()},
                this::reconstruct);
    }

    private void backprojectParallel(ParallelBeam2d p, double[] q, double[] img) {
        ParallelBackprojection.run(p, grid, q, img);
    }

    private void backprojectFan(FanBeam2d f, double[] q, double[] img) {
        int views = f.views();
        int dets = f.detectors();
        int rows = grid.rows();
        int cols = grid.cols();
        double d = f.sourceOrigin();
        double sdd = f.sourceDetector();
        boolean arc = f.shape() == DetectorShape.ARC;
        double[] sb = new double[views];
        double[] cb = new double[views];
        for (int v = 0; v < views; v++) {
            sb[v] = Math.sin(f.angle(v));
            cb[v] = Math.cos(f.angle(v));
        }
        double last = dets - 1;
        double half = 0.5 * (dets - 1);
        double inv = 1.0 / f.detectorSpacing();
        double off = f.detectorOffset();
        Parallel.forRange(
                rows,
                (from, to) -> {
                    for (int r = from; r < to; r++) {
                        double y = grid.y(r);
                        int base = r * cols;
                        for (int v = 0; v < views; v++) {
                            int qb = v * dets;
                            double s = sb[v];
                            double c = cb[v];
                            for (int col = 0; col < cols; col++) {
                                double x = grid.x(col);
                                // distance along the central ray and offset along the detector axis
                                double along = d + x * s - y * c;
                                double across = x * c + y * s;
                                double u;
                                double weight;
                                if (arc) {
                                    u = sdd * Math.atan2(across, along);
                                    weight = 1.0 / (along * along + across * across);
                                } else {
                                    u = sdd * across / along;
                                    weight = d * d / (along * along);
                                }
                                double j = (u - off) * inv + half;
                                if (j >= 0 && j <= last) {
                                    int i = (int) j;
                                    double fr = j - i;
                                    double val = q[qb + i];
                                    if (fr > 0) {
                                        val += fr * (q[qb + i + 1] - val);
                                    }
                                    img[base + col] += weight * val;
                                }
                            }
                        }
                    }
                });
    }
}
