package org.voxel4j.nn.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.ImageResizeMethod;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.check.GradientCheck;

class ResizeTest {
    static List<String> upNearest() {
        return Fixtures.names("up_nearest_");
    }

    static List<String> upLinear() {
        return Fixtures.names("up_linear_");
    }

    static List<String> toSize() {
        return Fixtures.names("resize_");
    }

    static List<String> pools() {
        return Fixtures.names("avg_pool_");
    }

    @ParameterizedTest
    @MethodSource("upNearest")
    void upsampleNearestMatchesTorch(String name) {
        Fixtures.Case c = Fixtures.get(name);
        INDArray y =
                Fixtures.forward(
                        (sd, v) -> Resize.upsampleNearest(sd, v.get("x"), c.ints("factors")),
                        c.inputs());
        Fixtures.assertClose(y, c.out("y"), 0, name);
    }

    @ParameterizedTest
    @MethodSource("upLinear")
    void upsampleLinearMatchesTorch(String name) {
        Fixtures.Case c = Fixtures.get(name);
        INDArray y =
                Fixtures.forward(
                        (sd, v) -> Resize.upsampleLinear(sd, v.get("x"), c.ints("factors")),
                        c.inputs());
        Fixtures.assertClose(y, c.out("y"), 1e-14, name);
    }

    @ParameterizedTest
    @MethodSource("toSize")
    void resizeToSizeMatchesTorch(String name) {
        Fixtures.Case c = Fixtures.get(name);
        Resize.Mode mode = Resize.Mode.valueOf(c.s("mode").toUpperCase());
        INDArray y =
                Fixtures.forward(
                        (sd, v) ->
                                Resize.resize(
                                        sd,
                                        v.get("x"),
                                        mode,
                                        c.b("align_corners"),
                                        c.longs("in_size"),
                                        c.longs("out_size")),
                        c.inputs());
        Fixtures.assertClose(y, c.out("y"), 1e-14, name);
    }

    @ParameterizedTest
    @MethodSource("pools")
    void avgPoolMatchesTorch(String name) {
        Fixtures.Case c = Fixtures.get(name);
        INDArray y =
                Fixtures.forward(
                        (sd, v) -> Resize.avgPool(sd, v.get("x"), c.ints("factors")), c.inputs());
        Fixtures.assertClose(y, c.out("y"), 1e-14, name);
    }

    @Test
    void linearFactorTwoIsNearestThenQuarterHalfQuarterSmoothing() {
        // The construction suggested for align_corners=False: nearest x2, replicate-pad 1,
        // then [1/4, 1/2, 1/4] along the axis.
        INDArray x = Nd4j.randn(DataType.DOUBLE, 2, 3, 6);
        INDArray lin =
                Fixtures.forward(
                        (sd, v) -> Resize.upsampleLinear(sd, v.get("x"), 2), Map.of("x", x));
        INDArray smooth =
                Fixtures.forward(
                        (sd, v) -> {
                            SDVariable n = Resize.upsampleNearest(sd, v.get("x"), 2);
                            SDVariable p = Padding.pad(sd, n, Padding.Mode.REPLICATE, 1, 1);
                            return Shapes.slice(sd, p, 3, 2, 0, -2)
                                    .mul(0.25)
                                    .add(Shapes.slice(sd, p, 3, 2, 1, -1).mul(0.5))
                                    .add(Shapes.slice(sd, p, 3, 2, 2, Shapes.END).mul(0.25));
                        },
                        Map.of("x", x));
        Fixtures.assertClose(lin, smooth, 1e-15, "linear x2 vs nearest + smoothing");
    }

    @Test
    void gradients() {
        INDArray x1 = Nd4j.randn(DataType.DOUBLE, 1, 2, 4);
        INDArray x2 = Nd4j.randn(DataType.DOUBLE, 1, 2, 3, 4);
        INDArray x3 = Nd4j.randn(DataType.DOUBLE, 1, 1, 2, 3, 3);
        check((sd, x) -> Resize.upsampleNearest(sd, x, 3), x1);
        check((sd, x) -> Resize.upsampleNearest(sd, x, 2, 3), x2);
        check((sd, x) -> Resize.upsampleNearest(sd, x, 2, 1, 2), x3);
        check((sd, x) -> Resize.upsampleLinear(sd, x, 3), x1);
        check((sd, x) -> Resize.upsampleLinear(sd, x, 2, 3), x2);
        check((sd, x) -> Resize.upsampleLinear(sd, x, 2, 2, 3), x3);
        check(
                (sd, x) ->
                        Resize.resize(
                                sd,
                                x,
                                Resize.Mode.LINEAR,
                                true,
                                new long[] {3, 4},
                                new long[] {5, 2}),
                x2);
        check(
                (sd, x) ->
                        Resize.resize(
                                sd,
                                x,
                                Resize.Mode.LINEAR,
                                false,
                                new long[] {2, 3, 3},
                                new long[] {3, 2, 5}),
                x3);
        check(
                (sd, x) ->
                        Resize.resize(
                                sd,
                                x,
                                Resize.Mode.NEAREST,
                                false,
                                new long[] {3, 4},
                                new long[] {5, 3}),
                x2);
        check(
                (sd, x) ->
                        Resize.resize(
                                sd,
                                x,
                                Resize.Mode.AREA,
                                false,
                                new long[] {3, 4},
                                new long[] {2, 3}),
                x2);
        check((sd, x) -> Resize.avgPool(sd, x, 2, 3), Nd4j.randn(DataType.DOUBLE, 1, 2, 5, 7));
        check((sd, x) -> Resize.avgPool(sd, x, 2, 1, 2), x3);
    }

    @Test
    void interpolationRowsArePartitionsOfUnity() {
        for (Resize.Mode m : Resize.Mode.values()) {
            for (boolean ac :
                    m == Resize.Mode.LINEAR ? new boolean[] {false, true} : new boolean[] {false}) {
                for (int[] io : new int[][] {{5, 9}, {9, 5}, {4, 4}, {1, 3}, {3, 1}, {7, 16}}) {
                    double[][] w = Resize.matrix(m, ac, io[0], io[1]);
                    assertThat(w).hasNumberOfRows(io[1]);
                    for (double[] row : w) {
                        assertThat(java.util.Arrays.stream(row).sum())
                                .as(m + " ac=" + ac + " " + io[0] + "->" + io[1])
                                .isCloseTo(1.0, offset(1e-12));
                    }
                }
            }
        }
    }

    @Test
    void rejectsBadArguments() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, -1, -1, -1);
        assertThatThrownBy(() -> Resize.upsampleLinear(sd, x, 2, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[2, 0]");
        assertThatThrownBy(() -> Resize.upsampleNearest(sd, x, 2, 2, 2, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4");
        assertThatThrownBy(
                        () ->
                                Resize.resize(
                                        sd,
                                        x,
                                        Resize.Mode.NEAREST,
                                        true,
                                        new long[] {2, 2},
                                        new long[] {4, 4}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("align_corners");
        assertThatThrownBy(
                        () ->
                                Resize.resize(
                                        sd,
                                        x,
                                        Resize.Mode.LINEAR,
                                        false,
                                        new long[] {2, 2},
                                        new long[] {4}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[4]");
    }

    /**
     * ND4J 1.0.0-M2.1 bugs avoided by {@link Resize}: the gradient of {@code resizeBiLinear} fails
     * with a reflection error and {@code imageResize} fails outright. If this test fails, ND4J
     * fixed one of them.
     */
    @Test
    void nd4jResizeOpsStillFail() {
        INDArray nhwc = Nd4j.randn(DataType.DOUBLE, 1, 3, 4, 2);
        GradientCheck.Options staticShapes =
                GradientCheck.Options.defaults().withDynamicShapes(false);
        Throwable bilinear =
                catchThrowable(
                        () ->
                                GradientCheck.check(
                                        (sd, v) ->
                                                sd.image()
                                                        .resizeBiLinear(
                                                                v.get("x"), 6, 8, false, false),
                                        Map.of("x", nhwc),
                                        staticShapes));
        assertThat(bilinear).isNotNull().hasMessageContaining("Error setting property");
        Throwable resize =
                catchThrowable(
                        () ->
                                GradientCheck.check(
                                        (sd, v) ->
                                                sd.image()
                                                        .imageResize(
                                                                v.get("x"),
                                                                sd.constant(
                                                                        Nd4j.createFromArray(6, 8)),
                                                                false,
                                                                false,
                                                                ImageResizeMethod.ResizeBilinear),
                                        Map.of("x", nhwc),
                                        staticShapes));
        assertThat(resize).isNotNull();
    }

    private static void check(
            java.util.function.BiFunction<SameDiff, SDVariable, SDVariable> f, INDArray x) {
        GradientCheck.check((sd, v) -> f.apply(sd, v.get("x")), Map.of("x", x)).assertPasses(1e-6);
    }
}
