package org.voxel4j.nn.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.nd4j.enums.PadMode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GradientCheckTest {
    @Test
    void passesOnACorrectGradient() {
        INDArray x = Nd4j.randn(DataType.DOUBLE, 3, 4);
        GradientCheck.Result r =
                GradientCheck.check(
                        (sd, v) -> v.get("x").mul(v.get("x")).mul(v.get("x")), Map.of("x", x));
        assertThat(r.checkedElements()).isEqualTo(12);
        assertThat(r.passes(1e-6)).as(r.toString()).isTrue();
        assertThat(r.maxAbsError()).isLessThan(1e-7);
        r.assertPasses(1e-6);
    }

    @Test
    void failsOnTheWrongGradientOfNd4jReflectPad() {
        INDArray x = Nd4j.randn(DataType.DOUBLE, 1, 1, 3, 4);
        GradientCheck.Result r =
                GradientCheck.check(
                        (sd, v) ->
                                sd.nn.pad(
                                        v.get("x"),
                                        sd.constant(
                                                Nd4j.createFromArray(
                                                        new long[][] {
                                                            {0, 0}, {0, 0}, {1, 1}, {2, 0}
                                                        })),
                                        PadMode.REFLECT,
                                        0.0),
                        Map.of("x", x));
        assertThat(r.passes(1e-2)).as(r.toString()).isFalse();
        assertThat(r.worstInput()).isEqualTo("x");
        assertThat(r.worstIndex()).hasSize(4);
        assertThatThrownBy(() -> r.assertPasses(1e-6))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("gradient check failed")
                .hasMessageContaining("worst x[");
    }

    @Test
    void failsOnTheWrongGradientOfNd4jBiasedVariance() {
        // d var / dx_i = 2 (x_i - mean) / N; ND4J's backward uses N - 1: off by 4/3 here.
        INDArray x = Nd4j.randn(DataType.DOUBLE, 2, 4);
        GradientCheck.Result r =
                GradientCheck.check((sd, v) -> sd.variance(v.get("x"), false, 1), Map.of("x", x));
        assertThat(r.passes(1e-3)).as(r.toString()).isFalse();
        assertThat(r.worstAnalytic() / r.worstNumeric())
                .isCloseTo(4.0 / 3.0, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void checksOnlySelectedInputsAndSamplesLargeOnesReproducibly() {
        Map<String, INDArray> in = new LinkedHashMap<>();
        in.put("a", Nd4j.randn(DataType.DOUBLE, 10, 10));
        in.put("b", Nd4j.randn(DataType.DOUBLE, 10, 10));
        GradientCheck.Options opts =
                GradientCheck.Options.defaults().withInputs("b").withMaxElementsPerInput(7);
        GradientCheck.Result r1 =
                GradientCheck.check((sd, v) -> v.get("a").mul(v.get("b")), in, opts);
        GradientCheck.Result r2 =
                GradientCheck.check((sd, v) -> v.get("a").mul(v.get("b")), in, opts);
        assertThat(r1.checkedElements()).isEqualTo(7);
        assertThat(r1.worstInput()).isEqualTo("b");
        assertThat(r1.worstIndex()).isEqualTo(r2.worstIndex());
        assertThat(r1.maxAbsError()).isEqualTo(r2.maxAbsError());
        r1.assertPasses(1e-6);
    }

    @Test
    void integerInputsAreConstantsAndUnusedInputsHaveZeroGradient() {
        Map<String, INDArray> in = new LinkedHashMap<>();
        in.put("x", Nd4j.randn(DataType.DOUBLE, 2, 3));
        in.put("unused", Nd4j.randn(DataType.DOUBLE, 2));
        in.put("k", Nd4j.createFromArray(2L));
        GradientCheck.Result r =
                GradientCheck.check(
                        (sd, v) -> v.get("x").mul(v.get("k").castTo(DataType.DOUBLE)), in);
        assertThat(r.checkedElements()).isEqualTo(8);
        r.assertPasses(1e-6);
    }

    @Test
    void dynamicShapesHideTheStaticShape() {
        AtomicReference<long[]> seen = new AtomicReference<>();
        INDArray x = Nd4j.randn(DataType.DOUBLE, 2, 3);
        GradientCheck.check(
                (sd, v) -> {
                    seen.set(v.get("x").getShape());
                    return v.get("x").mul(2);
                },
                Map.of("x", x));
        assertThat(seen.get()).isNull();
        GradientCheck.check(
                (sd, v) -> {
                    seen.set(v.get("x").getShape());
                    return v.get("x").mul(2);
                },
                Map.of("x", x),
                GradientCheck.Options.defaults().withDynamicShapes(false));
        assertThat(seen.get()).containsExactly(2, 3);
    }

    @Test
    void rejectsBadRequests() {
        Map<String, INDArray> in = new LinkedHashMap<>();
        in.put("x", Nd4j.randn(DataType.DOUBLE, 2, 3));
        in.put("i", Nd4j.createFromArray(1, 2));
        assertThatThrownBy(
                        () ->
                                GradientCheck.check(
                                        (sd, v) -> v.get("x"),
                                        in,
                                        GradientCheck.Options.defaults().withInputs("y")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'y'");
        assertThatThrownBy(
                        () ->
                                GradientCheck.check(
                                        (sd, v) -> v.get("x"),
                                        in,
                                        GradientCheck.Options.defaults().withInputs("i")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("INT");
        assertThatThrownBy(() -> GradientCheck.check((sd, v) -> sd.gt(v.get("x"), 0.0), in))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("floating-point");
        assertThatThrownBy(() -> GradientCheck.Options.defaults().withEps(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eps");
        assertThatThrownBy(() -> GradientCheck.Options.defaults().withMaxElementsPerInput(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
    }
}
