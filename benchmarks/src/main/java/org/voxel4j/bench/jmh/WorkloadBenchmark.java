package org.voxel4j.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.voxel4j.bench.Workload;
import org.voxel4j.bench.Workloads;

/**
 * JMH view of the named workloads: {@code java -cp ... org.openjdk.jmh.Main WorkloadBenchmark -p
 * workload=conv3d-fb-64}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 10)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx4g", "-Dorg.bytedeco.javacpp.maxphysicalbytes=12G"})
public class WorkloadBenchmark {

    @Param({"conv3d-fb-64"})
    public String workload;

    private Workload w;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        w = Workloads.create(workload);
        w.setUp();
    }

    @Benchmark
    public void run() throws Exception {
        w.run();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        w.close();
    }
}
