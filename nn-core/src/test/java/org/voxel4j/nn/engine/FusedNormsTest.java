package org.voxel4j.nn.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.check.GradientCheck;
import org.voxel4j.nn.ops.Activations;
import org.voxel4j.nn.ops.Norms;

/**
 * The fused normalisation ops against the composite SameDiff formulation they replace (itself
 * checked against PyTorch fixtures and central differences in {@code NormsTest}), in double and
 * float, forward and every gradient; plus central-difference checks of the statistics outputs that
 * only the fused ops expose.
 */
class FusedNormsTest {

    /** A graph under test: inputs by name to one output. */
    private interface Build extends BiFunction<SameDiff, Map<String, SDVariable>, SDVariable> {}

    static Map<String, INDArray> inputs(DataType t, long seed, long[] xShape, long... paramShape) {
        Nd4j.getRandom().setSeed(seed);
        Map<String, INDArray> in = new LinkedHashMap<>();
        in.put("x", Nd4j.randn(DataType.DOUBLE, xShape).muli(1.7).addi(0.4).castTo(t));
        in.put("g", Nd4j.randn(DataType.DOUBLE, paramShape).castTo(t));
        in.put("b", Nd4j.randn(DataType.DOUBLE, paramShape).castTo(t));
        return in;
    }

    /**
     * Output and gradients of {@code sum(y * w)} w.r.t. every input, with placeholders of unknown
     * shape.
     */
    static Map<String, INDArray> run(boolean fused, Build build, Map<String, INDArray> in) {
        return Engine.withFusedOps(
                fused,
                () -> {
                    SameDiff sd = SameDiff.create();
                    Map<String, SDVariable> v = new LinkedHashMap<>();
                    for (Map.Entry<String, INDArray> e : in.entrySet()) {
                        v.put(
                                e.getKey(),
                                sd.var(e.getKey(), e.getValue().dup())
                                        .add(0.0)); // no static shape downstream
                    }
                    SDVariable y = build.apply(sd, v);
                    Nd4j.getRandom().setSeed(5);
                    INDArray yv = sd.output(Map.of(), y.name()).get(y.name());
                    SDVariable w =
                            sd.constant(
                                    "w",
                                    Nd4j.randn(DataType.DOUBLE, yv.shape()).castTo(yv.dataType()));
                    SDVariable loss = y.mul(w).sum();
                    sd.setLossVariables(loss);
                    Map<String, INDArray> out = new LinkedHashMap<>();
                    out.put("y", yv);
                    out.putAll(sd.calculateGradients(Map.of(), in.keySet().toArray(String[]::new)));
                    if (fused) {
                        assertThat(
                                        sd.getOps().values().stream()
                                                .anyMatch(o -> o.getOp() instanceof JavaOp))
                                .as("the fused graph uses a JavaOp")
                                .isTrue();
                    }
                    return out;
                });
    }

    static void assertSame(Build build, Map<String, INDArray> in, double tol) {
        Map<String, INDArray> fused = run(true, build, in);
        Map<String, INDArray> composite = run(false, build, in);
        assertThat(fused.keySet()).containsExactlyElementsOf(composite.keySet());
        for (String k : composite.keySet()) {
            INDArray e = composite.get(k);
            INDArray a = fused.get(k);
            assertThat(a.shape()).as(k + " shape").containsExactly(e.shape());
            double scale = 1 + e.amaxNumber().doubleValue();
            double err = a.sub(e).amaxNumber().doubleValue();
            assertThat(err)
                    .as(k + " max abs error, scale " + scale)
                    .isLessThanOrEqualTo(tol * scale);
        }
    }

    static final Build INSTANCE =
            (sd, v) -> Norms.instanceNorm(sd, v.get("x"), v.get("g"), v.get("b"), 1e-5);
    static final Build INSTANCE_PLAIN =
            (sd, v) -> Norms.instanceNorm(sd, v.get("x"), null, null, 1e-5);
    static final Build GROUP =
            (sd, v) -> Norms.groupNorm(sd, v.get("x"), 2, v.get("g"), v.get("b"), 1e-5);
    static final Build BATCH =
            (sd, v) -> {
                Norms.BatchStats s =
                        Norms.batchNormTrain(sd, v.get("x"), v.get("g"), v.get("b"), 1e-5);
                return sd.concat(
                        0,
                        sd.reshape(s.output(), -1),
                        s.mean(),
                        s.variance(),
                        s.unbiasedVariance());
            };

    /**
     * Slope 0.25 is exact in float: ND4J's composite leaky ReLU applies its slope in float even for
     * double arrays (gradient off by ~1e-8 relative for 0.2), which the comparison would see.
     */
    static final Build INSTANCE_LRELU =
            (sd, v) ->
                    Activations.leakyRelu(
                            sd,
                            Norms.instanceNorm(sd, v.get("x"), v.get("g"), v.get("b"), 1e-5),
                            0.25);

    /** The norm output is used twice: activated and raw, so the unfused op must run as well. */
    static final Build GROUP_RELU_SHARED =
            (sd, v) -> {
                SDVariable y = Norms.groupNorm(sd, v.get("x"), 2, v.get("g"), v.get("b"), 1e-5);
                return Activations.relu(sd, y).add(y.mul(0.5));
            };

    static final Build LAYER2 =
            (sd, v) -> Norms.layerNorm(sd, v.get("x"), 2, v.get("g"), v.get("b"), 1e-5);

    @ParameterizedTest
    @ValueSource(strings = {"DOUBLE", "FLOAT"})
    void fusedEqualsComposite(String type) {
        DataType t = DataType.valueOf(type);
        double tol = t == DataType.DOUBLE ? 1e-11 : 2e-5;
        assertSame(INSTANCE, inputs(t, 1, new long[] {2, 3, 4, 3, 5}, 3), tol);
        assertSame(INSTANCE, inputs(t, 2, new long[] {1, 4, 7}, 4), tol);
        Map<String, INDArray> plain = inputs(t, 3, new long[] {2, 3, 5, 4}, 3);
        plain.remove("g");
        plain.remove("b");
        assertSame(INSTANCE_PLAIN, plain, tol);
        assertSame(GROUP, inputs(t, 4, new long[] {2, 6, 3, 2, 2}, 6), tol);
        assertSame(BATCH, inputs(t, 5, new long[] {3, 4, 3, 5}, 4), tol);
        assertSame(BATCH, inputs(t, 6, new long[] {5, 3}, 3), tol);
        assertSame(LAYER2, inputs(t, 7, new long[] {2, 3, 4, 5}, 4, 5), tol);
        assertSame(INSTANCE_LRELU, inputs(t, 9, new long[] {2, 3, 4, 3, 5}, 3), tol);
        assertSame(GROUP_RELU_SHARED, inputs(t, 10, new long[] {2, 4, 3, 5}, 4), tol);
        Map<String, INDArray> big = inputs(t, 8, new long[] {2, 16, 20, 20, 20}, 16);
        assertSame(INSTANCE, big, tol);
        assertSame(GROUP, big, tol);
        assertSame(INSTANCE_LRELU, big, tol);
    }

    @Test
    void normFollowedByLeakyReluIsOneOpWithCorrectGradients() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, -1, -1, -1);
        SDVariable y =
                INSTANCE_LRELU.apply(
                        sd,
                        Map.of(
                                "x",
                                x,
                                "g",
                                sd.var("g", Nd4j.ones(3)),
                                "b",
                                sd.var("b", Nd4j.zeros(3))));
        assertThat(sd.getVariableOutputOp(y.name())).isInstanceOf(NormOps.ChannelNormOp.class);
        for (Build b : List.of(INSTANCE_LRELU, GROUP_RELU_SHARED)) {
            Map<String, INDArray> in = inputs(DataType.DOUBLE, 13, new long[] {2, 4, 3, 2}, 4);
            GradientCheck.check(b::apply, in, GradientCheck.Options.defaults()).assertPasses(1e-5);
        }
    }

    /** Gradients through the statistics outputs (used by batch norm's running statistics). */
    @Test
    void statisticsOutputsHaveCorrectGradients() {
        for (NormOps.Kind kind : NormOps.Kind.values()) {
            Map<String, INDArray> in = inputs(DataType.DOUBLE, 11, new long[] {2, 4, 3, 2}, 4);
            GradientCheck.check(
                            (sd, v) -> {
                                NormOps.Result r =
                                        NormOps.channelNorm(
                                                sd,
                                                v.get("x"),
                                                kind,
                                                2,
                                                v.get("g"),
                                                v.get("b"),
                                                1e-5);
                                return sd.concat(
                                        0,
                                        sd.reshape(r.y(), -1),
                                        sd.reshape(r.mean(), -1),
                                        sd.reshape(r.variance(), -1));
                            },
                            in,
                            GradientCheck.Options.defaults())
                    .assertPasses(1e-5);
        }
        Map<String, INDArray> in = inputs(DataType.DOUBLE, 12, new long[] {3, 2, 5}, 2, 5);
        GradientCheck.check(
                        (sd, v) -> {
                            NormOps.Result r =
                                    NormOps.layerNorm(
                                            sd, v.get("x"), 2, v.get("g"), v.get("b"), 1e-5);
                            return sd.concat(0, sd.reshape(r.y(), -1), r.mean(), r.variance());
                        },
                        in,
                        GradientCheck.Options.defaults())
                .assertPasses(1e-5);
    }

    @Test
    void worksOnOtherThreadsAndWithNewShapes() throws Exception {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, -1, -1);
        SDVariable y = Norms.instanceNorm(sd, x, null, null, 1e-5);
        List<Throwable> errors = new ArrayList<>();
        List<INDArray> outs = new ArrayList<>();
        Thread t =
                new Thread(
                        () -> {
                            try {
                                INDArray in = Nd4j.rand(DataType.FLOAT, 2, 3, 50);
                                outs.add(sd.output(Map.of("x", in), y.name()).get(y.name()));
                            } catch (Throwable e) {
                                errors.add(e);
                            }
                        });
        t.start();
        t.join();
        assertThat(errors).isEmpty();
        INDArray o = outs.get(0);
        assertThat(o.shape()).containsExactly(2, 3, 50);
        assertThat(o.mean(2).amaxNumber().doubleValue()).isLessThan(1e-5);
        INDArray o2 =
                sd.output(Map.of("x", Nd4j.rand(DataType.FLOAT, 1, 2, 7)), y.name()).get(y.name());
        assertThat(o2.shape()).containsExactly(1, 2, 7);
    }

    @Test
    void badChannelCountIsAClearError() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, -1, -1);
        SDVariable y = Norms.groupNorm(sd, x, 4, null, null, 1e-5);
        assertThatThrownBy(
                        () -> sd.output(Map.of("x", Nd4j.rand(DataType.FLOAT, 1, 6, 5)), y.name()))
                .hasStackTraceContaining("channels (6) must be divisible by groups=4");
        SameDiff sd2 = SameDiff.create();
        SDVariable x2 = sd2.placeHolder("x", DataType.FLOAT, -1, -1, -1);
        SDVariable g = sd2.var("g", Nd4j.ones(DataType.FLOAT, 3));
        SDVariable y2 = Norms.instanceNorm(sd2, x2, g, null, 1e-5);
        assertThatThrownBy(
                        () ->
                                sd2.output(
                                        Map.of("x", Nd4j.rand(DataType.FLOAT, 1, 5, 4)), y2.name()))
                .hasStackTraceContaining("gamma has 3 values, expected 5");
    }
}
