package org.voxel4j.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.check.GradientCheck;
import org.voxel4j.nn.testing.LayerGradients;

/** Central-difference gradient checks (double precision) of every layer, inputs and parameters. */
class LayersGradientTest {

    static INDArray rand(long... shape) {
        Nd4j.getRandom().setSeed(shape.length * 31L + shape[shape.length - 1]);
        return Nd4j.randn(DataType.DOUBLE, shape);
    }

    @Test
    void convolutions() {
        LayerGradients.check(Conv.conv1d(2, 3, 3), true, 1e-6, rand(2, 2, 6));
        LayerGradients.check(Conv.conv2d(2, 3, 3).withStride(2), true, 1e-6, rand(1, 2, 5, 6));
        LayerGradients.check(Conv.conv3d(2, 2, 3), true, 1e-6, rand(1, 2, 4, 3, 5));
        LayerGradients.check(
                Conv.conv3d(2, 2, 3).withStride(2).withBias(false),
                true,
                1e-6,
                rand(1, 2, 5, 4, 4));
        LayerGradients.check(Conv.conv2d(4, 2, 3).withGroups(2), true, 1e-6, rand(1, 4, 4, 4));
        for (PadMode mode : PadMode.values()) {
            LayerGradients.check(
                    Conv.conv2d(1, 2, 3).withPaddingMode(mode), true, 1e-6, rand(1, 1, 5, 4));
            LayerGradients.check(
                    Conv.conv3d(1, 1, 3).withPaddingMode(mode), true, 1e-6, rand(1, 1, 3, 4, 3));
        }
    }

    @Test
    void transposedConvolutions() {
        LayerGradients.check(ConvTranspose.upsampler(2, 2, 3, 2), true, 1e-6, rand(1, 2, 3, 2));
        LayerGradients.check(ConvTranspose.upsampler(3, 2, 2, 2), true, 1e-6, rand(1, 2, 2, 3, 2));
        LayerGradients.check(
                new ConvTranspose(2, 2, 2, List.of(3), List.of(2), List.of(1), List.of(1), true),
                true,
                1e-6,
                rand(1, 2, 3, 3));
    }

    @Test
    void linearPoolingUpsampling() {
        LayerGradients.check(Linear.of(4, 3), true, 1e-6, rand(2, 3, 4));
        LayerGradients.check(Linear.of(4, 3).withoutBias(), true, 1e-6, rand(5, 4));
        LayerGradients.check(Pool.max(3, 2), true, 1e-6, rand(1, 2, 4, 4, 2));
        LayerGradients.check(Pool.avg(3, 2), true, 1e-6, rand(1, 2, 4, 2, 4));
        LayerGradients.check(Pool.max(2, 2), true, 1e-6, rand(2, 1, 4, 6));
        LayerGradients.check(Upsample.nearest(3, 2), true, 1e-6, rand(1, 2, 2, 3, 2));
        LayerGradients.check(Upsample.linear(3, 2), true, 1e-6, rand(1, 1, 3, 2, 3));
        LayerGradients.check(Upsample.linear(2, 2), true, 1e-6, rand(1, 2, 3, 4));
    }

    @Test
    void normalisations() {
        LayerGradients.check(GroupNorm.of(2, 4), true, 1e-5, rand(2, 4, 3, 3));
        LayerGradients.check(InstanceNorm.of(3), true, 1e-5, rand(2, 3, 2, 3, 2));
        LayerGradients.check(new InstanceNorm(3, 1e-5, false), true, 1e-5, rand(1, 3, 4, 3));
        LayerGradients.check(BatchNorm.of(3), true, 1e-5, rand(2, 3, 3, 2));
        LayerGradients.check(BatchNorm.of(3), false, 1e-5, rand(2, 3, 3, 2));
        LayerGradients.check(LayerNorm.of(5), true, 1e-5, rand(2, 3, 5));
        LayerGradients.check(RmsNorm.of(5), true, 1e-5, rand(2, 3, 5));
    }

    @Test
    void activationsAndCompositions() {
        for (Activation.Kind k : Activation.Kind.values()) {
            LayerGradients.check(new Activation(k, 0.1), true, 1e-6, rand(2, 3, 4));
        }
        LayerGradients.check(PReLU.perChannel(3), true, 1e-6, rand(2, 3, 4, 2));
        LayerGradients.check(PReLU.shared(), true, 1e-6, rand(2, 3, 4));
        LayerGradients.check(
                Sequential.of(Conv.conv2d(2, 3, 3), GroupNorm.of(1, 3), Activation.silu()),
                true,
                1e-5,
                rand(1, 2, 4, 4));
        LayerGradients.check(
                new Residual(
                        Sequential.of(Conv.conv2d(2, 2, 3), Activation.leakyRelu(0.01)),
                        Conv.conv2d(2, 2, 1),
                        Activation.relu()),
                true,
                1e-6,
                rand(1, 2, 3, 4));
        LayerGradients.check(Dropout.of(0.3), true, 1e-6, rand(4, 5));
        LayerGradients.check(new Dropout(0.5, 2), true, 1e-6, rand(2, 4, 3, 3));
    }

    @Test
    void embeddingGradientReachesTheTable() {
        Scope s = Scope.create(DataType.DOUBLE, 1, true);
        GradientCheck.Result r =
                GradientCheck.check(
                        (sd, vars) -> {
                            Scope sc =
                                    Scope.root(
                                            sd,
                                            new org.voxel4j.nn.ParameterStore(),
                                            DataType.DOUBLE,
                                            1,
                                            true);
                            return new Embedding(5, 3).forward(sc, vars.get("idx"));
                        },
                        java.util.Map.of(
                                "idx", Nd4j.createFromArray(new int[][] {{1, 4}, {4, 0}}),
                                "weight", rand(5, 3)));
        r.assertPasses(1e-6);
        assertThat(s.training()).isTrue();
    }

    @Test
    void batchNormUpdatesRunningStatisticsLikeTorch() {
        Scope s = Scope.create(DataType.DOUBLE, 1, true);
        // x: 2 samples × 2 channels × 2 positions; channel 0 = {1,2,3,4}, channel 1 = {0,0,2,2}.
        INDArray x = Nd4j.createFromArray(new double[][][] {{{1, 2}, {0, 0}}, {{3, 4}, {2, 2}}});
        SDVariable xv = s.sd().var("x", x);
        BatchNorm.of(2).forward(s, xv);
        var upd = s.bufferUpdates();
        // mean = (2.5, 1); unbiased var = (5/3, 4/3); momentum 0.1 from (0, 1):
        assertThat(upd.get("running_mean").eval().toDoubleVector()).containsExactly(0.25, 0.1);
        double[] rv = upd.get("running_var").eval().toDoubleVector();
        assertThat(rv[0])
                .isCloseTo(0.9 + 0.1 * 5.0 / 3, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(rv[1])
                .isCloseTo(0.9 + 0.1 * 4.0 / 3, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void layerConfigsAreValidated() {
        assertThatThrownBy(() -> Conv.conv3d(3, 4, 3).withGroups(2))
                .hasMessageContaining("groups=2");
        assertThatThrownBy(() -> new GroupNorm(3, 4, 1e-5, true)).hasMessageContaining("divisible");
        assertThatThrownBy(() -> Conv.of(3, 1, 1, 2)).hasMessageContaining("odd kernel");
        assertThatThrownBy(
                        () ->
                                new ConvTranspose(
                                        2,
                                        1,
                                        1,
                                        List.of(3),
                                        List.of(2),
                                        List.of(0),
                                        List.of(1),
                                        true))
                .hasMessageContaining("padding >= outputPadding");
        assertThatThrownBy(() -> new Dropout(1.5, 0)).hasMessageContaining("1.5");
    }
}
