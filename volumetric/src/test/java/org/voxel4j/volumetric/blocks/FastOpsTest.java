package org.voxel4j.volumetric.blocks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.ParameterStore;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.layers.BatchNorm;
import org.voxel4j.nn.layers.InstanceNorm;
import org.voxel4j.nn.layers.PReLU;
import org.voxel4j.nn.ops.Resize;
import org.voxel4j.nn.testing.LayerGradients;

/**
 * The rank-aware fast ops and layers against the nn-core versions they replace (which are tested
 * against PyTorch there), plus gradient checks.
 */
class FastOpsTest {

    static INDArray rand(long... shape) {
        Nd4j.getRandom().setSeed(7 + shape.length);
        return Nd4j.randn(DataType.DOUBLE, shape);
    }

    /** Evaluates {@code f} on {@code x} in double. */
    static INDArray eval(
            java.util.function.BiFunction<Scope, SDVariable, SDVariable> f, Scope s, INDArray x) {
        SDVariable in = s.sd().var("x", x);
        SDVariable y = f.apply(s, s.sd().identity(in));
        return s.sd().output(Map.of(), y.name()).get(y.name());
    }

    record LinearUp(int dims, int channels) implements Module {
        @Override
        public SDVariable forward(Scope s, SDVariable... in) {
            return FastOps.linearUp2(s.sd(), in[0], dims, channels);
        }
    }

    @Test
    void linearUp2MatchesTrilinearInterpolation() {
        long[][] shapes = {{2, 1, 3, 4, 2}, {1, 2, 2, 3, 3}, {2, 1, 3, 5}, {1, 3, 4, 2}};
        for (long[] shape : shapes) {
            int dims = shape.length - 2;
            INDArray x = rand(shape);
            int[] f = new int[dims];
            java.util.Arrays.fill(f, 2);
            INDArray ref =
                    eval(
                            (s, v) -> Resize.upsampleLinear(s.sd(), v, f),
                            Scope.create(DataType.DOUBLE, 1, true),
                            x);
            INDArray got =
                    eval(
                            (s, v) -> FastOps.linearUp2(s.sd(), v, dims, (int) shape[1]),
                            Scope.create(DataType.DOUBLE, 1, true),
                            x);
            assertThat(got.shape()).containsExactly(ref.shape());
            assertThat(got.sub(ref).amaxNumber().doubleValue())
                    .as(java.util.Arrays.toString(shape))
                    .isLessThan(1e-12);
        }
        LayerGradients.check(new LinearUp(3, 1), true, 1e-6, 30, rand(1, 1, 2, 3, 2));
        LayerGradients.check(new LinearUp(2, 2), true, 1e-6, 30, rand(1, 2, 3, 2));
    }

    /** Runs two modules with the same parameters on x; returns both outputs and stores. */
    static INDArray[] pair(Module fast, Module ref, boolean training, INDArray x) {
        ParameterStore store = new ParameterStore();
        Scope a =
                Scope.root(
                        org.nd4j.autodiff.samediff.SameDiff.create(),
                        store,
                        DataType.DOUBLE,
                        3,
                        training);
        INDArray ya = eval((s, v) -> fast.forward(s, v), a, x);
        // perturb the shared parameters so that ones/zeros do not hide mistakes
        for (String n : store.names()) {
            store.get(n).addi(0.37);
        }
        ya =
                eval(
                        (s, v) -> fast.forward(s, v),
                        Scope.root(
                                org.nd4j.autodiff.samediff.SameDiff.create(),
                                store,
                                DataType.DOUBLE,
                                3,
                                training),
                        x);
        INDArray yb =
                eval(
                        (s, v) -> ref.forward(s, v),
                        Scope.root(
                                org.nd4j.autodiff.samediff.SameDiff.create(),
                                store,
                                DataType.DOUBLE,
                                3,
                                training),
                        x);
        return new INDArray[] {ya, yb};
    }

    @Test
    void channelLayersEqualNnCoreLayers() {
        INDArray x = rand(2, 3, 4, 3, 2);
        INDArray[] p = pair(new ChannelPReLU(3, 3, 0.25), new PReLU(3, 0.25), true, x);
        assertThat(p[0].sub(p[1]).amaxNumber().doubleValue()).isLessThan(1e-12);
    }

    /** Instance and batch norm are nn-core's layers (fused kernels with the engine on). */
    @Test
    void normsAreNnCoreLayers() {
        assertThat(Norm.instance().layer(3)).isEqualTo(InstanceNorm.of(3));
        assertThat(Norm.batch().layer(3)).isEqualTo(BatchNorm.of(3));
    }

    @Test
    void channelLayerGradients() {
        LayerGradients.check(new ChannelPReLU(3, 2, 0.25), true, 1e-6, 20, rand(2, 3, 2, 3));
    }
}
