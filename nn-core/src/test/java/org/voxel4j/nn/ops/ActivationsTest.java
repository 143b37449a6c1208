package org.voxel4j.nn.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.data.Offset.offset;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.voxel4j.nn.check.GradientCheck;

class ActivationsTest {
    private static BiFunction<SameDiff, Map<String, SDVariable>, SDVariable> op(Fixtures.Case c) {
        String name = c.name();
        return switch (name) {
            case "act_relu" -> (sd, v) -> Activations.relu(sd, v.get("x"));
            case "act_leaky_relu" -> (sd, v) -> Activations.leakyRelu(sd, v.get("x"), c.d("slope"));
            case "act_prelu_channel", "act_prelu_shared" ->
                    (sd, v) -> Activations.prelu(sd, v.get("x"), v.get("w"), c.b("per_channel"));
            case "act_gelu" -> (sd, v) -> Activations.gelu(sd, v.get("x"));
            case "act_gelu_tanh" -> (sd, v) -> Activations.geluTanh(sd, v.get("x"));
            case "act_silu" -> (sd, v) -> Activations.silu(sd, v.get("x"));
            case "act_sigmoid" -> (sd, v) -> Activations.sigmoid(sd, v.get("x"));
            case "act_tanh" -> (sd, v) -> Activations.tanh(sd, v.get("x"));
            case "act_softplus", "act_softplus_beta" ->
                    (sd, v) -> Activations.softplus(sd, v.get("x"), c.d("beta"), c.d("threshold"));
            case "act_softmax" -> (sd, v) -> Activations.softmax(sd, v.get("x"), c.i("axis"));
            case "act_log_softmax" ->
                    (sd, v) -> Activations.logSoftmax(sd, v.get("x"), c.i("axis"));
            case "act_logsumexp", "act_logsumexp_keep" ->
                    (sd, v) ->
                            Activations.logSumExp(sd, v.get("x"), c.b("keep_dims"), c.ints("axes"));
            default -> throw new IllegalArgumentException("no op for fixture " + name);
        };
    }

    static List<String> cases() {
        return Fixtures.names("act_");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesTorch(String name) {
        Fixtures.Case c = Fixtures.get(name);
        INDArray y = Fixtures.forward(op(c), c.inputs());
        assertThat(y.isInfinite().any() || y.isNaN().any()).as(name + " finite").isFalse();
        Fixtures.assertClose(y, c.out("y"), 1e-14, name);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void gradient(String name) {
        Fixtures.Case c = Fixtures.get(name);
        // Small inputs of moderate scale; softmax family also at large scale (exp overflows
        // without the max shift) to show the shift does not disturb the gradient.
        Map<String, INDArray> in = new LinkedHashMap<>();
        in.put("x", Nd4j.randn(DataType.DOUBLE, 2, 3, 2, 2).mul(2));
        if (c.inputs().containsKey("w")) {
            in.put("w", c.in("w"));
        }
        GradientCheck.check(op(c), in).assertPasses(1e-6);
        if (name.contains("soft") && !name.contains("plus") || name.contains("logsumexp")) {
            Map<String, INDArray> big =
                    Map.of("x", Nd4j.randn(DataType.DOUBLE, 2, 3, 2, 2).mul(400));
            // Values of size 400 need a wider step for the same relative resolution.
            GradientCheck.check(op(c), big, GradientCheck.Options.defaults().withEps(1e-3))
                    .assertPasses(1e-6);
        }
    }

    @Test
    void softplusGradientOnBothSidesOfTheThreshold() {
        // beta = 2, threshold = 5: switches at x = 2.5; values straddle it.
        INDArray x = Nd4j.createFromArray(-3.0, 0.0, 1.0, 2.4, 2.6, 4.0).reshape(1, 1, 6);
        GradientCheck.check(
                        (sd, v) -> Activations.softplus(sd, v.get("x"), 2.0, 5.0), Map.of("x", x))
                .assertPasses(1e-6);
    }

    @Test
    void softmaxRowsSumToOneAndLogSoftmaxIsItsLog() {
        INDArray x = Nd4j.randn(DataType.DOUBLE, 3, 4, 5).mul(50);
        INDArray s =
                Fixtures.forward((sd, v) -> Activations.softmax(sd, v.get("x"), 2), Map.of("x", x));
        INDArray ls =
                Fixtures.forward(
                        (sd, v) -> Activations.logSoftmax(sd, v.get("x"), 2), Map.of("x", x));
        Fixtures.assertClose(s.sum(2), Nd4j.ones(DataType.DOUBLE, 3, 4), 1e-15, "row sums");
        // exp(logSoftmax) == softmax, and logSumExp(x) == x - logSoftmax(x).
        Fixtures.assertClose(Transforms.exp(ls, true), s, 1e-15, "exp(logSoftmax)");
        INDArray lse =
                Fixtures.forward(
                        (sd, v) -> Activations.logSumExp(sd, v.get("x"), true, 2), Map.of("x", x));
        assertThat(lse.shape()).containsExactly(3, 4, 1);
        INDArray diff = x.sub(ls);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                for (int k = 0; k < 5; k++) {
                    assertThat(diff.getDouble(i, j, k))
                            .isCloseTo(lse.getDouble(i, j, 0), offset(1e-12 * 100));
                }
            }
        }
    }

    @Test
    void rejectsNegativeAxes() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, -1);
        assertThatThrownBy(() -> Activations.softmax(sd, x, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> Activations.logSumExp(sd, x, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Activations.softplus(sd, x, 0, 20))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("beta");
    }

    /**
     * ND4J 1.0.0-M2.1 bug avoided by {@link Activations#logSumExp}: the backward of {@code
     * sd.math.logSumExp} fails. If this test fails, ND4J fixed it.
     */
    @Test
    void nd4jLogSumExpBackwardStillFails() {
        INDArray x = Nd4j.randn(DataType.DOUBLE, 3, 4);
        INDArray fwd =
                Fixtures.forward((sd, v) -> sd.math.logSumExp(v.get("x"), 1), Map.of("x", x));
        INDArray ours =
                Fixtures.forward(
                        (sd, v) -> Activations.logSumExp(sd, v.get("x"), false, 1), Map.of("x", x));
        Fixtures.assertClose(fwd, ours, 1e-14, "ND4J logSumExp forward");
        Throwable t =
                catchThrowable(
                        () ->
                                GradientCheck.check(
                                        (sd, v) -> sd.math.logSumExp(v.get("x"), 1),
                                        Map.of("x", x)));
        assertThat(t).isNotNull().hasMessageContaining("reduce_sum_bp");
    }
}
