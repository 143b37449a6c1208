package org.voxel4j.bench.jmh;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
import org.openjdk.jmh.annotations.Warmup;
import org.voxel4j.nn.Graphs;
import org.voxel4j.nn.OffHeapMemory;
import org.voxel4j.nn.ops.Activations;
import org.voxel4j.nn.ops.Norms;
import org.voxel4j.nn.ops.Padding;
import org.voxel4j.nn.ops.Resize;

/**
 * Forward + backward of the ops layer's hot paths on a U-Net-sized activation {@code [1, 16, 64,
 * 64, 64]} float32 (gradient of {@code sum(op(x) * r)}):
 *
 * <pre>
 * java -cp ... org.openjdk.jmh.Main OpsBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 5)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx4g", "-Dorg.bytedeco.javacpp.maxphysicalbytes=12G"})
public class OpsBenchmark {

    @Param({"instanceNorm", "groupNorm", "reflectPad", "upsampleLinear", "softmax", "leakyRelu"})
    public String op;

    private SameDiff sd;
    private List<String> wrt;

    static final Map<String, BiFunction<SameDiff, SDVariable[], SDVariable>> OPS =
            Map.of(
                    "instanceNorm", (sd, v) -> Norms.instanceNorm(sd, v[0], v[1], v[2], 1e-5),
                    "groupNorm", (sd, v) -> Norms.groupNorm(sd, v[0], 4, v[1], v[2], 1e-5),
                    "reflectPad",
                            (sd, v) ->
                                    Padding.pad(sd, v[0], Padding.Mode.REFLECT, 1, 1, 1, 1, 1, 1),
                    "upsampleLinear", (sd, v) -> Resize.upsampleLinear(sd, v[0], 2, 2, 2),
                    "softmax", (sd, v) -> Activations.softmax(sd, v[0], 1),
                    "leakyRelu", (sd, v) -> Activations.leakyRelu(sd, v[0], 0.01));

    @Setup(Level.Trial)
    public void setUp() {
        Nd4j.getRandom().setSeed(1);
        sd = SameDiff.create();
        boolean up = op.equals("upsampleLinear");
        long s = up ? 32 : 64;
        SDVariable x = sd.var("x", Nd4j.rand(DataType.FLOAT, 1, 16, s, s, s));
        SDVariable g = sd.var("g", Nd4j.rand(DataType.FLOAT, 16));
        SDVariable b = sd.var("b", Nd4j.rand(DataType.FLOAT, 16));
        SDVariable y = OPS.get(op).apply(sd, new SDVariable[] {x, g, b});
        sd.setLossVariables(y.mul(y).sum());
        Graphs.prepareGradients(sd);
        wrt = op.endsWith("Norm") ? List.of("x", "g", "b") : List.of("x");
    }

    @Benchmark
    public Map<String, INDArray> forwardBackward() {
        Map<String, INDArray> g = sd.calculateGradients(Map.of(), wrt);
        OffHeapMemory.maybeCollect();
        return g;
    }
}
