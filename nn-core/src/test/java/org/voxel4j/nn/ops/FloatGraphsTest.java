package org.voxel4j.nn.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Models train in FLOAT: every op must keep the input's data type (constants are cast to it) and
 * agree with its DOUBLE result to float precision.
 */
class FloatGraphsTest {
    @Test
    void everyOpRunsInFloatAndMatchesDouble() {
        Map<String, BiFunction<SameDiff, Map<String, SDVariable>, SDVariable>> ops =
                new LinkedHashMap<>();
        ops.put(
                "reflect",
                (sd, v) -> Padding.pad(sd, v.get("x"), Padding.Mode.REFLECT, 1, 2, 2, 1));
        ops.put(
                "replicate",
                (sd, v) -> Padding.pad(sd, v.get("x"), Padding.Mode.REPLICATE, 1, 2, 2, 1));
        ops.put(
                "circular",
                (sd, v) -> Padding.pad(sd, v.get("x"), Padding.Mode.CIRCULAR, 1, 2, 2, 1));
        ops.put("constant", (sd, v) -> Padding.constant(sd, v.get("x"), 0.5, 1, 2, 2, 1));
        ops.put(
                "groupNorm",
                (sd, v) -> Norms.groupNorm(sd, v.get("x"), 2, v.get("c"), v.get("c"), 1e-5));
        ops.put(
                "instanceNorm",
                (sd, v) -> Norms.instanceNorm(sd, v.get("x"), v.get("c"), v.get("c"), 1e-5));
        ops.put("layerNorm", (sd, v) -> Norms.layerNorm(sd, v.get("x"), 3, null, null, 1e-5));
        ops.put("rmsNorm", (sd, v) -> Norms.rmsNorm(sd, v.get("x"), 1, null, 1e-6));
        ops.put(
                "bnTrain",
                (sd, v) ->
                        Norms.batchNormTrain(sd, v.get("x"), v.get("c"), v.get("c"), 1e-5)
                                .output());
        ops.put(
                "bnUnbiased",
                (sd, v) ->
                        Norms.batchNormTrain(sd, v.get("x"), null, null, 1e-5).unbiasedVariance());
        ops.put(
                "bnEval",
                (sd, v) ->
                        Norms.batchNormEval(
                                sd,
                                v.get("x"),
                                v.get("c"),
                                v.get("c"),
                                v.get("c"),
                                v.get("c"),
                                1e-5));
        ops.put("prelu", (sd, v) -> Activations.prelu(sd, v.get("x"), v.get("c"), true));
        ops.put("gelu", (sd, v) -> Activations.gelu(sd, v.get("x")));
        ops.put("geluTanh", (sd, v) -> Activations.geluTanh(sd, v.get("x")));
        ops.put("silu", (sd, v) -> Activations.silu(sd, v.get("x")));
        ops.put("softplus", (sd, v) -> Activations.softplus(sd, v.get("x"), 2.0, 1.0));
        ops.put("softmax", (sd, v) -> Activations.softmax(sd, v.get("x"), 1));
        ops.put("logSoftmax", (sd, v) -> Activations.logSoftmax(sd, v.get("x"), 3));
        ops.put("logSumExp", (sd, v) -> Activations.logSumExp(sd, v.get("x"), false, 2, 3));
        ops.put("upNearest", (sd, v) -> Resize.upsampleNearest(sd, v.get("x"), 2, 3));
        ops.put("upLinear", (sd, v) -> Resize.upsampleLinear(sd, v.get("x"), 3, 2));
        ops.put(
                "resize",
                (sd, v) ->
                        Resize.resize(
                                sd,
                                v.get("x"),
                                Resize.Mode.LINEAR,
                                true,
                                new long[] {3, 4},
                                new long[] {5, 7}));
        ops.put(
                "area",
                (sd, v) ->
                        Resize.resize(
                                sd,
                                v.get("x"),
                                Resize.Mode.AREA,
                                false,
                                new long[] {3, 4},
                                new long[] {2, 3}));
        ops.put("avgPool", (sd, v) -> Resize.avgPool(sd, v.get("x"), 1, 2));
        ops.put("roll", (sd, v) -> Shapes.roll(sd, v.get("x"), 4, 3, 1));
        ops.put("embedding", (sd, v) -> Embedding.lookup(sd, v.get("w"), v.get("i"), 5));

        Map<String, INDArray> dbl = new LinkedHashMap<>();
        dbl.put("x", Nd4j.randn(DataType.DOUBLE, 2, 4, 3, 4));
        dbl.put("c", Nd4j.rand(DataType.DOUBLE, 4).add(0.5));
        dbl.put("w", Nd4j.randn(DataType.DOUBLE, 5, 3));
        dbl.put("i", Nd4j.createFromArray(new int[][] {{1, 4}, {0, 0}}));
        Map<String, INDArray> flt = new LinkedHashMap<>();
        dbl.forEach((k, a) -> flt.put(k, a.dataType().isFPType() ? a.castTo(DataType.FLOAT) : a));

        for (var e : ops.entrySet()) {
            INDArray d = Fixtures.forward(e.getValue(), dbl);
            INDArray f = Fixtures.forward(e.getValue(), flt);
            assertThat(f.dataType()).as(e.getKey() + " output type").isEqualTo(DataType.FLOAT);
            Fixtures.assertClose(
                    f.castTo(DataType.DOUBLE), d, 1e-5, e.getKey() + " float vs double");
        }
    }
}
