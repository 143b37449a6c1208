package org.voxel4j.volumetric.blocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.InputSpec;
import org.voxel4j.nn.Model;
import org.voxel4j.nn.testing.LayerGradients;

/**
 * Central-difference gradient checks (double precision, inputs and parameters) of every block, and
 * their parameter counts against the hand formula (weights + biases + norm affine + PReLU slopes).
 */
class BlocksGradientTest {

    static INDArray rand(long... shape) {
        Nd4j.getRandom().setSeed(shape.length * 131L + shape[shape.length - 1]);
        return Nd4j.randn(DataType.DOUBLE, shape);
    }

    @Test
    void convNormAct() {
        LayerGradients.check(
                ConvNormAct.of(3, 2, 3, 3, Norm.instance(), Act.leakyRelu()),
                true,
                1e-5,
                8,
                rand(1, 2, 3, 4, 3));
        LayerGradients.check(
                ConvNormAct.of(2, 2, 4, 3, Norm.group(2), Act.prelu()).withStride(List.of(2)),
                true,
                1e-5,
                8,
                rand(2, 2, 5, 4));
        LayerGradients.check(
                ConvNormAct.of(2, 1, 2, 1, Norm.batch(), Act.relu()),
                true,
                1e-5,
                8,
                rand(3, 1, 3, 3));
    }

    @Test
    void convBlock() {
        LayerGradients.check(
                new ConvBlock(3, 1, 2, 2, 3, List.of(1, 2, 2), Norm.instance(), Act.leakyRelu()),
                true,
                1e-5,
                8,
                rand(1, 1, 3, 4, 4));
    }

    @Test
    void residualBlocks() {
        LayerGradients.check(
                ResidualBlock.of(3, 2, 3, List.of(2), Norm.instance(), Act.leakyRelu(), true),
                true,
                1e-5,
                8,
                rand(1, 2, 4, 4, 2));
        LayerGradients.check(
                ResidualBlock.of(2, 3, 3, List.of(1), Norm.batch(), Act.prelu(), false),
                true,
                1e-5,
                8,
                rand(2, 3, 3, 4));
    }

    @Test
    void attentionGate() {
        // x at resolution r, g at r/2.
        LayerGradients.check(
                new AttentionGate(2, 3, 4, 2, Norm.batch(), Act.prelu()),
                true,
                1e-5,
                8,
                rand(2, 3, 4, 4),
                rand(2, 4, 2, 2));
        LayerGradients.check(
                new AttentionGate(3, 2, 3, 1, Norm.batch(), Act.relu()),
                true,
                1e-5,
                8,
                rand(2, 2, 2, 4, 2),
                rand(2, 3, 1, 2, 1));
    }

    @Test
    void upsamplers() {
        for (Upsampler.Mode m : Upsampler.Mode.values()) {
            LayerGradients.check(
                    new Upsampler(3, 3, 2, List.of(2), m), true, 1e-6, 8, rand(1, 3, 2, 3, 2));
            LayerGradients.check(
                    new Upsampler(2, 2, 2, List.of(1, 2), m), true, 1e-6, 8, rand(1, 2, 3, 2));
        }
    }

    @Test
    void parameterCountsMatchTheBuiltLayers() {
        ConvNormAct a = ConvNormAct.of(3, 2, 5, 3, Norm.instance(), Act.leakyRelu());
        check(a, 3, a.parameterCount(), 2 * 5 * 27 + 5 + 10);
        ConvNormAct b = ConvNormAct.of(2, 2, 4, 3, Norm.group(2), Act.prelu());
        check(b, 2, b.parameterCount(), 2 * 4 * 9 + 4 + 8 + 4);
        ConvBlock c = new ConvBlock(3, 1, 2, 3, 3, List.of(2), Norm.batch(), Act.relu());
        check(c, 3, c.parameterCount(), (27 * 2 + 2 + 4) + 2 * (2 * 2 * 27 + 2 + 4));
        // conv1 + conv2 + two norms + conv3 (1x1 projection)
        ResidualBlock r =
                ResidualBlock.of(3, 2, 3, List.of(2), Norm.instance(), Act.leakyRelu(), true);
        check(r, 3, r.parameterCount(), (2 * 3 * 27 + 3) + (3 * 3 * 27 + 3) + 12 + (2 * 3 + 3));
        // theta (k2) + phi + psi + out + BN(x) + PReLU(inter)
        AttentionGate g = new AttentionGate(3, 4, 6, 2, Norm.batch(), Act.prelu());
        check(g, 3, g.parameterCount(), (4 * 2 * 8 + 2) + (6 * 2 + 2) + (2 + 1) + (16 + 4) + 8 + 2);
        Upsampler t = new Upsampler(3, 4, 2, List.of(2), Upsampler.Mode.TRANSPOSED);
        check(t, 3, t.parameterCount(), 4 * 2 * 8 + 2);
        Upsampler n = new Upsampler(3, 4, 2, List.of(2), Upsampler.Mode.NEAREST);
        check(n, 3, n.parameterCount(), 4 * 2 + 2);
    }

    private static void check(org.voxel4j.nn.Module m, int dims, long formula, long expected) {
        long[] shape = new long[2 + dims];
        java.util.Arrays.fill(shape, -1);
        InputSpec[] specs =
                m instanceof AttentionGate
                        ? new InputSpec[] {InputSpec.of("x", shape), InputSpec.of("g", shape)}
                        : new InputSpec[] {InputSpec.of("x", shape)};
        Model model = Model.create(m, 1, specs);
        assertThat(model.parameterCount()).as(m.toString()).isEqualTo(expected);
        assertThat(formula).as(m + " formula").isEqualTo(expected);
    }

    @Test
    void invalidConfigurationsAreRejectedWithTheValue() {
        assertThatThrownBy(() -> ConvNormAct.of(3, 1, 2, 2, Norm.batch(), Act.relu()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("odd");
        assertThatThrownBy(
                        () ->
                                new ResidualBlock(
                                        3, 2, 3, 3, List.of(1), Norm.instance(), Act.relu(), false))
                .hasMessageContaining("2 -> 3");
        assertThatThrownBy(() -> Norm.group(3).layer(4)).hasMessageContaining("4 channels");
        assertThatThrownBy(() -> new Upsampler(4, 1, 1, List.of(2), Upsampler.Mode.LINEAR))
                .hasMessageContaining("got 4");
    }
}
