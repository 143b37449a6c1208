package org.voxel4j.recon.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxel4j.recon.geometry.Angles;
import org.voxel4j.recon.geometry.ConeBeam3d;
import org.voxel4j.recon.geometry.VolumeGrid3d;
import org.voxel4j.recon.phantom.Ellipsoid;
import org.voxel4j.recon.phantom.Phantoms;
import org.voxel4j.recon.project.ProjectorType;

class SimulationTest {
    @Test
    void hounsfieldConversion() {
        double w = HuConversion.MU_WATER_PER_CM;
        assertThat(HuConversion.muFromHu(0, w)).isEqualTo(0.192);
        assertThat(HuConversion.muFromHu(-1000, w)).isCloseTo(0, within(1e-15));
        assertThat(HuConversion.muFromHu(1000, w)).isCloseTo(0.384, within(1e-15));
        assertThat(HuConversion.huFromMu(HuConversion.muFromHu(437.5, w), w))
                .isCloseTo(437.5, within(1e-9));
        double[] mu = HuConversion.muFromHu(new double[] {-1024, 0}, w, true);
        assertThat(mu[0]).isZero();
        // 0.8 mm pixels: water attenuates 0.192/cm * 0.08 cm = 0.01536 per pixel
        assertThat(HuConversion.perPixel(0.192, 0.8)).isCloseTo(0.01536, within(1e-15));
        assertThatThrownBy(() -> HuConversion.muFromHu(new double[1], 0, false))
                .hasMessageContaining("mu_water");
    }

    @Test
    void sparseAndLimitedAngleViews() {
        assertThat(ViewSampling.sparse(720, 18)).hasSize(18).startsWith(0, 40, 80).endsWith(680);
        for (int k : new int[] {18, 36, 72, 144}) {
            int[] idx = ViewSampling.sparse(720, k);
            assertThat(idx[1] - idx[0]).isEqualTo(720 / k);
        }
        double[] angles = Angles.uniform(360, 360);
        int[] lim = ViewSampling.limitedAngle(angles, 350, 30); // wraps around 0
        assertThat(lim).hasSize(30).startsWith(0, 1).endsWith(358, 359);
        double[] sino = new double[720 * 3];
        for (int i = 0; i < sino.length; i++) {
            sino[i] = i;
        }
        double[] sub = ViewSampling.select(sino, 3, new int[] {2, 719});
        assertThat(sub).containsExactly(6, 7, 8, 2157, 2158, 2159);
        assertThatThrownBy(() -> ViewSampling.sparse(10, 11)).hasMessageContaining("11 of 10");
    }

    @Test
    void lowDoseNoiseHasTheModelledStatistics() {
        int n = 200_000;
        double p = 2.0;
        double i0 = 1e4;
        double sigmaE = 10;
        double[] clean = new double[n];
        java.util.Arrays.fill(clean, p);
        double[] noisy = LowDose.simulate(clean, i0, sigmaE, 7);
        double mean = 0;
        for (double v : noisy) {
            mean += v;
        }
        mean /= n;
        double var = 0;
        for (double v : noisy) {
            var += (v - mean) * (v - mean);
        }
        var /= n - 1;
        // delta method: var(-ln(N/I0)) = var(N) / E[N]^2, var(N) = I0 e^-p + sigma_e^2
        double expectedCounts = i0 * Math.exp(-p);
        double expectedVar = (expectedCounts + sigmaE * sigmaE) / (expectedCounts * expectedCounts);
        assertThat(mean).isCloseTo(p, within(0.002));
        assertThat(var).isCloseTo(expectedVar, within(0.03 * expectedVar));
        // seeded: reproducible, and a different seed gives different noise
        assertThat(java.util.Arrays.equals(LowDose.simulate(clean, i0, sigmaE, 7), noisy)).isTrue();
        assertThat(LowDose.simulate(clean, i0, sigmaE, 8)[0]).isNotEqualTo(noisy[0]);
        // photon starvation stays finite
        double[] starved = LowDose.simulate(new double[] {30}, 1e3, 0, 1);
        assertThat(starved[0]).isCloseTo(Math.log(1e3), within(1e-12));
    }

    @Test
    void poissonSamplerFollowsThePmf() {
        var rng = new org.apache.commons.math3.random.Well19937c(3);
        for (double lambda : new double[] {0.7, 4.5, 12, 80, 2500}) {
            var ref = new org.apache.commons.math3.distribution.PoissonDistribution(lambda);
            int n = 100_000;
            java.util.Map<Long, Integer> counts = new java.util.HashMap<>();
            double sum = 0;
            for (int i = 0; i < n; i++) {
                long k = LowDose.poisson(rng, lambda);
                counts.merge(k, 1, Integer::sum);
                sum += k;
            }
            assertThat(sum / n).isCloseTo(lambda, within(5 * Math.sqrt(lambda / n)));
            // chi-square over the bins with expected count >= 50
            double chi2 = 0;
            int bins = 0;
            long lo = (long) Math.max(0, lambda - 6 * Math.sqrt(lambda) - 2);
            long hi = (long) (lambda + 6 * Math.sqrt(lambda) + 2);
            for (long k = lo; k <= hi; k++) {
                double e = n * ref.probability((int) k);
                if (e >= 50) {
                    double o = counts.getOrDefault(k, 0);
                    chi2 += (o - e) * (o - e) / e;
                    bins++;
                }
            }
            // mean of chi2 is ~bins; 99.9% quantile < bins + 4.5 sqrt(2 bins) + 10
            assertThat(chi2)
                    .as("lambda " + lambda)
                    .isLessThan(bins + 4.5 * Math.sqrt(2.0 * bins) + 10);
        }
    }

    @Test
    void drrMatchesAnalyticLineIntegralsAndWritesPng(@TempDir Path dir) throws Exception {
        List<Ellipsoid> ph = List.of(new Ellipsoid(0.02, 20, 14, 24, 0, 3, -4, 10));
        VolumeGrid3d g = new VolumeGrid3d(40, 36, 48, 1.5, 1.0, 1.0);
        double[] mu = Phantoms.rasterize(ph, g, 2);
        ConeBeam3d geo = new ConeBeam3d(new double[] {0.3}, 50, 60, 1.6, 1.6, 300, 500, 0, 0);
        double[] drr = Drr.render(mu, g, geo, ProjectorType.JOSEPH);
        double[] exact = Phantoms.project(ph, geo);
        double num = 0;
        double den = 0;
        for (int i = 0; i < drr.length; i++) {
            num += Math.pow(drr[i] - exact[i], 2);
            den += exact[i] * exact[i];
        }
        assertThat(Math.sqrt(num / den)).isLessThan(0.03);
        Path png = dir.resolve("drr.png");
        Drr.writePng(png, drr, 0, 50, 60);
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(60);
        assertThat(img.getHeight()).isEqualTo(50);
        int max = 0;
        int argmax = -1;
        for (int i = 0; i < drr.length; i++) {
            if (argmax < 0 || drr[i] > drr[argmax]) {
                argmax = i;
            }
        }
        max = img.getRaster().getSample(argmax % 60, argmax / 60, 0);
        assertThat(max).isEqualTo(255); // most attenuation is brightest
        assertThat(img.getRaster().getSample(0, 0, 0)).isZero(); // corner misses the object
        try (var files = Files.list(dir)) {
            assertThat(files.count()).isEqualTo(1); // no temporary file left behind
        }
        assertThatThrownBy(() -> Drr.writePng(png, drr, 0, 51, 60))
                .hasMessageContaining("does not fit");
    }
}
