package org.voxel4j.nn.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.enums.PadMode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.check.GradientCheck;

class PaddingTest {
    static List<String> cases() {
        return Fixtures.names("pad_");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesTorchPad(String name) {
        Fixtures.Case c = Fixtures.get(name);
        Padding.Mode mode = Padding.Mode.valueOf(c.s("mode").toUpperCase());
        int[] pads = Padding.fromTorch(c.ints("torch_pads"));
        INDArray y =
                Fixtures.forward(
                        (sd, v) ->
                                mode == Padding.Mode.CONSTANT
                                        ? Padding.constant(sd, v.get("x"), c.d("value"), pads)
                                        : Padding.pad(sd, v.get("x"), mode, pads),
                        c.inputs());
        Fixtures.assertClose(y, c.out("y"), 0, name);
    }

    static List<Arguments> gradientCases() {
        List<Arguments> out = new java.util.ArrayList<>();
        for (Padding.Mode m : Padding.Mode.values()) {
            out.add(Arguments.of(m, new long[] {1, 2, 5}, new int[] {3, 2}));
            out.add(Arguments.of(m, new long[] {1, 1, 4, 5}, new int[] {2, 1, 1, 3}));
            out.add(Arguments.of(m, new long[] {1, 1, 3, 3, 4}, new int[] {1, 2, 2, 0, 3, 1}));
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("gradientCases")
    void gradientIsExact(Padding.Mode mode, long[] shape, int[] pads) {
        INDArray x = Nd4j.randn(DataType.DOUBLE, shape);
        GradientCheck.check(
                        (sd, v) ->
                                mode == Padding.Mode.CONSTANT
                                        ? Padding.constant(sd, v.get("x"), 0.7, pads)
                                        : Padding.pad(sd, v.get("x"), mode, pads),
                        Map.of("x", x))
                .assertPasses(1e-6);
    }

    @Test
    void fromTorchReversesAxisPairs() {
        assertThat(Padding.fromTorch(1, 2, 3, 4, 5, 6)).containsExactly(5, 6, 3, 4, 1, 2);
        assertThat(Padding.fromTorch(1, 2)).containsExactly(1, 2);
    }

    @Test
    void reflectOfOneRowByHand() {
        INDArray x = Nd4j.createFromArray(1.0, 2.0, 3.0, 4.0).reshape(1, 1, 4);
        INDArray y =
                Fixtures.forward(
                        (sd, v) -> Padding.pad(sd, v.get("x"), Padding.Mode.REFLECT, 2, 3),
                        Map.of("x", x));
        assertThat(y.reshape(-1).toDoubleVector()).containsExactly(3, 2, 1, 2, 3, 4, 3, 2, 1);
        INDArray r =
                Fixtures.forward(
                        (sd, v) -> Padding.pad(sd, v.get("x"), Padding.Mode.REPLICATE, 2, 1),
                        Map.of("x", x));
        assertThat(r.reshape(-1).toDoubleVector()).containsExactly(1, 1, 1, 2, 3, 4, 4);
        INDArray w =
                Fixtures.forward(
                        (sd, v) -> Padding.pad(sd, v.get("x"), Padding.Mode.CIRCULAR, 1, 2),
                        Map.of("x", x));
        assertThat(w.reshape(-1).toDoubleVector()).containsExactly(4, 1, 2, 3, 4, 1, 2);
    }

    @Test
    void rejectsBadAmounts() {
        INDArray x = Nd4j.zeros(DataType.DOUBLE, 1, 1, 4);
        assertThatThrownBy(
                        () ->
                                Fixtures.forward(
                                        (sd, v) ->
                                                Padding.pad(
                                                        sd, v.get("x"), Padding.Mode.REFLECT, 1),
                                        Map.of("x", x)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[1]");
        assertThatThrownBy(
                        () ->
                                Fixtures.forward(
                                        (sd, v) ->
                                                Padding.pad(
                                                        sd,
                                                        v.get("x"),
                                                        Padding.Mode.CIRCULAR,
                                                        -1,
                                                        0),
                                        Map.of("x", x)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    /**
     * ND4J 1.0.0-M2.1 bug this class works around: {@code pad} in REFLECT mode computes the right
     * values but the gradient of constant padding. If this test fails, ND4J fixed it.
     */
    @Test
    void nd4jReflectPadGradientIsStillWrong() {
        INDArray x = Nd4j.randn(DataType.DOUBLE, 1, 2, 4, 5);
        long[][] p = {{0, 0}, {0, 0}, {1, 2}, {2, 1}};
        INDArray theirs =
                Fixtures.forward(
                        (sd, v) ->
                                sd.nn.pad(
                                        v.get("x"),
                                        sd.constant(Nd4j.createFromArray(p)),
                                        PadMode.REFLECT,
                                        0.0),
                        Map.of("x", x));
        INDArray ours =
                Fixtures.forward(
                        (sd, v) -> Padding.pad(sd, v.get("x"), Padding.Mode.REFLECT, 1, 2, 2, 1),
                        Map.of("x", x));
        Fixtures.assertClose(theirs, ours, 0, "ND4J reflect pad forward");
        GradientCheck.Result r =
                GradientCheck.check(
                        (sd, v) ->
                                sd.nn.pad(
                                        v.get("x"),
                                        sd.constant(Nd4j.createFromArray(p)),
                                        PadMode.REFLECT,
                                        0.0),
                        Map.of("x", x));
        assertThat(r.maxRelError()).as("ND4J REFLECT pad gradient error: " + r).isGreaterThan(0.1);
    }
}
