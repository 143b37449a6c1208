package org.voxel4j.recon.fbp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.voxel4j.recon.Fixtures;
import org.voxel4j.recon.geometry.DetectorShape;
import org.voxel4j.recon.geometry.FanBeam2d;
import org.voxel4j.recon.geometry.ImageGrid2d;
import org.voxel4j.recon.geometry.ParallelBeam2d;
import org.voxel4j.recon.phantom.Ellipse;
import org.voxel4j.recon.phantom.Phantoms;
import org.voxel4j.recon.phantom.SheppLogan;
import org.voxel4j.recon.project.Projector;
import org.voxel4j.recon.project.Projectors;

class FbpTest {
    static final String[] SKIMAGE = {"ramp", "shepp-logan", "cosine", "hamming", "hann"};
    static final FilterType[] OURS = {
        FilterType.RAM_LAK,
        FilterType.SHEPP_LOGAN,
        FilterType.COSINE,
        FilterType.HAMMING,
        FilterType.HANN
    };

    @Test
    void matchesSkimageIradonOnAnalyticSheppLoganSinogram() {
        var sino = Fixtures.npy("radon/fbp_sinogram.npy");
        var truth = Fixtures.npy("radon/fbp_phantom.npy");
        var meta = Fixtures.json("radon/fbp_rmse.json");
        int views = sino.dim(0);
        int dets = sino.dim(1);
        int n = truth.dim(0);
        // skimage: theta_i = i*180/views degrees, detector k at s = k - dets//2 (dets odd)
        ParallelBeam2d geo = ParallelBeam2d.uniform(views, 180, dets);
        for (int f = 0; f < SKIMAGE.length; f++) {
            double[] ref = Fixtures.npy("radon/fbp_iradon_" + SKIMAGE[f] + ".npy").data();
            double[] rec =
                    new Fbp(geo, ImageGrid2d.square(n), new FbpFilter(OURS[f], 1.0))
                            .reconstruct(sino.data());
            double maxAbs = 0;
            for (double v : ref) {
                maxAbs = Math.max(maxAbs, Math.abs(v));
            }
            // same algorithm: ramp, shepp-logan and cosine agree to rounding; skimage's
            // hamming/hann windows use a period P-1 instead of P (P = 256 here)
            double tol = f <= 2 ? 1e-9 : 2e-2;
            for (int i = 0; i < rec.length; i++) {
                assertThat(rec[i]).as(SKIMAGE[f]).isCloseTo(ref[i], within(tol * maxAbs));
            }
            double rmse = rmse(rec, truth.data());
            double skRmse = meta.get("skimage_rmse").get(SKIMAGE[f]).asDouble();
            assertThat(rmse).as(SKIMAGE[f]).isLessThanOrEqualTo(skRmse * (1 + 1e-9));
        }
    }

    @Test
    void shiftedGridReproducesSkimageOnEvenSizes() {
        var sino = Fixtures.npy("radon/fbp_even_sinogram.npy");
        double[] ref = Fixtures.npy("radon/fbp_even_iradon_ramp.npy").data();
        int n = 64;
        ParallelBeam2d geo = ParallelBeam2d.uniform(sino.dim(0), 180, sino.dim(1));
        double[] rec =
                new Fbp(geo, new ImageGrid2d(n, n, 1, -0.5, 0.5), FbpFilter.ramLak())
                        .reconstruct(sino.data());
        double maxAbs = 0;
        for (double v : ref) {
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        for (int i = 0; i < rec.length; i++) {
            assertThat(rec[i]).isCloseTo(ref[i], within(1e-9 * maxAbs));
        }
        // on the centred grid the values differ (half a pixel apart)
        double[] centred =
                new Fbp(geo, ImageGrid2d.square(n), FbpFilter.ramLak()).reconstruct(sino.data());
        assertThat(rmse(centred, ref)).isGreaterThan(1e-3);
    }

    @Test
    void cutoffZeroesHighFrequencies() {
        RampFilter full = new RampFilter(100, 1.0, false, FbpFilter.ramLak());
        RampFilter half = new RampFilter(100, 1.0, false, new FbpFilter(FilterType.RAM_LAK, 0.5));
        double[] a = full.response();
        double[] b = half.response();
        assertThat(a.length).isEqualTo(129); // padded to 256
        for (int i = 0; i < a.length; i++) {
            assertThat(b[i]).isEqualTo(i <= 64 ? a[i] : 0.0);
        }
        // the response is the ramp |nu| (cycles/sample) up to the band-limit bias at DC
        assertThat(a[64]).isCloseTo(0.25, within(2e-3));
        assertThat(a[128]).isCloseTo(0.5, within(2e-3));
        assertThat(a[0]).isGreaterThan(0.0);
    }

    @Test
    void parkerWeightsOfRedundantRaysSumToOne() {
        double overscan = Math.toRadians(20);
        for (double gamma = -0.3; gamma <= 0.3; gamma += 0.05) {
            for (double beta = 0; beta <= Math.PI + 2 * overscan; beta += 0.01) {
                double partner = beta + Math.PI + 2 * gamma;
                double sum = Fbp.parker(beta, gamma, overscan);
                if (partner <= Math.PI + 2 * overscan) {
                    sum += Fbp.parker(partner, -gamma, overscan);
                } else if (beta - Math.PI + 2 * gamma >= 0) {
                    sum += Fbp.parker(beta - Math.PI + 2 * gamma, -gamma, overscan);
                }
                assertThat(sum).isCloseTo(1.0, within(1e-12));
            }
        }
    }

    @Test
    void fanBeamFbpReconstructsAnalyticPhantom() {
        int n = 128;
        List<Ellipse> ph = Phantoms.scale(SheppLogan.modified2d(), n / 2.0);
        double[] truth = Phantoms.rasterize(ph, ImageGrid2d.square(n), 1);
        double parallelRmse;
        {
            ParallelBeam2d par = ParallelBeam2d.uniform(360, 180, 183);
            double[] rec =
                    new Fbp(par, ImageGrid2d.square(n), FbpFilter.ramLak())
                            .reconstruct(Phantoms.project(ph, par));
            parallelRmse = rmseInside(rec, truth, n);
        }
        for (DetectorShape shape : DetectorShape.values()) {
            // full scan and short scan (180 + fan angle + a little)
            FanBeam2d probe = FanBeam2d.uniform(1, 360, 300, 250, 500, shape);
            double fan = Math.toDegrees(2 * probe.halfFanAngle());
            for (double arc : new double[] {360, 180 + fan + 4}) {
                int views = (int) Math.round(arc * 2);
                FanBeam2d geo = FanBeam2d.uniform(views, arc, 300, 250, 500, shape);
                double[] rec =
                        new Fbp(geo, ImageGrid2d.square(n), FbpFilter.ramLak())
                                .reconstruct(Phantoms.project(ph, geo));
                double rmse = rmseInside(rec, truth, n);
                assertThat(rmse).as(shape + " arc " + arc).isLessThan(1.3 * parallelRmse);
                // no global bias: the mean of the brain region comes back
                assertThat(mean(rec, n, 0.3)).isCloseTo(mean(truth, n, 0.3), within(0.01));
            }
        }
    }

    @Test
    void fbpInvertsOwnProjectorOnSmoothImage() {
        // A Gaussian blob projected by Joseph comes back through FBP (consistency of scaling)
        int n = 64;
        ImageGrid2d g = ImageGrid2d.square(n);
        double[] img = new double[g.size()];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                double x = g.x(c) - 5;
                double y = g.y(r) + 3;
                img[r * n + c] = Math.exp(-(x * x + y * y) / (2 * 36));
            }
        }
        ParallelBeam2d geo = ParallelBeam2d.uniform(180, 360, 91);
        Projector p = Projectors.joseph(geo, g);
        double[] sino = new double[p.projectionSize()];
        p.forward(img, sino);
        double[] rec = new Fbp(geo, g, FbpFilter.ramLak()).reconstruct(sino);
        assertThat(rmse(rec, img)).isLessThan(0.01);
    }

    @Test
    void rejectsWrongSinogramSize() {
        Fbp fbp =
                new Fbp(
                        ParallelBeam2d.uniform(10, 180, 15),
                        ImageGrid2d.square(10),
                        FbpFilter.ramLak());
        assertThatThrownBy(() -> fbp.reconstruct(new double[149]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("149")
                .hasMessageContaining("10 views x 15 detectors");
        assertThatThrownBy(() -> FilterType.parse("butterworth"))
                .hasMessageContaining("butterworth");
        assertThatThrownBy(() -> new FbpFilter(FilterType.HANN, 0)).hasMessageContaining("cutoff");
    }

    static double rmse(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s / a.length);
    }

    static double rmseInside(double[] a, double[] b, int n) {
        double s = 0;
        int cnt = 0;
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                double x = c - (n - 1) / 2.0;
                double y = (n - 1) / 2.0 - r;
                if (x * x + y * y < 0.25 * n * n) {
                    s += Math.pow(a[r * n + c] - b[r * n + c], 2);
                    cnt++;
                }
            }
        }
        return Math.sqrt(s / cnt);
    }

    static double mean(double[] a, int n, double radiusFraction) {
        double s = 0;
        int cnt = 0;
        double rr = radiusFraction * n;
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                double x = c - (n - 1) / 2.0;
                double y = (n - 1) / 2.0 - r;
                if (x * x + y * y < rr * rr) {
                    s += a[r * n + c];
                    cnt++;
                }
            }
        }
        return s / cnt;
    }
}
