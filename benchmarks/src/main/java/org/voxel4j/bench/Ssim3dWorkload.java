package org.voxel4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.io.NpyIO;
import org.voxel4j.recon.bench.ReconBench;
import org.voxel4j.recon.metrics.ImageMetrics;
import org.voxel4j.recon.metrics.SsimOptions;

/**
 * {@code ssim3d-256}: SynthRAD2023 SSIM (uniform 7³ window, sample covariance, data range 4024,
 * crop 3) of two 256³ HU volumes (3D Shepp–Logan mapped to [−1000, 1000] and a noisy, biased copy),
 * timed on the already clipped and shifted volumes as {@code
 * skimage.metrics.structural_similarity(a, b, win_size=7, data_range=4024)} is. Metric: the SSIM
 * value. scikit-image twin: {@code benchmarks/compare/recon_skimage.py}.
 */
public final class Ssim3dWorkload implements Workload {
    private static final int N = 256;
    private float[][] raw;
    private double[] a;
    private double[] b;
    private double last = Double.NaN;

    @Override
    public String name() {
        return "ssim3d-256";
    }

    @Override
    public String description() {
        return "SynthRAD2023 SSIM (7^3 uniform, data range 4024) of two 256^3 volumes";
    }

    @Override
    public void setUp() {
        raw = ReconBench.ssimVolumes();
        a = new double[raw[0].length];
        b = new double[raw[0].length];
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.min(3000, Math.max(-1024, raw[0][i])) + 1024;
            b[i] = Math.min(3000, Math.max(-1024, raw[1][i])) + 1024;
        }
    }

    @Override
    public void run() {
        last = ImageMetrics.ssim(a, b, new int[] {N, N, N}, null, SsimOptions.synthrad2023(), 4024);
    }

    @Override
    public Map<String, Double> metrics() {
        return Double.isNaN(last) ? Map.of() : Map.of("ssim", last);
    }

    @Override
    public void exportInputs(Path dir) throws IOException {
        Files.createDirectories(dir);
        NpyIO.writeArray(Nd4j.create(raw[0], new long[] {N, N, N}, 'c'), dir.resolve("ssim_a.npy"));
        NpyIO.writeArray(Nd4j.create(raw[1], new long[] {N, N, N}, 'c'), dir.resolve("ssim_b.npy"));
    }

    @Override
    public void close() {
        raw = null;
        a = null;
        b = null;
    }
}
