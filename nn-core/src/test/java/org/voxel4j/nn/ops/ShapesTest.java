package org.voxel4j.nn.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.voxel4j.nn.check.GradientCheck;

class ShapesTest {
    @Test
    void rollMatchesTorch() {
        for (String name : Fixtures.names("roll_")) {
            Fixtures.Case c = Fixtures.get(name);
            INDArray y =
                    Fixtures.forward(
                            (sd, v) -> Shapes.roll(sd, v.get("x"), 4, c.i("axis"), c.i("shift")),
                            c.inputs());
            Fixtures.assertClose(y, c.out("y"), 0, name);
            GradientCheck.check(
                            (sd, v) -> Shapes.roll(sd, v.get("x"), 4, c.i("axis"), c.i("shift")),
                            Map.of("x", Nd4j.randn(DataType.DOUBLE, 1, 2, 3, 4)))
                    .assertPasses(1e-6);
        }
    }

    @Test
    void repeatInterleaveMatchesTorch() {
        Fixtures.Case c = Fixtures.get("repeat_interleave");
        INDArray y =
                Fixtures.forward(
                        (sd, v) ->
                                Shapes.repeatInterleave(
                                        sd, v.get("x"), 4, c.i("axis"), c.i("times")),
                        c.inputs());
        Fixtures.assertClose(y, c.out("y"), 0, "repeat_interleave");
        GradientCheck.check(
                        (sd, v) -> Shapes.repeatInterleave(sd, v.get("x"), 4, 2, 3),
                        Map.of("x", Nd4j.randn(DataType.DOUBLE, 1, 2, 3, 2)))
                .assertPasses(1e-6);
    }

    @Test
    void sliceSplitConcatAndInterleaveByIndexing() {
        INDArray x = Nd4j.linspace(DataType.DOUBLE, 0, 2 * 5 * 3 * 4, 1).reshape(2, 5, 3, 4);
        INDArray s =
                Fixtures.forward(
                        (sd, v) -> Shapes.slice(sd, v.get("x"), 4, 3, 1, -1), Map.of("x", x));
        assertThat(s)
                .isEqualTo(
                        x.get(
                                NDArrayIndex.all(),
                                NDArrayIndex.all(),
                                NDArrayIndex.all(),
                                NDArrayIndex.interval(1, 3)));
        INDArray tail =
                Fixtures.forward(
                        (sd, v) -> Shapes.slice(sd, v.get("x"), 4, 2, -2, Shapes.END),
                        Map.of("x", x));
        assertThat(tail)
                .isEqualTo(
                        x.get(
                                NDArrayIndex.all(),
                                NDArrayIndex.all(),
                                NDArrayIndex.interval(1, 3),
                                NDArrayIndex.all()));

        INDArray second =
                Fixtures.forward(
                        (sd, v) -> Shapes.splitChannels(sd, v.get("x"), 4, 2, 3)[1],
                        Map.of("x", x));
        assertThat(second)
                .isEqualTo(
                        x.get(
                                NDArrayIndex.all(),
                                NDArrayIndex.interval(2, 5),
                                NDArrayIndex.all(),
                                NDArrayIndex.all()));
        INDArray back =
                Fixtures.forward(
                        (sd, v) ->
                                Shapes.concatChannels(
                                        sd, Shapes.splitChannels(sd, v.get("x"), 4, 2, 3)),
                        Map.of("x", x));
        assertThat(back).isEqualTo(x);

        Map<String, INDArray> ab = new LinkedHashMap<>();
        ab.put("a", Nd4j.linspace(DataType.DOUBLE, 0, 6, 1).reshape(1, 1, 2, 3));
        ab.put("b", Nd4j.linspace(DataType.DOUBLE, 100, 6, 1).reshape(1, 1, 2, 3));
        INDArray il =
                Fixtures.forward(
                        (sd, v) -> Shapes.interleave(sd, 4, 3, v.get("a"), v.get("b")), ab);
        assertThat(il.reshape(-1).toDoubleVector())
                .containsExactly(0, 100, 1, 101, 2, 102, 3, 103, 4, 104, 5, 105);
    }

    @Test
    void flattenAffineAndChannelParam() {
        Map<String, INDArray> in = new LinkedHashMap<>();
        in.put("x", Nd4j.randn(DataType.DOUBLE, 2, 3, 2, 2));
        in.put("s", Nd4j.createFromArray(1.0, 2.0, 3.0));
        in.put("t", Nd4j.createFromArray(-1.0, 0.0, 1.0));
        INDArray flat = Fixtures.forward((sd, v) -> Shapes.flattenSpatial(sd, v.get("x")), in);
        assertThat(flat.shape()).containsExactly(2, 3, 4);
        INDArray y =
                Fixtures.forward(
                        (sd, v) -> Shapes.affineChannels(sd, v.get("x"), v.get("s"), v.get("t")),
                        in);
        INDArray y2 =
                Fixtures.forward(
                        (sd, v) ->
                                v.get("x")
                                        .mul(Shapes.channelParam(sd, v.get("s"), 4))
                                        .add(Shapes.channelParam(sd, v.get("t"), 4)),
                        in);
        for (int c = 0; c < 3; c++) {
            INDArray expected =
                    in.get("x")
                            .get(NDArrayIndex.all(), NDArrayIndex.point(c))
                            .mul(c + 1)
                            .add(c - 1);
            assertThat(y.get(NDArrayIndex.all(), NDArrayIndex.point(c))).isEqualTo(expected);
        }
        assertThat(y2).isEqualTo(y);
        GradientCheck.check(
                        (sd, v) -> Shapes.affineChannels(sd, v.get("x"), v.get("s"), v.get("t")),
                        in)
                .assertPasses(1e-6);
    }

    @Test
    void rejectsBadAxes() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, -1, -1);
        assertThatThrownBy(() -> Shapes.slice(sd, x, 3, -1, 0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> Shapes.slice(sd, x, 3, 3, 0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3");
        assertThatThrownBy(() -> Shapes.splitChannels(sd, x, 3, 2, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[2, 0]");
    }
}
