package org.voxel4j.nn.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.check.GradientCheck;

class NormsTest {
    /**
     * Normalisation divides by a standard deviation computed from the same values, which amplifies
     * the round-off of the numeric derivative; 1e-5 is still far below any real error.
     */
    private static final double GRAD_TOL = 1e-5;

    private static final GradientCheck.Options OPTS = GradientCheck.Options.defaults();

    static List<String> groupNormCases() {
        return Fixtures.names("group_norm_");
    }

    static List<String> instanceNormCases() {
        return Fixtures.names("instance_norm_");
    }

    static List<String> layerNormCases() {
        return Fixtures.names("layer_norm_");
    }

    static List<String> channelLayerNormCases() {
        return Fixtures.names("channel_layer_norm_");
    }

    static List<String> rmsNormCases() {
        return Fixtures.names("rms_norm_");
    }

    static List<String> batchNormTrainCases() {
        return Fixtures.names("batch_norm_train_");
    }

    static List<String> batchNormEvalCases() {
        return Fixtures.names("batch_norm_eval_");
    }

    @ParameterizedTest
    @MethodSource("groupNormCases")
    void groupNormMatchesTorch(String name) {
        Fixtures.Case c = Fixtures.get(name);
        INDArray y =
                Fixtures.forward(
                        (sd, v) ->
                                Norms.groupNorm(
                                        sd,
                                        v.get("x"),
                                        c.i("groups"),
                                        v.get("gamma"),
                                        v.get("beta"),
                                        c.d("eps")),
                        c.inputs());
        Fixtures.assertClose(y, c.out("y"), 1e-12, name);
    }

    @ParameterizedTest
    @MethodSource("instanceNormCases")
    void instanceNormMatchesTorch(String name) {
        Fixtures.Case c = Fixtures.get(name);
        INDArray y =
                Fixtures.forward(
                        (sd, v) ->
                                Norms.instanceNorm(
                                        sd, v.get("x"), v.get("gamma"), v.get("beta"), c.d("eps")),
                        c.inputs());
        Fixtures.assertClose(y, c.out("y"), 1e-12, name);
    }

    @ParameterizedTest
    @MethodSource("layerNormCases")
    void layerNormMatchesTorch(String name) {
        Fixtures.Case c = Fixtures.get(name);
        INDArray y =
                Fixtures.forward(
                        (sd, v) ->
                                Norms.layerNorm(
                                        sd,
                                        v.get("x"),
                                        c.i("normalized_dims"),
                                        v.get("gamma"),
                                        v.get("beta"),
                                        c.d("eps")),
                        c.inputs());
        Fixtures.assertClose(y, c.out("y"), 1e-12, name);
    }

    @ParameterizedTest
    @MethodSource("channelLayerNormCases")
    void channelLayerNormMatchesTorch(String name) {
        Fixtures.Case c = Fixtures.get(name);
        INDArray y =
                Fixtures.forward(
                        (sd, v) ->
                                Norms.channelLayerNorm(
                                        sd, v.get("x"), v.get("gamma"), v.get("beta"), c.d("eps")),
                        c.inputs());
        Fixtures.assertClose(y, c.out("y"), 1e-12, name);
    }

    @Test
    void channelLayerNormGradient() {
        Map<String, INDArray> in = inputs(new long[] {2, 3, 2, 3}, 3);
        GradientCheck.check(
                        (sd, v) ->
                                Norms.channelLayerNorm(
                                        sd, v.get("x"), v.get("g"), v.get("b"), 1e-6),
                        in,
                        OPTS)
                .assertPasses(GRAD_TOL);
    }

    @ParameterizedTest
    @MethodSource("rmsNormCases")
    void rmsNormMatchesClosedForm(String name) {
        Fixtures.Case c = Fixtures.get(name);
        INDArray y =
                Fixtures.forward(
                        (sd, v) ->
                                Norms.rmsNorm(
                                        sd,
                                        v.get("x"),
                                        c.i("normalized_dims"),
                                        v.get("gamma"),
                                        c.d("eps")),
                        c.inputs());
        Fixtures.assertClose(y, c.out("y"), 1e-12, name);
    }

    @ParameterizedTest
    @MethodSource("batchNormTrainCases")
    void batchNormTrainMatchesTorchIncludingRunningStats(String name) {
        Fixtures.Case c = Fixtures.get(name);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.DOUBLE, unknown(c.in("x").rank()));
        Norms.BatchStats s =
                Norms.batchNormTrain(
                        sd, x, sd.constant(c.in("gamma")), sd.constant(c.in("beta")), c.d("eps"));
        Map<String, INDArray> out =
                sd.output(
                        Map.of("x", c.in("x")),
                        s.output().name(),
                        s.mean().name(),
                        s.variance().name(),
                        s.unbiasedVariance().name());
        Fixtures.assertClose(out.get(s.output().name()), c.out("y"), 1e-12, name + " output");

        INDArray rm = c.in("running_mean").dup();
        INDArray rv = c.in("running_var").dup();
        Norms.updateRunningStats(
                rm,
                rv,
                out.get(s.mean().name()),
                out.get(s.unbiasedVariance().name()),
                c.d("momentum"));
        Fixtures.assertClose(rm, c.out("running_mean"), 1e-12, name + " running_mean");
        Fixtures.assertClose(rv, c.out("running_var"), 1e-12, name + " running_var");

        // Biased and unbiased variance differ by exactly M / (M - 1).
        long m = c.in("x").length() / c.in("x").size(1);
        Fixtures.assertClose(
                out.get(s.unbiasedVariance().name()),
                out.get(s.variance().name()).mul((double) m / (m - 1)),
                1e-14,
                name + " unbiased/biased ratio");
    }

    @ParameterizedTest
    @MethodSource("batchNormEvalCases")
    void batchNormEvalMatchesTorch(String name) {
        Fixtures.Case c = Fixtures.get(name);
        INDArray y =
                Fixtures.forward(
                        (sd, v) ->
                                Norms.batchNormEval(
                                        sd,
                                        v.get("x"),
                                        v.get("running_mean"),
                                        v.get("running_var"),
                                        v.get("gamma"),
                                        v.get("beta"),
                                        c.d("eps")),
                        c.inputs());
        Fixtures.assertClose(y, c.out("y"), 1e-12, name);
    }

    @Test
    void groupNormGradient() {
        Map<String, INDArray> in = inputs(new long[] {2, 4, 3, 2}, 4);
        GradientCheck.check(
                        (sd, v) -> Norms.groupNorm(sd, v.get("x"), 2, v.get("g"), v.get("b"), 1e-5),
                        in,
                        OPTS)
                .assertPasses(GRAD_TOL);
    }

    @Test
    void instanceNormGradient() {
        Map<String, INDArray> in = inputs(new long[] {2, 3, 2, 1, 3}, 3);
        GradientCheck.check(
                        (sd, v) -> Norms.instanceNorm(sd, v.get("x"), v.get("g"), v.get("b"), 1e-5),
                        in,
                        OPTS)
                .assertPasses(GRAD_TOL);
        GradientCheck.check(
                        (sd, v) -> Norms.instanceNorm(sd, v.get("x"), null, null, 1e-5),
                        Map.of("x", in.get("x")),
                        OPTS)
                .assertPasses(GRAD_TOL);
    }

    @Test
    void layerNormGradient() {
        Map<String, INDArray> in = new LinkedHashMap<>();
        in.put("x", Nd4j.randn(DataType.DOUBLE, 2, 3, 4));
        in.put("g", Nd4j.randn(DataType.DOUBLE, 3, 4));
        in.put("b", Nd4j.randn(DataType.DOUBLE, 3, 4));
        GradientCheck.check(
                        (sd, v) -> Norms.layerNorm(sd, v.get("x"), 2, v.get("g"), v.get("b"), 1e-5),
                        in,
                        OPTS)
                .assertPasses(GRAD_TOL);
    }

    @Test
    void rmsNormGradient() {
        Map<String, INDArray> in = new LinkedHashMap<>();
        in.put("x", Nd4j.randn(DataType.DOUBLE, 2, 3, 5));
        in.put("g", Nd4j.randn(DataType.DOUBLE, 5));
        GradientCheck.check((sd, v) -> Norms.rmsNorm(sd, v.get("x"), 1, v.get("g"), 1e-6), in, OPTS)
                .assertPasses(GRAD_TOL);
    }

    @Test
    void batchNormTrainGradientOfOutputAndStatistics() {
        Map<String, INDArray> in = inputs(new long[] {3, 3, 2, 2}, 3);
        GradientCheck.check(
                        (sd, v) ->
                                Norms.batchNormTrain(sd, v.get("x"), v.get("g"), v.get("b"), 1e-5)
                                        .output(),
                        in,
                        OPTS)
                .assertPasses(GRAD_TOL);
        GradientCheck.check(
                        (sd, v) -> {
                            Norms.BatchStats s =
                                    Norms.batchNormTrain(sd, v.get("x"), null, null, 1e-5);
                            return sd.concat(0, s.mean(), s.variance(), s.unbiasedVariance());
                        },
                        Map.of("x", in.get("x")),
                        OPTS)
                .assertPasses(GRAD_TOL);
    }

    @Test
    void batchNormEvalGradient() {
        Map<String, INDArray> in = inputs(new long[] {2, 3, 2, 2}, 3);
        in.put("m", Nd4j.randn(DataType.DOUBLE, 3));
        in.put("v", Nd4j.rand(DataType.DOUBLE, 3).add(0.5));
        GradientCheck.check(
                        (sd, v) ->
                                Norms.batchNormEval(
                                        sd,
                                        v.get("x"),
                                        v.get("m"),
                                        v.get("v"),
                                        v.get("g"),
                                        v.get("b"),
                                        1e-5),
                        in,
                        OPTS)
                .assertPasses(GRAD_TOL);
    }

    @Test
    void rejectsBadArguments() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, 4, -1);
        assertThatThrownBy(() -> Norms.groupNorm(sd, x, 0, null, null, 1e-5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
        assertThatThrownBy(() -> Norms.instanceNorm(sd, x, null, null, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> Norms.layerNorm(sd, x, 0, null, null, 1e-5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("normalizedDims");
        INDArray a = Nd4j.zeros(DataType.DOUBLE, 4);
        assertThatThrownBy(() -> Norms.updateRunningStats(a, a, Nd4j.zeros(3), a, 0.1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3");
        assertThatThrownBy(() -> Norms.updateRunningStats(a, a, a, a, 1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1.5");
    }

    /**
     * ND4J 1.0.0-M2.1 bug avoided by this class: the backward of {@code variance(x, false, ...)}
     * (biased) uses the unbiased N−1 formula. If this test fails, ND4J fixed it.
     */
    @Test
    void nd4jBiasedVarianceGradientIsStillWrong() {
        INDArray x = Nd4j.randn(DataType.DOUBLE, 3, 4);
        INDArray fwd =
                Fixtures.forward((sd, v) -> sd.variance(v.get("x"), false, 1), Map.of("x", x));
        Fixtures.assertClose(fwd, x.var(false, 1), 1e-14, "ND4J biased variance forward");
        GradientCheck.Result r =
                GradientCheck.check((sd, v) -> sd.variance(v.get("x"), false, 1), Map.of("x", x));
        // The analytic gradient is off by the factor N / (N - 1) = 4 / 3.
        assertThat(r.maxRelError()).as(r.toString()).isBetween(0.2, 0.3);
        assertThat(r.worstAnalytic() / r.worstNumeric())
                .isCloseTo(4.0 / 3.0, org.assertj.core.data.Offset.offset(1e-6));
    }

    /**
     * ND4J 1.0.0-M2.1 bug avoided by this class: {@code batchNorm} does not run in a graph with
     * dynamic shapes ("axis must be specified"), and its gradient fails. If this test fails, ND4J
     * fixed it.
     */
    @Test
    void nd4jBatchNormStillFails() {
        Map<String, INDArray> in = inputs(new long[] {4, 3, 2, 2}, 3);
        in.put("m", Nd4j.randn(DataType.DOUBLE, 3));
        in.put("v", Nd4j.rand(DataType.DOUBLE, 3).add(0.5));
        for (boolean dynamic : new boolean[] {true, false}) {
            Throwable t =
                    catchThrowable(
                            () ->
                                    GradientCheck.check(
                                            (sd, v) ->
                                                    sd.nn.batchNorm(
                                                            v.get("x"),
                                                            v.get("m"),
                                                            v.get("v"),
                                                            v.get("g"),
                                                            v.get("b"),
                                                            1e-5,
                                                            1),
                                            in,
                                            GradientCheck.Options.defaults()
                                                    .withDynamicShapes(dynamic)));
            assertThat(t).as("dynamic=" + dynamic).isNotNull().hasMessageContaining("axis");
        }
    }

    private static Map<String, INDArray> inputs(long[] shape, int channels) {
        Map<String, INDArray> in = new LinkedHashMap<>();
        in.put("x", Nd4j.randn(DataType.DOUBLE, shape).mul(1.5).add(0.3));
        in.put("g", Nd4j.randn(DataType.DOUBLE, channels));
        in.put("b", Nd4j.randn(DataType.DOUBLE, channels));
        return in;
    }

    private static long[] unknown(int rank) {
        long[] s = new long[rank];
        java.util.Arrays.fill(s, -1);
        return s;
    }
}
