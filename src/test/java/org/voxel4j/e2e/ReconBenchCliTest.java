package org.voxel4j.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxel4j.nn.io.NpyIO;

/** {@code voxel4j bench} with the recon workloads. */
class ReconBenchCliTest {

    @TempDir Path dir;

    @Test
    void listsTheReconWorkloads() {
        Cli.Run r = Cli.run("bench", "--list");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("fbp-256-180").contains("ssim3d-256");
    }

    @Test
    void fbpWorkloadReportsItsRmseAndExportsItsInputs() throws Exception {
        Path inputs = dir.resolve("inputs");
        Cli.Run r =
                Cli.run(
                        "bench", "--workload", "fbp-256-180", "--runs", "1", "--warmup", "0",
                        "--json", "--inputs", inputs.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = r.json();
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
