package org.voxel4j.nn.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.data.Offset.offset;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.custom.DistributionUniform;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.voxel4j.nn.check.GradientCheck;

class DropoutTest {
    private static final double P = 0.3;

    /** A graph y = dropout(x) with x a placeholder of unknown shape. */
    private static SameDiff graph(String out) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, -1, -1);
        SDVariable y = Dropout.apply(sd, x, P, true);
        sd.updateVariableNameAndReference(y, out);
        return sd;
    }

    private static INDArray run(SameDiff sd, INDArray x) {
        return sd.output(Map.of("x", x), "y").get("y");
    }

    @Test
    void maskHasTwoValuesAndTheRightRate() {
        INDArray x = Nd4j.ones(DataType.DOUBLE, 10, 100, 100);
        INDArray y = run(graph("y"), x);
        long zeros = y.scan(Conditions.equals(0.0)).longValue();
        long kept = y.scan(Conditions.equals(1.0 / (1 - P))).longValue();
        assertThat(zeros + kept).as("every element is 0 or 1/(1-p)").isEqualTo(x.length());
        // 100000 Bernoulli(0.3) draws: standard deviation of the rate 0.00145.
        assertThat((double) zeros / x.length()).isCloseTo(P, offset(0.01));
        // Inverted dropout keeps the mean.
        assertThat(y.meanNumber().doubleValue()).isCloseTo(1.0, offset(0.02));
    }

    @Test
    void seedReproducesTheMaskAndStepsDiffer() {
        SameDiff sd = graph("y");
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 4, 8).add(1);
        Nd4j.getRandom().setSeed(42);
        INDArray a = run(sd, x);
        INDArray b = run(sd, x);
        Nd4j.getRandom().setSeed(42);
        INDArray c = run(sd, x);
        Nd4j.getRandom().setSeed(43);
        INDArray d = run(sd, x);
        assertThat(c).as("same seed, same mask").isEqualTo(a);
        assertThat(b).as("next step, new mask").isNotEqualTo(a);
        assertThat(d).as("other seed, other mask").isNotEqualTo(a);
        // A freshly built graph with the same seed draws the same mask.
        Nd4j.getRandom().setSeed(42);
        assertThat(run(graph("y"), x)).isEqualTo(a);
    }

    @Test
    void twoDropoutsInOneGraphDrawIndependentMasks() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, -1);
        SDVariable a = Dropout.apply(sd, x, 0.5, true);
        SDVariable b = Dropout.apply(sd, x, 0.5, true);
        Map<String, INDArray> out =
                sd.output(Map.of("x", Nd4j.ones(DataType.DOUBLE, 4, 64)), a.name(), b.name());
        assertThat(out.get(a.name())).isNotEqualTo(out.get(b.name()));
        assertThat(sd.getListeners().stream().filter(l -> l instanceof Dropout.Seeder).count())
                .as("one seeder per graph")
                .isEqualTo(1);
    }

    @Test
    void gradientIsTheMask() {
        INDArray x = Nd4j.randn(DataType.DOUBLE, 2, 3, 4);
        // The checker reseeds before every evaluation, so all evaluations see the same mask.
        GradientCheck.check((sd, v) -> Dropout.apply(sd, v.get("x"), P, true), Map.of("x", x))
                .assertPasses(1e-6);

        SameDiff sd = SameDiff.create();
        SDVariable xv = sd.var("x", x.dup());
        SDVariable y = Dropout.apply(sd, xv, P, true);
        SDVariable loss = y.sum();
        sd.setLossVariables(loss);
        Nd4j.getRandom().setSeed(7);
        var res =
                sd.calculateGradientsAndOutputs(
                        Map.of(), java.util.List.of(y.name()), java.util.List.of("x"));
        INDArray mask = res.getOutputs().get(y.name()).div(x);
        Fixtures.assertClose(res.getGradients().get("x"), mask, 1e-12, "d sum(dropout(x)) / dx");
        var res2 =
                sd.calculateGradientsAndOutputs(
                        Map.of(), java.util.List.of(y.name()), java.util.List.of("x"));
        assertThat(res2.getGradients().get("x"))
                .as("next training step, new mask")
                .isNotEqualTo(res.getGradients().get("x"));
    }

    @Test
    void fitDrawsANewMaskEveryIterationInFloat() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 16);
        SDVariable w = sd.var("w", Nd4j.ones(DataType.FLOAT, 16, 1));
        SDVariable loss = sd.mmul(Dropout.apply(sd, x, 0.5, true), w).sum();
        sd.setLossVariables(loss);
        sd.setTrainingConfig(
                org.nd4j.autodiff.samediff.TrainingConfig.builder()
                        .updater(new org.nd4j.linalg.learning.config.Sgd(1.0))
                        .dataSetFeatureMapping("x")
                        .markLabelsUnused()
                        .build());
        var data =
                new org.nd4j.linalg.dataset.MultiDataSet(
                        new INDArray[] {Nd4j.ones(DataType.FLOAT, 1, 16)}, new INDArray[0]);
        java.util.List<INDArray> updates = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            INDArray before = sd.getArrForVarName("w").dup();
            sd.fit(data);
            // SGD with lr 1: the update is the gradient, mask / (1 - p) = 0 or 2 per weight.
            INDArray update = before.sub(sd.getArrForVarName("w"));
            long zeros = update.scan(Conditions.equals(0.0)).longValue();
            long twos = update.scan(Conditions.equals(2.0)).longValue();
            assertThat(zeros + twos).isEqualTo(16);
            updates.add(update);
        }
        assertThat(updates.get(1)).isNotEqualTo(updates.get(0));
        assertThat(updates.get(2)).isNotEqualTo(updates.get(1));
    }

    @Test
    void channelDropoutZeroesWholeChannels() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, -1, -1, -1, -1);
        SDVariable y = Dropout.channels(sd, x, 0.5, true, 3);
        INDArray in = Nd4j.ones(DataType.DOUBLE, 4, 16, 2, 3, 2);
        INDArray out = sd.output(Map.of("x", in), y.name()).get(y.name());
        INDArray perChannelMax = out.max(2, 3, 4);
        INDArray perChannelMin = out.min(2, 3, 4);
        assertThat(perChannelMax).as("constant over each channel").isEqualTo(perChannelMin);
        long dropped = perChannelMax.scan(Conditions.equals(0.0)).longValue();
        assertThat(dropped).isBetween(1L, 63L);
        INDArray x2 = Nd4j.randn(DataType.DOUBLE, 2, 3, 2, 2);
        GradientCheck.check(
                        (s, v) -> Dropout.channels(s, v.get("x"), 0.4, true, 2), Map.of("x", x2))
                .assertPasses(1e-6);
    }

    @Test
    void dropPathZeroesWholeSamples() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, -1, -1);
        SDVariable y = Dropout.path(sd, x, 0.5, true, 3);
        INDArray out =
                sd.output(Map.of("x", Nd4j.ones(DataType.DOUBLE, 64, 3, 4)), y.name())
                        .get(y.name());
        INDArray perSampleMax = out.max(1, 2);
        assertThat(perSampleMax).as("constant over each sample").isEqualTo(out.min(1, 2));
        long dropped = perSampleMax.scan(Conditions.equals(0.0)).longValue();
        long kept = perSampleMax.scan(Conditions.equals(2.0)).longValue();
        assertThat(dropped + kept).isEqualTo(64);
        assertThat(dropped).isBetween(1L, 63L);
        assertThat(Dropout.path(sd, x, 0.5, false, 3)).isSameAs(x);
        GradientCheck.check(
                        (s, v) -> Dropout.path(s, v.get("x"), 0.4, true, 3),
                        Map.of("x", Nd4j.randn(DataType.DOUBLE, 4, 2, 3)))
                .assertPasses(1e-6);
    }

    @Test
    void evaluationAndEdgeProbabilities() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, -1);
        assertThat(Dropout.apply(sd, x, P, false)).isSameAs(x);
        assertThat(Dropout.apply(sd, x, 0.0, true)).isSameAs(x);
        SDVariable all = Dropout.apply(sd, x, 1.0, true);
        INDArray in = Nd4j.rand(DataType.DOUBLE, 3, 4);
        assertThat(sd.output(Map.of("x", in), all.name()).get(all.name()))
                .isEqualTo(Nd4j.zeros(DataType.DOUBLE, 3, 4));
        assertThatThrownBy(() -> Dropout.apply(sd, x, 1.5, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1.5");
    }

    /**
     * Why {@link Dropout} installs a seeder: in ND4J 1.0.0-M2.1 a custom random op inside a graph
     * draws the same numbers on every run and ignores {@code Nd4j.getRandom().setSeed} once it has
     * run. If this test fails, ND4J changed its random-op handling and the seeder may be
     * unnecessary.
     */
    @Test
    void nd4jRandomOpsInGraphsStillRepeatWithoutSeeder() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, -1);
        SDVariable u =
                new DistributionUniform(sd, sd.shape(x), 0.0, 1.0, DataType.DOUBLE)
                        .outputVariable();
        Map<String, INDArray> in = Map.of("x", Nd4j.zeros(DataType.DOUBLE, 3, 5));
        Nd4j.getRandom().setSeed(1);
        INDArray a = sd.output(in, u.name()).get(u.name());
        INDArray b = sd.output(in, u.name()).get(u.name());
        Nd4j.getRandom().setSeed(2);
        INDArray c = sd.output(in, u.name()).get(u.name());
        assertThat(b).isEqualTo(a);
        assertThat(c).isEqualTo(a);
    }

    /**
     * ND4J 1.0.0-M2.1 bug avoided by {@link Dropout}: its dropout ops have no gradient. If this
     * test fails, ND4J fixed it.
     */
    @Test
    void nd4jDropoutStillHasNoGradient() {
        INDArray x = Nd4j.randn(DataType.DOUBLE, 3, 4);
        GradientCheck.Options staticShapes =
                GradientCheck.Options.defaults().withDynamicShapes(false);
        Throwable inverted =
                catchThrowable(
                        () ->
                                GradientCheck.check(
                                        (sd, v) -> sd.nn.dropoutInverted(v.get("x"), 0.5),
                                        Map.of("x", x),
                                        staticShapes));
        assertThat(inverted).isInstanceOf(UnsupportedOperationException.class);
        Throwable plain =
                catchThrowable(
                        () ->
                                GradientCheck.check(
                                        (sd, v) -> sd.nn.dropout(v.get("x"), 0.5),
                                        Map.of("x", x),
                                        staticShapes));
        assertThat(plain).isInstanceOf(UnsupportedOperationException.class);
    }
}
