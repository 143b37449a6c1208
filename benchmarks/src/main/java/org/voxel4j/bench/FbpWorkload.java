package org.voxel4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.io.NpyIO;
import org.voxel4j.recon.bench.ReconBench;
import org.voxel4j.recon.fbp.Fbp;
import org.voxel4j.recon.fbp.FbpFilter;
import org.voxel4j.recon.geometry.ImageGrid2d;
import org.voxel4j.recon.geometry.ParallelBeam2d;
import org.voxel4j.recon.phantom.Phantoms;
import org.voxel4j.recon.phantom.SheppLogan;

/**
 * {@code fbp-256-180}: parallel-beam FBP (ram-lak) of a 256² image from the analytic modified
 * Shepp–Logan sinogram, 180 views over 180°, 363 detectors. Metrics: RMSE against the phantom
 * sampled at pixel centres, on voxel4j's grid and on scikit-image's (rotation axis on pixel (128,
 * 128)). scikit-image twin: {@code benchmarks/compare/recon_skimage.py}.
 */
public final class FbpWorkload implements Workload {
    private static final int N = 256;
    private double[] sinogram;
    private Fbp fbp;
    private double[] last;

    @Override
    public String name() {
        return "fbp-256-180";
    }

    @Override
    public String description() {
        return "parallel-beam FBP 256^2, 180 views/180 deg, 363 detectors, ram-lak (analytic Shepp-Logan)";
    }

    @Override
    public void setUp() {
        sinogram = ReconBench.fbpSinogram();
        fbp =
                new Fbp(
                        ParallelBeam2d.uniform(180, 180, 363),
                        ImageGrid2d.square(N),
                        FbpFilter.ramLak());
    }

    @Override
    public void run() {
        last = fbp.reconstruct(sinogram);
    }

    @Override
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        if (last != null) {
            m.put("rmse", rmse(last, Phantoms.sheppLogan(N)));
            m.put("rmse_on_skimage_grid", rmse(skimageGrid(), skimageTruth()));
        }
        return m;
    }

    @Override
    public void exportInputs(Path dir) throws IOException {
        Files.createDirectories(dir);
        NpyIO.writeArray(
                Nd4j.create(sinogram, new long[] {180, 363}, 'c'), dir.resolve("fbp_sinogram.npy"));
        NpyIO.writeArray(
                Nd4j.create(skimageGrid(), new long[] {N, N}, 'c'),
                dir.resolve("fbp_voxel4j_skimage_grid.npy"));
    }

    /** The same sinogram reconstructed on scikit-image's pixel grid (axis on pixel (128, 128)). */
    private double[] skimageGrid() {
        return new Fbp(
                        ParallelBeam2d.uniform(180, 180, 363),
                        new ImageGrid2d(N, N, 1, -0.5, 0.5),
                        FbpFilter.ramLak())
                .reconstruct(sinogram);
    }

    private static double[] skimageTruth() {
        return Phantoms.rasterize(
                Phantoms.scale(SheppLogan.modified2d(), N / 2.0),
                new ImageGrid2d(N, N, 1, -0.5, 0.5),
                1);
    }

    private static double rmse(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s / a.length);
    }
}
