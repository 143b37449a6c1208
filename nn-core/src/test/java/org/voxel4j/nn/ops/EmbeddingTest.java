package org.voxel4j.nn.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.PartitionMode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.check.GradientCheck;

class EmbeddingTest {
    @Test
    void matchesTorchEmbedding() {
        Fixtures.Case c = Fixtures.get("embedding");
        INDArray w = c.in("weight");
        INDArray idx = c.in("indices");
        // Weight as a variable (static shape [V, E]), indices through a placeholder of unknown
        // shape.
        SameDiff sd = SameDiff.create();
        SDVariable weight = sd.var("weight", w);
        SDVariable indices = sd.placeHolder("indices", DataType.LONG, -1, -1);
        SDVariable y = Embedding.lookup(sd, weight, indices);
        INDArray out = sd.output(Map.of("indices", idx), y.name()).get(y.name());
        Fixtures.assertClose(out, c.out("y"), 0, "embedding");
    }

    @Test
    void gradientAccumulatesRepeatedIndices() {
        Map<String, INDArray> in = new LinkedHashMap<>();
        in.put("w", Nd4j.randn(DataType.DOUBLE, 6, 3));
        in.put("i", Nd4j.createFromArray(new long[][] {{0, 5, 2, 2}, {2, 1, 0, 2}}));
        GradientCheck.check((sd, v) -> Embedding.lookup(sd, v.get("w"), v.get("i"), 6), in)
                .assertPasses(1e-6);

        // d sum(lookup) / dW[v, :] = number of occurrences of v (hand count: 0 twice, 1 once,
        // 2 four times, 3 and 4 never, 5 once).
        SameDiff sd = SameDiff.create();
        SDVariable w = sd.var("w", in.get("w").dup());
        SDVariable y = Embedding.lookup(sd, w, sd.constant(in.get("i")));
        sd.setLossVariables(y.sum());
        INDArray g = sd.calculateGradients(Map.of(), "w").get("w");
        double[] counts = {2, 1, 4, 0, 0, 1};
        for (int v = 0; v < 6; v++) {
            for (int e = 0; e < 3; e++) {
                assertThat(g.getDouble(v, e)).isEqualTo(counts[v]);
            }
        }
    }

    @Test
    void outOfRangeIndicesGiveZeroRows() {
        Map<String, INDArray> in = new LinkedHashMap<>();
        in.put("w", Nd4j.randn(DataType.DOUBLE, 4, 2));
        in.put("i", Nd4j.createFromArray(1, 4, 7));
        INDArray y =
                Fixtures.forward((sd, v) -> Embedding.lookup(sd, v.get("w"), v.get("i"), 4), in);
        assertThat(y.getRow(0)).isEqualTo(in.get("w").getRow(1));
        assertThat(y.getRow(1)).isEqualTo(Nd4j.zeros(DataType.DOUBLE, 2));
        assertThat(y.getRow(2)).isEqualTo(Nd4j.zeros(DataType.DOUBLE, 2));
    }

    @Test
    void rejectsFloatIndicesAndUnknownVocabulary() {
        SameDiff sd = SameDiff.create();
        SDVariable w = sd.placeHolder("w", DataType.DOUBLE, -1, 4);
        SDVariable f = sd.placeHolder("f", DataType.DOUBLE, -1);
        SDVariable i = sd.placeHolder("i", DataType.INT, -1);
        assertThatThrownBy(() -> Embedding.lookup(sd, w, f, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("integer");
        assertThatThrownBy(() -> Embedding.lookup(sd, w, i))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vocabulary size");
    }

    /**
     * ND4J 1.0.0-M2.1 bugs avoided by {@link Embedding}: the backward of {@code gather} fails and
     * {@code embeddingLookup} has no gradient. If this test fails, ND4J fixed one of them.
     */
    @Test
    void nd4jGatherAndEmbeddingLookupBackwardStillFail() {
        Map<String, INDArray> in = new LinkedHashMap<>();
        in.put("w", Nd4j.randn(DataType.DOUBLE, 5, 3));
        in.put("i", Nd4j.createFromArray(0, 3, 3));
        INDArray fwd = Fixtures.forward((sd, v) -> sd.gather(v.get("w"), v.get("i"), 0), in);
        Fixtures.assertClose(
                fwd,
                Fixtures.forward((sd, v) -> Embedding.lookup(sd, v.get("w"), v.get("i"), 5), in),
                0,
                "ND4J gather forward");
        Throwable gather =
                catchThrowable(
                        () ->
                                GradientCheck.check(
                                        (sd, v) -> sd.gather(v.get("w"), v.get("i"), 0), in));
        assertThat(gather).isNotNull().hasMessageContaining("assign");
        Throwable lookup =
                catchThrowable(
                        () ->
                                GradientCheck.check(
                                        (sd, v) ->
                                                sd.math.embeddingLookup(
                                                        v.get("w"), v.get("i"), PartitionMode.MOD),
                                        in));
        assertThat(lookup).isInstanceOf(UnsupportedOperationException.class);
    }
}
