package org.voxel4j.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.io.NpyIO;
import org.voxel4j.nn.io.Volume;
import org.voxel4j.nn.io.VolumeIO;
import org.voxel4j.recon.metrics.ImageMetrics;
import org.voxel4j.recon.metrics.ImageQuality;
import org.voxel4j.recon.metrics.SsimPreset;
import org.voxel4j.recon.phantom.Phantoms;

/** End-to-end tests of {@code voxel4j recon ...} and {@code voxel4j metrics image}. */
class ReconCliTest {

    @TempDir Path dir;

    Path phantom(int n) throws IOException {
        Path p = dir.resolve("phantom.npy");
        NpyIO.writeArray(
                Nd4j.create(Phantoms.sheppLogan(n), new long[] {n, n}, 'c')
                        .castTo(DataType.FLOAT),
                p);
        return p;
    }

    static double rmse(INDArray a, INDArray b) {
        INDArray d = a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE));
        return Math.sqrt(d.mul(d).meanNumber().doubleValue());
    }

    @Test
    void radonThenFbpReconstructsThePhantom() throws IOException {
        Path img = phantom(64);
        Path sino = dir.resolve("sino.npy");
        Cli.Run r =
                Cli.run(
                        "recon", "radon", "--in", img.toString(), "--views", "90", "--out",
                        sino.toString(), "--json");
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        JsonNode j = r.json();
        assertThat(j.get("shape").toString()).isEqualTo("[90,91]"); // ceil(sqrt(2)*64) = 91
        assertThat(NpyIO.readArray(sino).shape()).containsExactly(90, 91);

        Path rec = dir.resolve("rec.npy");
        r =
                Cli.run(
                        "recon", "fbp", "--in", sino.toString(), "--arc", "180", "--size", "64",
                        "--filter", "ram-lak", "--out", rec.toString(), "--json");
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        assertThat(r.json().get("filter").asText()).isEqualTo("ram-lak");
        INDArray out = NpyIO.readArray(rec);
        assertThat(out.shape()).containsExactly(64, 64);
        assertThat(rmse(out, NpyIO.readArray(img))).isLessThan(0.1);

        // a 360° arc with the same views halves the angular step: still a valid reconstruction
        Path sino360 = dir.resolve("sino360.npy");
        assertThat(
                        Cli.run(
                                        "recon", "radon", "--in", img.toString(), "--views",
                                        "120", "--arc", "360", "--out", sino360.toString())
                                .code())
                .isEqualTo(0);
        Path rec360 = dir.resolve("rec360.npy");
        assertThat(
                        Cli.run(
                                        "recon", "fbp", "--in", sino360.toString(), "--arc",
                                        "360", "--size", "64", "--out", rec360.toString())
                                .code())
                .isEqualTo(0);
        assertThat(rmse(NpyIO.readArray(rec360), NpyIO.readArray(img))).isLessThan(0.1);
    }

    @Test
    void fanBeamAndNiftiFiles() throws IOException {
        Path npy = phantom(48);
        Path nii = dir.resolve("phantom.nii.gz");
        VolumeIO.write(Volume.of(NpyIO.readArray(npy)), nii);
        Path sino = dir.resolve("fan.nii.gz");
        Cli.Run r =
                Cli.run(
                        "recon", "radon", "--in", nii.toString(), "--views", "180", "--arc",
                        "360", "--geometry", "fan", "--sod", "100", "--sdd", "200", "--out",
                        sino.toString(), "--json");
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        // ceil(sqrt(2)*48) = 68 -> 69 detectors, pitch SDD/SOD = 2 pixels on the detector
        assertThat(r.json().get("shape").toString()).isEqualTo("[180,69]");
        Path rec = dir.resolve("fan_rec.nii.gz");
        r =
                Cli.run(
                        "recon", "fbp", "--in", sino.toString(), "--arc", "360", "--size", "48",
                        "--geometry", "fan", "--sod", "100", "--sdd", "200", "--out",
                        rec.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        assertThat(r.out()).startsWith("wrote ");
        INDArray out = VolumeIO.read(rec).data();
        assertThat(rmse(out.reshape(48, 48), NpyIO.readArray(npy))).isLessThan(0.1);
    }

    @Test
    void iterativeSolvers() throws IOException {
        Path img = phantom(32);
        Path sino = dir.resolve("sino.npy");
        assertThat(
                        Cli.run(
                                        "recon", "radon", "--in", img.toString(), "--views",
                                        "45", "--out", sino.toString())
                                .code())
                .isEqualTo(0);
        for (String m : List.of("sirt", "cgls")) {
            Path rec = dir.resolve(m + ".npy");
            Cli.Run r =
                    Cli.run(
                            "recon", m, "--in", sino.toString(), "--size", "32", "--iterations",
                            "20", "--nonneg", "--out", rec.toString(), "--json");
            assertThat(r.code()).as(m + ": " + r.err()).isEqualTo(0);
            JsonNode j = r.json();
            assertThat(j.get("command").asText()).isEqualTo(m);
            assertThat(j.get("iterations").asInt()).isEqualTo(20);
            assertThat(j.get("residual").asDouble()).isLessThan(0.2);
            assertThat(rmse(NpyIO.readArray(rec), NpyIO.readArray(img))).isLessThan(0.15);
        }
    }

    @Test
    void coneBeamRadonAndFdk() throws IOException {
        int n = 16;
        INDArray vol = Nd4j.create(Phantoms.sheppLogan3d(n), new long[] {n, n, n}, 'c');
        Path v = dir.resolve("vol.npy");
        NpyIO.writeArray(vol.castTo(DataType.FLOAT), v);
        Path proj = dir.resolve("proj.npy");
        Cli.Run r =
                Cli.run(
                        "recon", "radon", "--in", v.toString(), "--views", "60", "--arc", "360",
                        "--geometry", "cone", "--sod", "60", "--sdd", "90", "--out",
                        proj.toString(), "--json");
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        assertThat(r.json().get("shape").toString()).isEqualTo("[60,23,23]");
        Path rec = dir.resolve("fdk.npy");
        r =
                Cli.run(
                        "recon", "fdk", "--in", proj.toString(), "--arc", "360", "--sod", "60",
                        "--sdd", "90", "--size", "16", "--out", rec.toString(), "--json");
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        INDArray out = NpyIO.readArray(rec);
        assertThat(out.shape()).containsExactly(16, 16, 16);
        assertThat(rmse(out, vol)).isLessThan(0.15);
    }

    @Test
    void imageMetrics() throws IOException {
        Nd4j.getRandom().setSeed(3);
        INDArray ref = Nd4j.rand(DataType.DOUBLE, 20, 24).muli(3000).subi(1000);
        INDArray pred = ref.add(Nd4j.randn(DataType.DOUBLE, 20, 24).muli(50));
        Path a = dir.resolve("pred.npy");
        Path b = dir.resolve("ref.npy");
        NpyIO.writeArray(pred, a);
        NpyIO.writeArray(ref, b);
        Cli.Run r = Cli.run("metrics", "image", "--pred", a.toString(), "--ref", b.toString(), "--json");
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        JsonNode j = r.json();
        List<String> keys = new ArrayList<>();
        j.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("mae", "psnr", "ssim");
        ImageQuality q = ImageMetrics.evaluate(pred, ref, null, SsimPreset.SYNTHRAD2023, Double.NaN);
        assertThat(j.get("mae").asDouble()).isEqualTo(q.mae());
        assertThat(j.get("psnr").asDouble()).isEqualTo(q.psnr());
        assertThat(j.get("ssim").asDouble()).isEqualTo(q.ssim());
        assertThat(q.mae()).isBetween(30.0, 50.0); // E|N(0, 50)| = 39.9

        r =
                Cli.run(
                        "metrics", "image", "--pred", b.toString(), "--ref", b.toString(),
                        "--preset", "wang", "--data-range", "4000", "--json");
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        assertThat(r.json().get("mae").asDouble()).isEqualTo(0.0);
        assertThat(r.json().get("psnr").isNull()).isTrue(); // infinite: null in JSON
        assertThat(r.json().get("ssim").asDouble()).isEqualTo(1.0);

        INDArray mask = Nd4j.zeros(DataType.FLOAT, 20, 24);
        mask.get(
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(4, 16),
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(4, 20))
                .assign(1);
        Path m = dir.resolve("mask.npy");
        NpyIO.writeArray(mask, m);
        r =
                Cli.run(
                        "metrics", "image", "--pred", a.toString(), "--ref", b.toString(),
                        "--mask", m.toString(), "--json");
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        ImageQuality qm = ImageMetrics.evaluate(pred, ref, mask, SsimPreset.SYNTHRAD2023, Double.NaN);
        assertThat(r.json().get("ssim").asDouble()).isEqualTo(qm.ssim());
    }

    @Test
    void badInputGivesOneLineAndExitCode2() throws IOException {
        Path img = phantom(16);
        Path missing = dir.resolve("nope.npy");
        List<String[]> bad =
                List.of(
                        new String[] {"recon", "radon", "--in", missing.toString(), "--views", "10", "--out", dir.resolve("s.npy").toString()},
                        new String[] {"recon", "radon", "--in", img.toString(), "--views", "0", "--out", dir.resolve("s.npy").toString()},
                        new String[] {"recon", "radon", "--in", img.toString(), "--views", "10", "--geometry", "helix", "--out", dir.resolve("s.npy").toString()},
                        new String[] {"recon", "radon", "--in", img.toString(), "--views", "10", "--geometry", "fan", "--out", dir.resolve("s.npy").toString()},
                        new String[] {"recon", "radon", "--in", img.toString(), "--views", "10", "--out", dir.resolve("s.txt").toString()},
                        new String[] {"recon", "fbp", "--in", img.toString(), "--size", "16", "--filter", "butterworth", "--out", dir.resolve("r.npy").toString()},
                        new String[] {"recon", "fbp", "--in", img.toString(), "--size", "16", "--arc", "400", "--out", dir.resolve("r.npy").toString()},
                        new String[] {"recon", "fdk", "--in", img.toString(), "--size", "16", "--sod", "50", "--sdd", "80", "--out", dir.resolve("r.npy").toString()},
                        new String[] {"recon", "sirt", "--in", img.toString(), "--size", "16", "--out", dir.resolve("r.npy").toString()},
                        new String[] {"metrics", "image", "--pred", img.toString(), "--ref", img.toString(), "--preset", "wang"},
                        new String[] {"metrics", "image", "--pred", img.toString(), "--ref", img.toString(), "--preset", "ssim9"},
                        new String[] {"recon"});
        for (String[] args : bad) {
            Cli.Run r = Cli.run(args);
            assertThat(r.code()).as(String.join(" ", args) + "\n" + r.err()).isEqualTo(2);
            assertThat(r.out()).as(String.join(" ", args)).isEmpty();
            assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
            assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] args :
                List.of(
                        new String[] {"recon", "--help"},
                        new String[] {"recon", "radon", "--help"},
                        new String[] {"recon", "fbp", "--help"},
                        new String[] {"recon", "fdk", "--help"},
                        new String[] {"recon", "sirt", "--help"},
                        new String[] {"recon", "cgls", "--help"},
                        new String[] {"metrics", "image", "--help"})) {
            Cli.Run r = Cli.run(args);
            assertThat(r.code()).isEqualTo(0);
            assertThat(r.out()).contains("Usage:");
        }
    }
}
