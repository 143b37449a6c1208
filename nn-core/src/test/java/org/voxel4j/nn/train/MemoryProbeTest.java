package org.voxel4j.nn.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.InputSpec;
import org.voxel4j.nn.Model;
import org.voxel4j.nn.OffHeapMemory;
import org.voxel4j.nn.layers.Activation;
import org.voxel4j.nn.layers.Conv;
import org.voxel4j.nn.layers.Sequential;
import org.voxel4j.nn.optim.Adam;

/**
 * Training for 200 steps must not grow the resident set without bound. Runs in a fresh JVM so the
 * measurement is not disturbed by other tests.
 */
public class MemoryProbeTest {

    /** Entry point of the child JVM: trains and prints the RSS (MB) after every step. */
    public static void main(String[] a) throws Exception {
        int steps = Integer.parseInt(a[0]);
        Model m =
                Model.create(
                        Sequential.of(
                                Conv.conv3d(1, 16, 3),
                                Activation.relu(),
                                Conv.conv3d(16, 16, 3),
                                Activation.relu(),
                                Conv.conv3d(16, 2, 3)),
                        1,
                        InputSpec.of("x", -1, 1, -1, -1, -1));
        Trainer t =
                Trainer.builder(m)
                        .objective((s, p, y) -> p.sub(y[0]).mul(p.sub(y[0])).mean())
                        .optimizer(Adam.defaults())
                        .build();
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 24, 24, 24);
        INDArray y = Nd4j.rand(DataType.FLOAT, 2, 2, 24, 24, 24);
        for (int i = 1; i <= steps; i++) {
            t.trainStep(new INDArray[] {x}, new INDArray[] {y});
            System.out.println("rss " + i + " " + (OffHeapMemory.residentBytes() >> 20));
        }
    }

    @Test
    void residentMemoryStaysBoundedOver200Steps() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb =
                new ProcessBuilder(
                        java,
                        "-Xmx1g",
                        "-Dvoxel4j.gc.disable=" + Boolean.getBoolean("probe.disable"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        MemoryProbeTest.class.getName(),
                        "200");
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        // Default glibc malloc, as a user's JVM without the launcher's tuning has it: there the
        // growth without collection is plain to see.
        pb.environment().remove("MALLOC_MMAP_MAX_");
        pb.environment().remove("MALLOC_TRIM_THRESHOLD_");
        pb.environment().remove("MALLOC_TOP_PAD_");
        // Two OpenMP threads as the CLI runs (with one, the JVM happens to collect often enough
        // on its own and the test would not show the difference).
        pb.environment().put("OMP_NUM_THREADS", "2");
        Process p = pb.start();
        List<Long> rss = new ArrayList<>();
        try (BufferedReader r =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("rss ")) {
                    rss.add(Long.parseLong(line.split(" ")[2]));
                }
            }
        }
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(rss).hasSize(200);
        long at50 = rss.get(49);
        long max100to150 =
                rss.subList(100, 150).stream().mapToLong(Long::longValue).max().orElseThrow();
        long max150to200 =
                rss.subList(150, 200).stream().mapToLong(Long::longValue).max().orElseThrow();
        // Without collection the process grows by ~15 MB per step here (+750 MB per 50 steps).
        // With it, the resident set reaches a plateau: the last 50 steps add almost nothing.
        assertThat(max150to200 - max100to150)
                .as("RSS growth over the last 50 steps (MB), series " + rss)
                .isLessThan(100);
        assertThat(max150to200 - at50)
                .as("RSS growth from step 50 (MB), series " + rss)
                .isLessThan(600);
    }
}
