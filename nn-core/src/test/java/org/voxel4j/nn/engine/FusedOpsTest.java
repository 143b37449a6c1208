package org.voxel4j.nn.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.ParameterStore;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.layers.Conv;
import org.voxel4j.nn.layers.ConvTranspose;
import org.voxel4j.nn.layers.Pool;
import org.voxel4j.nn.ops.Activations;
import org.voxel4j.nn.ops.Shapes;

/**
 * The engine's activation, softmax, pooling and convolution ops against the SameDiff/ND4J ops they
 * replace (forward and gradients, float and double). The replaced ops are themselves checked
 * against PyTorch fixtures and central differences in the ops and layers tests, which also run
 * through the engine.
 */
class FusedOpsTest {

    private interface Build {
        SDVariable apply(Scope s, SDVariable x);
    }

    /** Output and input/parameter gradients of {@code sum(y * w)}. */
    static Map<String, INDArray> run(boolean fused, Build build, INDArray x) {
        return Engine.withFusedOps(
                fused,
                () -> {
                    SameDiff sd = SameDiff.create();
                    Scope s = Scope.root(sd, new ParameterStore(), x.dataType(), 5, true);
                    SDVariable xv = sd.var("x", x.dup()).add(0.0);
                    SDVariable y = build.apply(s, xv);
                    INDArray yv = sd.output(Map.of(), y.name()).get(y.name());
                    Nd4j.getRandom().setSeed(3);
                    SDVariable w =
                            sd.constant(
                                    Nd4j.randn(DataType.DOUBLE, yv.shape()).castTo(yv.dataType()));
                    sd.setLossVariables(y.mul(w).sum());
                    List<String> wrt = new java.util.ArrayList<>(s.store().parameterNames());
                    wrt.add("x");
                    Map<String, INDArray> out = new LinkedHashMap<>();
                    out.put("y", yv);
                    out.putAll(Engine.gradients(sd, Map.of(), List.of(), wrt).gradients());
                    return out;
                });
    }

    static void assertSame(Build b, INDArray x, double tol) {
        Map<String, INDArray> f = run(true, b, x);
        Map<String, INDArray> c = run(false, b, x);
        assertThat(f.keySet()).containsExactlyElementsOf(c.keySet());
        for (String k : c.keySet()) {
            INDArray e = c.get(k);
            assertThat(f.get(k).shape()).as(k).containsExactly(e.shape());
            double scale = 1 + e.amaxNumber().doubleValue();
            assertThat(f.get(k).sub(e).amaxNumber().doubleValue())
                    .as(k + " max abs error, scale " + scale)
                    .isLessThanOrEqualTo(tol * scale);
        }
    }

    static INDArray randn(DataType t, long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, shape).castTo(t);
    }

    @ParameterizedTest
    @ValueSource(strings = {"DOUBLE", "FLOAT"})
    void opsEqualSameDiffs(String type) {
        DataType t = DataType.valueOf(type);
        double tol = t == DataType.DOUBLE ? 1e-12 : 2e-6;
        // Slopes exact in float: ND4J's leaky ReLU applies its slope in float.
        assertSame((s, x) -> Activations.leakyRelu(s.sd(), x, 0.125), randn(t, 1, 3, 4, 50), tol);
        assertSame((s, x) -> Activations.relu(s.sd(), x), randn(t, 2, 2, 70000), tol);
        assertSame((s, x) -> Activations.softmax(s.sd(), x, 1), randn(t, 3, 2, 3, 5, 4), tol);
        assertSame((s, x) -> Activations.logSoftmax(s.sd(), x, 1), randn(t, 4, 2, 3, 5, 4), tol);
        assertSame((s, x) -> Activations.softmax(s.sd(), x, 2), randn(t, 5, 2, 3, 5), tol);
        assertSame((s, x) -> Activations.softmax(s.sd(), x, 1), randn(t, 6, 1, 2, 40, 40, 40), tol);
        for (long[] shape : new long[][] {{2, 3, 6, 4, 8}, {1, 2, 5, 7, 3}, {1, 16, 32, 32, 32}}) {
            assertSame((s, x) -> s.call("p", Pool.max(3, 2), x), randn(t, 7, shape), tol);
        }
        assertSame((s, x) -> s.call("p", Pool.max(2, 2), x), randn(t, 8, 2, 3, 9, 6), tol);
        assertSame(
                (s, x) -> s.call("p", new Pool(Pool.Kind.MAX, 3, List.of(3), List.of(2)), x),
                randn(t, 9, 1, 2, 7, 7, 5),
                tol);
        assertSame(
                (s, x) -> Shapes.concatChannels(s.sd(), x.mul(2), x, x.add(1)),
                randn(t, 13, 2, 3, 4, 5),
                tol);
        assertSame(
                (s, x) ->
                        Engine.enabled()
                                ? ConcatOps.concat(s.sd(), 2, x, x.mul(3))
                                : s.sd().concat(2, x, x.mul(3)),
                randn(t, 14, 2, 3, 4, 5),
                tol);
        assertSame(
                (s, x) -> s.call("c", Conv.conv3d(3, 4, 3).withStride(2), x),
                randn(t, 10, 1, 3, 7, 6, 5),
                t == DataType.DOUBLE ? 1e-12 : 1e-5);
        assertSame(
                (s, x) -> s.call("c", Conv.conv2d(3, 4, 3).withBias(false), x),
                randn(t, 11, 2, 3, 7, 6),
                t == DataType.DOUBLE ? 1e-12 : 1e-5);
        assertSame(
                (s, x) -> s.call("c", ConvTranspose.upsampler(3, 3, 2, 2), x),
                randn(t, 12, 1, 3, 3, 4, 2),
                t == DataType.DOUBLE ? 1e-12 : 1e-5);
    }

    /** PyTorch sends the gradient of a window with equal values to its first element. */
    @ParameterizedTest
    @ValueSource(strings = {"DOUBLE", "FLOAT"})
    void maxPoolTiesGoToTheFirstElement(String type) {
        DataType t = DataType.valueOf(type);
        INDArray x = Nd4j.ones(t, 1, 1, 4, 4, 4);
        x.putScalar(new long[] {0, 0, 3, 3, 3}, 2.0); // last window: unique maximum at its end
        Map<String, INDArray> r = run(true, (s, v) -> s.call("p", Pool.max(3, 2), v), x);
        INDArray g = r.get("x");
        // Gradient positions: window (d,h,w) first element at (2d, 2h, 2w) except the last one.
        long nonZero = g.neq(0).castTo(DataType.INT32).sumNumber().longValue();
        assertThat(nonZero).isEqualTo(8);
        for (int d = 0; d < 2; d++) {
            for (int h = 0; h < 2; h++) {
                for (int ww = 0; ww < 2; ww++) {
                    long[] at =
                            d == 1 && h == 1 && ww == 1
                                    ? new long[] {0, 0, 3, 3, 3}
                                    : new long[] {0, 0, 2 * d, 2 * h, 2 * ww};
                    assertThat(g.getDouble(at)).as("window %d %d %d", d, h, ww).isNotZero();
                }
            }
        }
    }

    @Test
    void adamKernelMatchesTheFormulaInFloat() {
        Nd4j.getRandom().setSeed(4);
        INDArray p = Nd4j.randn(DataType.FLOAT, 1000);
        INDArray g = Nd4j.randn(DataType.FLOAT, 1000);
        INDArray m = Nd4j.randn(DataType.FLOAT, 1000).muli(0.1);
        INDArray v = Nd4j.rand(DataType.FLOAT, 1000).muli(0.1);
        INDArray pd = p.castTo(DataType.DOUBLE);
        INDArray gd = g.castTo(DataType.DOUBLE);
        INDArray md = m.castTo(DataType.DOUBLE);
        INDArray vd = v.castTo(DataType.DOUBLE);
        double lr = 1e-3;
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-8;
        double bc1 = 1 - Math.pow(b1, 3);
        double bc2 = 1 - Math.pow(b2, 3);
        OptimKernels.adam(p, g, m, v, lr, b1, b2, eps, bc1, bc2, 0.01);
        INDArray gg = gd.add(pd.mul(0.01));
        md.muli(b1).addi(gg.mul(1 - b1));
        vd.muli(b2).addi(gg.mul(gg).muli(1 - b2));
        INDArray denom =
                org.nd4j.linalg.ops.transforms.Transforms.sqrt(vd, true)
                        .divi(Math.sqrt(bc2))
                        .addi(eps);
        pd.subi(md.div(denom).muli(lr / bc1));
        assertThat(p.castTo(DataType.DOUBLE).sub(pd).amaxNumber().doubleValue()).isLessThan(1e-6);
        assertThat(m.castTo(DataType.DOUBLE).sub(md).amaxNumber().doubleValue()).isLessThan(1e-6);
        assertThat(v.castTo(DataType.DOUBLE).sub(vd).amaxNumber().doubleValue()).isLessThan(1e-6);
    }
}
