package org.voxel4j.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxel4j.cli.Main;
import org.voxel4j.nn.io.NpyIO;

/** {@code voxel4j bench} with the recon workloads. */
class ReconBenchCliTest {

    @TempDir Path dir;

    static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void listsTheReconWorkloads() {
        String[] r = run("bench", "--list");
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).contains("fbp-256-180").contains("ssim3d-256");
    }

    @Test
    void fbpWorkloadReportsItsRmseAndExportsItsInputs() throws Exception {
        Path inputs = dir.resolve("inputs");
        String[] r =
                run(
                        "bench", "--workload", "fbp-256-180", "--runs", "1", "--warmup", "0",
                        "--json", "--inputs", inputs.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        JsonNode j = new ObjectMapper().readTree(r[1]);
        assertThat(j.get("workload").asText()).isEqualTo("fbp-256-180");
        assertThat(j.get("median_ms").asDouble()).isPositive();
        // scikit-image's iradon reaches 0.0456569 on its grid (benchmarks/compare/recon_skimage.py)
        assertThat(j.get("metrics").get("rmse_on_skimage_grid").asDouble())
                .isBetween(0.0456, 0.0457);
        assertThat(Files.exists(inputs.resolve("fbp_sinogram.npy"))).isTrue();
        assertThat(NpyIO.readArray(inputs.resolve("fbp_sinogram.npy")).shape())
                .containsExactly(180, 363);
    }
}
