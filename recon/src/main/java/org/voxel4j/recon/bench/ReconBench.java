package org.voxel4j.recon.bench;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.voxel4j.nn.io.AtomicFiles;
import org.voxel4j.recon.Parallel;
import org.voxel4j.recon.fbp.Fbp;
import org.voxel4j.recon.fbp.FbpFilter;
import org.voxel4j.recon.geometry.ImageGrid2d;
import org.voxel4j.recon.geometry.ParallelBeam2d;
import org.voxel4j.recon.metrics.ImageMetrics;
import org.voxel4j.recon.metrics.SsimOptions;
import org.voxel4j.recon.phantom.Phantoms;
import org.voxel4j.recon.phantom.SheppLogan;
import org.voxel4j.recon.project.Projector;
import org.voxel4j.recon.project.Projectors;

/**
 * The recon benchmark workloads, timed as medians, printed as one JSON object: the Java side of
 * {@code benchmarks/compare/recon_skimage.py}, which times scikit-image on the same data.
 *
 * <ul>
 *   <li>{@code fbp-256-180}: parallel-beam FBP (ram-lak) of the analytic modified Shepp–Logan
 *       sinogram of a 256² image, 180 views over 180°, 363 detectors; also the RMSE against the
 *       phantom sampled at pixel centres, on voxel4j's grid (rotation axis at the image centre) and
 *       on scikit-image's (axis on pixel (128, 128)).
 *   <li>{@code radon-256-180}: forward projection (Joseph) of the 256² phantom, same geometry.
 *   <li>{@code ssim3d-256}: SynthRAD2023 SSIM (uniform 7³, sample covariance, R = 4024, crop 3) of
 *       two 256³ volumes, timed on the already clipped and shifted volumes, as {@code
 *       structural_similarity(a, b, win_size=7, data_range=4024)} is.
 * </ul>
 *
 * <p>Usage: {@code ReconBench [--workload NAME|all] [--repeats N] [--inputs DIR] [--threads N]}.
 * With {@code --inputs DIR}, the inputs are also written there as .npy (float64 sinogram, float32
 * volumes) so that the Python side reads exactly the same data.
 */
public final class ReconBench {
    static final int N = 256;
    static final int VIEWS = 180;
    static final int DETECTORS = 363;

    private ReconBench() {}

    public static void main(String[] args) throws IOException {
        String workload = "all";
        int repeats = 10;
        Path inputs = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--workload" -> workload = args[++i];
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                case "--inputs" -> inputs = Path.of(args[++i]);
                case "--threads" -> Parallel.setThreads(Integer.parseInt(args[++i]));
                default -> {
                    System.err.println(
                            "usage: ReconBench [--workload fbp-256-180|radon-256-180|ssim3d-256|all]"
                                    + " [--repeats N] [--inputs DIR] [--threads N]");
                    System.exit(2);
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("threads", Parallel.threads());
        if (workload.equals("all") || workload.equals("fbp-256-180")) {
            out.put("fbp-256-180", fbp(repeats, inputs));
        }
        if (workload.equals("all") || workload.equals("radon-256-180")) {
            out.put("radon-256-180", radon(repeats));
        }
        if (workload.equals("all") || workload.equals("ssim3d-256")) {
            out.put("ssim3d-256", ssim3d(Math.max(3, repeats / 2), inputs));
        }
        System.out.println(toJson(out));
    }

    /** The analytic sinogram of the fbp workload, [views, detectors]. */
    public static double[] fbpSinogram() {
        return Phantoms.project(
                Phantoms.scale(SheppLogan.modified2d(), N / 2.0),
                ParallelBeam2d.uniform(VIEWS, 180, DETECTORS));
    }

    static Map<String, Object> fbp(int repeats, Path inputs) throws IOException {
        double[] sino = fbpSinogram();
        if (inputs != null) {
            writeNpy(inputs.resolve("fbp_sinogram.npy"), sino, new int[] {VIEWS, DETECTORS});
        }
        double[] truth = Phantoms.sheppLogan(N);
        Fbp fbp =
                new Fbp(
                        ParallelBeam2d.uniform(VIEWS, 180, DETECTORS),
                        ImageGrid2d.square(N),
                        FbpFilter.ramLak());
        double[][] rec = new double[1][];
        double ms = median(repeats, 3, () -> rec[0] = fbp.reconstruct(sino));
        double s = 0;
        for (int i = 0; i < truth.length; i++) {
            s += (rec[0][i] - truth[i]) * (rec[0][i] - truth[i]);
        }
        // the same sinogram reconstructed on scikit-image's pixel grid (rotation axis on pixel
        // (128, 128)), against the phantom sampled there: the like-for-like RMSE comparison
        ImageGrid2d skGrid = new ImageGrid2d(N, N, 1, -0.5, 0.5);
        double[] skTruth =
                Phantoms.rasterize(Phantoms.scale(SheppLogan.modified2d(), N / 2.0), skGrid, 1);
        double[] skRec =
                new Fbp(ParallelBeam2d.uniform(VIEWS, 180, DETECTORS), skGrid, FbpFilter.ramLak())
                        .reconstruct(sino);
        double s2 = 0;
        for (int i = 0; i < skTruth.length; i++) {
            s2 += (skRec[i] - skTruth[i]) * (skRec[i] - skTruth[i]);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("median_ms", ms);
        m.put("rmse", Math.sqrt(s / truth.length));
        m.put("rmse_on_skimage_grid", Math.sqrt(s2 / skTruth.length));
        if (inputs != null) {
            writeNpy(inputs.resolve("fbp_voxel4j_skimage_grid.npy"), skRec, new int[] {N, N});
        }
        return m;
    }

    static Map<String, Object> radon(int repeats) {
        double[] img = Phantoms.sheppLogan(N);
        ParallelBeam2d geo = ParallelBeam2d.uniform(VIEWS, 180, DETECTORS);
        Map<String, Object> m = new LinkedHashMap<>();
        for (Projector p :
                List.of(
                        Projectors.joseph(geo, ImageGrid2d.square(N)),
                        Projectors.siddon(geo, ImageGrid2d.square(N)))) {
            double[] sino = new double[p.projectionSize()];
            double ms = median(repeats, 3, () -> p.forward(img, sino));
            m.put(
                    ((org.voxel4j.recon.project.Projector2d) p)
                                    .type()
                                    .name()
                                    .toLowerCase(Locale.ROOT)
                            + "_median_ms",
                    ms);
        }
        m.put("median_ms", m.get("joseph_median_ms"));
        return m;
    }

    /** Two 256³ HU volumes: 3D Shepp–Logan mapped to [−1000, 1000] and a noisy, biased copy. */
    public static float[][] ssimVolumes() {
        double[] ph = Phantoms.sheppLogan3d(N);
        float[] a = new float[ph.length];
        float[] b = new float[ph.length];
        SplittableRandom rnd = new SplittableRandom(2024);
        for (int i = 0; i < ph.length; i++) {
            a[i] = (float) Math.rint(ph[i] * 2000 - 1000);
            b[i] =
                    (float)
                            Math.rint(
                                    a[i]
                                            + 40 * (rnd.nextDouble() - 0.5) * 2
                                            + (ph[i] > 0.25 ? 15 : 0));
        }
        return new float[][] {a, b};
    }

    static Map<String, Object> ssim3d(int repeats, Path inputs) throws IOException {
        float[][] v = ssimVolumes();
        if (inputs != null) {
            writeNpy(inputs.resolve("ssim_a.npy"), v[0], new int[] {N, N, N});
            writeNpy(inputs.resolve("ssim_b.npy"), v[1], new int[] {N, N, N});
        }
        double[] a = new double[v[0].length];
        double[] b = new double[v[0].length];
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.min(3000, Math.max(-1024, v[0][i])) + 1024;
            b[i] = Math.min(3000, Math.max(-1024, v[1][i])) + 1024;
        }
        int[] shape = {N, N, N};
        double[] val = new double[1];
        double ms =
                median(
                        repeats,
                        1,
                        () ->
                                val[0] =
                                        ImageMetrics.ssim(
                                                a,
                                                b,
                                                shape,
                                                null,
                                                SsimOptions.synthrad2023(),
                                                4024));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("median_ms", ms);
        m.put("ssim", val[0]);
        return m;
    }

    static double median(int repeats, int warmup, Runnable r) {
        for (int i = 0; i < warmup; i++) {
            r.run();
        }
        double[] t = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return repeats % 2 == 1 ? t[repeats / 2] : 0.5 * (t[repeats / 2 - 1] + t[repeats / 2]);
    }

    /** Writes a little-endian C-order .npy (f8 for double[], f4 for float[]) atomically. */
    static void writeNpy(Path path, Object data, int[] shape) throws IOException {
        boolean dbl = data instanceof double[];
        int n = dbl ? ((double[]) data).length : ((float[]) data).length;
        StringBuilder sh = new StringBuilder();
        for (int s : shape) {
            sh.append(s).append(", ");
        }
        String dict =
                "{'descr': '"
                        + (dbl ? "<f8" : "<f4")
                        + "', 'fortran_order': False, 'shape': ("
                        + (shape.length == 1 ? shape[0] + "," : sh.substring(0, sh.length() - 2))
                        + "), }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        AtomicFiles.write(
                path,
                os -> {
                    DataOutputStream out = new DataOutputStream(os);
                    out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
                    byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
                    out.write(h.length & 0xff);
                    out.write(h.length >> 8);
                    out.write(h);
                    ByteBuffer bb = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < n; i++) {
                        if (bb.remaining() < 8) {
                            out.write(bb.array(), 0, bb.position());
                            bb.clear();
                        }
                        if (dbl) {
                            bb.putDouble(((double[]) data)[i]);
                        } else {
                            bb.putFloat(((float[]) data)[i]);
                        }
                    }
                    out.write(bb.array(), 0, bb.position());
                    out.flush();
                });
    }

    static String toJson(Object o) {
        if (o instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            for (var e : m.entrySet()) {
                parts.add("\"" + e.getKey() + "\": " + toJson(e.getValue()));
            }
            return "{" + String.join(", ", parts) + "}";
        }
        if (o instanceof Double d) {
            return Double.isFinite(d) ? Double.toString(d) : "null";
        }
        return String.valueOf(o);
    }
}
