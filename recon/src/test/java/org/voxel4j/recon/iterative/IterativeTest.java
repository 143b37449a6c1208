package org.voxel4j.recon.iterative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealVector;
import org.junit.jupiter.api.Test;
import org.voxel4j.recon.Fixtures;
import org.voxel4j.recon.geometry.ImageGrid2d;
import org.voxel4j.recon.geometry.ParallelBeam2d;
import org.voxel4j.recon.phantom.Phantoms;
import org.voxel4j.recon.project.Projector;
import org.voxel4j.recon.project.Projectors;

class IterativeTest {
    @Test
    void chambolleMatchesSkimage() {
        var in2 = Fixtures.npy("tv/tv2d_in.npy");
        double[] ref2 = Fixtures.npy("tv/tv2d_out_w0.15.npy").data();
        double[] out2 = TvDenoise.chambolle(in2.data(), in2.shape(), 0.15, 2e-4, 200);
        for (int i = 0; i < ref2.length; i++) {
            assertThat(out2[i]).isCloseTo(ref2[i], within(1e-12));
        }
        var in3 = Fixtures.npy("tv/tv3d_in.npy");
        double[] ref3 = Fixtures.npy("tv/tv3d_out_w0.3.npy").data();
        double[] out3 = TvDenoise.chambolle(in3.data(), in3.shape(), 0.3, 2e-4, 200);
        for (int i = 0; i < ref3.length; i++) {
            assertThat(out3[i]).isCloseTo(ref3[i], within(1e-12));
        }
    }

    @Test
    void cglsConvergesToTheLeastSquaresSolution() {
        // 8x8 image, 12 views x 13 detectors: an overdetermined, full-rank system
        int n = 8;
        ParallelBeam2d geo = ParallelBeam2d.uniform(12, 180, 13);
        Projector a = Projectors.siddon(geo, ImageGrid2d.square(n));
        double[][] dense = new double[a.projectionSize()][n * n];
        double[] e = new double[n * n];
        double[] col = new double[a.projectionSize()];
        for (int j = 0; j < n * n; j++) {
            e[j] = 1;
            a.forward(e, col);
            e[j] = 0;
            for (int i = 0; i < col.length; i++) {
                dense[i][j] = col[i];
            }
        }
        double[] b = new Random(4).doubles(a.projectionSize(), 0, 5).toArray(); // inconsistent
        RealVector ls =
                new QRDecomposition(new Array2DRowRealMatrix(dense, false))
                        .getSolver()
                        .solve(new ArrayRealVector(b));
        IterativeResult r =
                IterativeReconstruction.cgls(a, b, IterativeOptions.of(200).withTolerance(1e-14));
        for (int j = 0; j < n * n; j++) {
            assertThat(r.image()[j])
                    .isCloseTo(ls.getEntry(j), within(1e-6 * (1 + Math.abs(ls.getEntry(j)))));
        }
    }

    @Test
    void sirtAndOsSartReduceResidualAndErrorMonotonically() {
        int n = 32;
        double[] truth = Phantoms.sheppLogan(n);
        ParallelBeam2d geo = ParallelBeam2d.uniform(45, 180, 47);
        Projector a = Projectors.joseph(geo, ImageGrid2d.square(n));
        double[] b = new double[a.projectionSize()];
        a.forward(truth, b);
        IterativeResult sirt = IterativeReconstruction.sirt(a, b, IterativeOptions.of(40));
        IterativeResult sart =
                IterativeReconstruction.sart(a, b, IterativeOptions.of(40).withSubsets(9));
        for (IterativeResult r : List.of(sirt, sart)) {
            double[] res = r.residuals();
            for (int i = 1; i < res.length; i++) {
                assertThat(res[i]).isLessThanOrEqualTo(res[i - 1] * (1 + 1e-9));
            }
        }
        // ordered subsets converge faster per pass
        assertThat(sart.residuals()[9]).isLessThan(sirt.residuals()[9]);
        // on consistent data, 40 OS-SART passes beat FBP from the same 45 views
        double fbp =
                rmse(
                        new org.voxel4j.recon.fbp.Fbp(
                                        geo,
                                        ImageGrid2d.square(n),
                                        org.voxel4j.recon.fbp.FbpFilter.ramLak())
                                .reconstruct(b),
                        truth);
        assertThat(rmse(sart.image(), truth)).isLessThan(fbp);
        assertThat(rmse(sirt.image(), truth))
                .isLessThan(rmse(new double[truth.length], truth) * 0.5);
    }

    @Test
    void constraintsToleranceAndProgress() {
        int n = 24;
        double[] truth = Phantoms.sheppLogan(n);
        ParallelBeam2d geo = ParallelBeam2d.uniform(10, 180, 35);
        Projector a = Projectors.joseph(geo, ImageGrid2d.square(n));
        double[] b = new double[a.projectionSize()];
        a.forward(truth, b);
        Random rnd = new Random(2);
        for (int i = 0; i < b.length; i++) {
            b[i] += rnd.nextGaussian() * 0.5;
        }
        List<Integer> seen = new ArrayList<>();
        IterativeOptions o =
                IterativeOptions.of(500)
                        .withNonNegative(true)
                        .withTolerance(1e-3)
                        .withListener((it, total, res) -> seen.add(it));
        IterativeResult r = IterativeReconstruction.sirt(a, b, o);
        assertThat(r.converged()).isTrue();
        assertThat(r.iterations()).isLessThan(500);
        assertThat(seen).hasSize(r.iterations());
        assertThat(seen.get(0)).isEqualTo(1);
        for (double v : r.image()) {
            assertThat(v).isGreaterThanOrEqualTo(0);
        }
        // TV regularisation makes the sparse-view, noisy reconstruction smoother and closer
        IterativeResult plain =
                IterativeReconstruction.sart(a, b, IterativeOptions.of(30).withSubsets(5));
        IterativeResult tv =
                IterativeReconstruction.sart(
                        a, b, IterativeOptions.of(30).withSubsets(5).withTv(0.05));
        assertThat(rmse(tv.image(), truth)).isLessThan(rmse(plain.image(), truth));
        IterativeResult cg =
                IterativeReconstruction.cgls(a, b, IterativeOptions.of(15).withNonNegative(true));
        for (double v : cg.image()) {
            assertThat(v).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void rejectsBadOptionsAndData() {
        assertThatThrownBy(() -> IterativeOptions.of(0)).hasMessageContaining("iterations");
        assertThatThrownBy(() -> IterativeOptions.of(3).withRelaxation(2.5))
                .hasMessageContaining("2.5");
        Projector a = Projectors.joseph(ParallelBeam2d.uniform(4, 180, 9), ImageGrid2d.square(6));
        assertThatThrownBy(
                        () ->
                                IterativeReconstruction.cgls(
                                        a, new double[5], IterativeOptions.of(2)))
                .hasMessageContaining("[4, 9]");
    }

    static double rmse(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s / a.length);
    }
}
