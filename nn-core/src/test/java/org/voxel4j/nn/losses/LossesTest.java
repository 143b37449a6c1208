package org.voxel4j.nn.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.ModuleTypes;
import org.voxel4j.nn.ParameterStore;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.check.GradientCheck;

/**
 * Configuration, serialisation, run-time guards and identities between the losses; the values
 * themselves are checked against PyTorch in {@link LossesVsTorchTest}.
 */
class LossesTest {

    /** The loss of {@code m} on the given arrays (double precision, no static shapes). */
    static double eval(Module m, INDArray... in) {
        Scope s = Scope.create(DataType.DOUBLE, 1, true);
        SDVariable[] v = new SDVariable[in.length];
        for (int i = 0; i < in.length; i++) {
            v[i] = s.sd().identity(s.sd().var("in" + i, in[i].castTo(DataType.DOUBLE)));
        }
        INDArray out = m.forward(s, v).eval();
        assertThat(out.length()).isEqualTo(1);
        return out.getDouble(0);
    }

    static INDArray labels(long seed, int classes, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.DOUBLE, shape)
                .muli(classes)
                .castTo(DataType.INT)
                .castTo(DataType.DOUBLE);
    }

    static INDArray randn(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, shape);
    }

    static List<Module> everyLoss() {
        return List.of(
                CrossEntropyLoss.of(),
                CrossEntropyLoss.of()
                        .withWeight(0.5, 2.0)
                        .withIgnoreIndex(255)
                        .withLabelSmoothing(0.05)
                        .withProbabilityTargets(true)
                        .withReduction(Reduction.SUM),
                BceWithLogitsLoss.of().withPosWeight(3.0, 0.5),
                DiceLoss.multiClass().withWeight(1.0, 2.0).withBatch(true).withJaccard(true),
                DiceLoss.multiLabel().withSquaredPred(true).withSmooth(0.0, 1e-6),
                DiceCeLoss.nnUNet(true).withWeight(1.0, 2.0, 3.0).withLambdas(0.5, 2.0),
                DiceCeLoss.of().withLabelSmoothing(0.1).withReduction(Reduction.SUM),
                FocalLoss.of().withAlpha(0.25, 0.75).withGamma(1.5),
                SigmoidFocalLoss.of().withAlpha(-1),
                FocalTverskyLoss.of(),
                FocalTverskyLoss.binary().withGamma(1.0 / 3.0),
                L1Loss.of(),
                MseLoss.of(),
                new SmoothL1Loss(0.25, Reduction.SUM),
                WeightedSum.of(1.0, L1Loss.of(), 0.1, MseLoss.of()),
                WeightedSum.sum(DiceLoss.multiLabel(), BceWithLogitsLoss.of())
                        .plus(
                                0.5,
                                WeightedSum.of(2.0, FocalTverskyLoss.binary(), -1.0, L1Loss.of())));
    }

    @Test
    void everyLossRoundTripsThroughJson() throws Exception {
        ObjectMapper mapper = ModuleTypes.mapper();
        for (Module m : everyLoss()) {
            String json = mapper.writeValueAsString(m);
            assertThat(json).contains("\"@type\":\"" + m.getClass().getName() + "\"");
            Module back = mapper.readValue(json, Module.class);
            assertThat(back).as(json).isEqualTo(m).isInstanceOf(m.getClass());
            assertThat(mapper.writeValueAsString(back)).isEqualTo(json);
        }
    }

    @Test
    void badConfigurationsNameTheValue() {
        assertThatThrownBy(() -> CrossEntropyLoss.of().withLabelSmoothing(1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("labelSmoothing")
                .hasMessageContaining("1.5");
        assertThatThrownBy(() -> CrossEntropyLoss.of().withWeight(1.0, -2.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("weight")
                .hasMessageContaining("-2.0");
        assertThatThrownBy(() -> CrossEntropyLoss.of().withReduction(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reduction");
        assertThatThrownBy(() -> DiceLoss.multiClass().withSigmoid(true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sigmoid and softmax");
        assertThatThrownBy(() -> DiceLoss.of().withSmooth(-1e-5, 1e-5))
                .hasMessageContaining("smoothNr")
                .hasMessageContaining("-1.0E-5");
        assertThatThrownBy(() -> DiceCeLoss.multiClass().withLambdas(1.0, -0.5))
                .hasMessageContaining("lambdaCe")
                .hasMessageContaining("-0.5");
        assertThatThrownBy(() -> DiceCeLoss.multiClass().withWeight(2.0))
                .hasMessageContaining("weight")
                .hasMessageContaining("[2.0]");
        assertThatThrownBy(() -> FocalLoss.of().withGamma(Double.NaN))
                .hasMessageContaining("gamma")
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> SigmoidFocalLoss.of().withAlpha(1.5))
                .hasMessageContaining("alpha")
                .hasMessageContaining("1.5");
        assertThatThrownBy(() -> FocalTverskyLoss.of().withGamma(0.0))
                .hasMessageContaining("gamma")
                .hasMessageContaining("0.0");
        assertThatThrownBy(() -> FocalTverskyLoss.of().withAlphaBeta(0.7, -0.3))
                .hasMessageContaining("beta")
                .hasMessageContaining("-0.3");
        assertThatThrownBy(() -> new SmoothL1Loss(-1.0, Reduction.MEAN))
                .hasMessageContaining("beta")
                .hasMessageContaining("-1.0");
        assertThatThrownBy(() -> new WeightedSum(List.of(L1Loss.of()), List.of(1.0, 2.0)))
                .hasMessageContaining("one weight per loss")
                .hasMessageContaining("[1.0, 2.0]");
        assertThatThrownBy(
                        () ->
                                new WeightedSum(
                                        List.of(L1Loss.of()), List.of(Double.POSITIVE_INFINITY)))
                .hasMessageContaining("Infinity");
        assertThatThrownBy(() -> new WeightedSum(List.of(), List.of()))
                .hasMessageContaining("at least one loss");
    }

    @Test
    void wrongInputCountsAreRejected() {
        Scope s = Scope.create(DataType.DOUBLE, 1, true);
        SDVariable x = s.sd().var("x", randn(1, 2, 3));
        assertThatThrownBy(() -> CrossEntropyLoss.of().forward(s, x))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CrossEntropyLoss takes 2 inputs")
                .hasMessageContaining("got 1");
        assertThatThrownBy(() -> MseLoss.of().forward(s, x, x, x, x))
                .hasMessageContaining("MseLoss takes 2 or 3 inputs")
                .hasMessageContaining("got 4");
    }

    @Test
    void handComputedCrossEntropy() {
        // Voxel 0: logits (0, ln 3), label 1 -> p = 3/4; voxel 1: logits (ln 2, 0), label 0 -> 2/3.
        INDArray x =
                Nd4j.createFromArray(new double[][] {{0, Math.log(2)}, {Math.log(3), 0}})
                        .reshape(1, 2, 2);
        INDArray y = Nd4j.createFromArray(new double[] {1, 0}).reshape(1, 2);
        double l0 = -Math.log(0.75);
        double l1 = -Math.log(2.0 / 3.0);
        assertThat(eval(CrossEntropyLoss.of(), x, y)).isCloseTo((l0 + l1) / 2, within(1e-14));
        assertThat(eval(CrossEntropyLoss.of().withWeight(2.0, 5.0), x, y))
                .isCloseTo((5 * l0 + 2 * l1) / 7, within(1e-14));
        assertThat(eval(CrossEntropyLoss.of().withIgnoreIndex(0), x, y))
                .isCloseTo(l0, within(1e-14));
        assertThat(eval(CrossEntropyLoss.of().withReduction(Reduction.SUM), x, y))
                .isCloseTo(l0 + l1, within(1e-14));
    }

    @Test
    void labelMapsWithAndWithoutChannelAxisAgree() {
        INDArray x = randn(3, 2, 3, 4, 5);
        INDArray y = labels(4, 3, 2, 4, 5);
        for (Module m :
                List.of(
                        CrossEntropyLoss.of(),
                        FocalLoss.of(),
                        DiceCeLoss.multiClass(),
                        DiceLoss.multiClass())) {
            assertThat(eval(m, x, y.reshape(2, 1, 4, 5)))
                    .as(m.toString())
                    .isCloseTo(eval(m, x, y), within(1e-14));
        }
    }

    @Test
    void invalidLabelsMakeTheLossNaN() {
        INDArray x = randn(5, 2, 3, 4);
        INDArray ok = Nd4j.createFromArray(new double[][] {{0, 1, 2, -100}, {2, 1, 0, 0}});
        assertThat(eval(CrossEntropyLoss.of(), x, ok)).isFinite();
        for (double bad : new double[] {3, -1, 1.5}) {
            INDArray y = ok.dup();
            y.putScalar(1, 2, bad);
            assertThat(eval(CrossEntropyLoss.of(), x, y)).as("label " + bad).isNaN();
            assertThat(eval(FocalLoss.of(), x, y)).as("label " + bad).isNaN();
            assertThat(eval(DiceLoss.multiClass(), x, y)).as("label " + bad).isNaN();
            assertThat(eval(DiceCeLoss.multiClass(), x, y)).as("label " + bad).isNaN();
        }
        // -100 is no class for the Dice losses (MONAI has no ignore index).
        assertThat(eval(DiceLoss.multiClass(), x, ok)).isNaN();
    }

    /** NaN, or an exception from the graph: anything but a finite number. */
    static void assertRejected(Module m, INDArray... in) {
        double v;
        try {
            v = eval(m, in);
        } catch (RuntimeException e) {
            return;
        }
        assertThat(v).as(m.toString()).isNaN();
    }

    /**
     * Per-class lists whose length differs from the channel count: where the constant broadcasts
     * (the graph cannot tell) the guard turns the loss into NaN, otherwise ND4J's broadcast fails.
     */
    @Test
    void perClassListsOfTheWrongLengthAreRejected() {
        INDArray x = randn(6, 2, 3, 4);
        INDArray y = labels(7, 3, 2, 4);
        assertThat(eval(CrossEntropyLoss.of().withWeight(1, 2, 3), x, y)).isFinite();
        assertRejected(CrossEntropyLoss.of().withWeight(1, 2, 3, 4), x, y);
        assertRejected(FocalLoss.of().withAlpha(1, 2), x, y);
        assertRejected(DiceLoss.multiClass().withWeight(1, 2), x, y);
        assertThat(eval(DiceLoss.multiClass().withWeight(2), x, y)).isFinite();
        INDArray t = Nd4j.rand(DataType.DOUBLE, 2, 3, 4);
        assertRejected(BceWithLogitsLoss.of().withPosWeight(1, 2), x, t);
        assertThat(eval(BceWithLogitsLoss.of().withPosWeight(2), x, t)).isFinite();
        // A single-channel prediction broadcasts against any list.
        INDArray x1 = randn(8, 2, 1, 4);
        INDArray t1 = Nd4j.rand(DataType.DOUBLE, 2, 1, 4);
        assertThat(eval(CrossEntropyLoss.of().withWeight(1, 2, 3), x1, Nd4j.zeros(2, 4))).isNaN();
        assertRejected(BceWithLogitsLoss.of().withPosWeight(1, 2), x1, t1);
        assertThat(eval(DiceLoss.multiLabel().withWeight(1, 2), x1, t1)).isNaN();
        assertThat(eval(DiceLoss.multiLabel().withWeight(3), x1, t1)).isFinite();
    }

    @Test
    void singleChannelPredictionsWhereChannelsAreNeededGiveNaN() {
        INDArray x = randn(8, 2, 1, 5);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 2, 1, 5);
        assertThat(eval(DiceLoss.multiLabel(), x, y)).isFinite();
        assertThat(eval(DiceLoss.multiClass(), x, y)).isNaN();
        assertThat(eval(DiceLoss.multiLabel().withIncludeBackground(false), x, y)).isNaN();
        assertThat(eval(DiceCeLoss.multiClass(), x, y)).isNaN();
        assertThat(eval(FocalTverskyLoss.of(), x, y)).isNaN();
    }

    @Test
    void targetsOfTheWrongSizeFailInsteadOfBroadcasting() {
        INDArray x = randn(9, 2, 3, 4, 4);
        // A label map where a one-hot target is expected, and the other way round.
        INDArray labelMap = labels(10, 3, 2, 1, 4, 4);
        INDArray oneHot = Nd4j.rand(DataType.DOUBLE, 2, 3, 4, 4);
        assertThatThrownBy(() -> eval(DiceLoss.of(), x, labelMap))
                .isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> eval(DiceLoss.multiClass(), x, oneHot))
                .isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> eval(CrossEntropyLoss.of(), x, oneHot))
                .isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> eval(MseLoss.of(), x, labelMap))
                .isInstanceOf(RuntimeException.class);
        // A weight with more elements than the prediction (it must broadcast to it).
        INDArray y = randn(11, 2, 3, 4, 4);
        assertThat(eval(MseLoss.of(), x, y, Nd4j.ones(DataType.DOUBLE, 2, 1, 4, 4))).isFinite();
        INDArray x1 = randn(12, 2, 1, 4, 4);
        assertThat(eval(MseLoss.of(), x1, x1.add(1), Nd4j.ones(DataType.DOUBLE, 2, 3, 4, 4)))
                .isNaN();
    }

    /**
     * ND4J's {@code sd.loss().meanSquaredError} drops an upstream factor from its gradient ({@code
     * Nd4jKnownBugsTest.lossGradientIgnoresUpstreamGradient} asserts that, with these inputs);
     * {@link MseLoss} keeps it. (Every check in {@link LossesGradientTest} also multiplies the loss
     * by the checker's random factor.)
     */
    @Test
    void upstreamFactorReachesTheGradient() {
        Map<String, INDArray> in = new LinkedHashMap<>();
        in.put("x", randn(12, 3, 4));
        in.put("y", randn(13, 3, 4));
        GradientCheck.Options onlyX = GradientCheck.Options.defaults().withInputs("x");
        GradientCheck.Result scaled =
                GradientCheck.check(
                        (sd, v) -> MseLoss.of().forward(scope(sd), v.get("x"), v.get("y")).mul(10),
                        in,
                        onlyX);
        scaled.assertPasses(1e-7);

        Map<String, INDArray> g1 = gradient(in, 1.0);
        Map<String, INDArray> g10 = gradient(in, 10.0);
        assertThat(g10.get("x").sub(g1.get("x").mul(10)).amaxNumber().doubleValue())
                .isLessThan(1e-12);
        // d/dx mean((x - y)^2) = 2 (x - y) / n
        INDArray expected = in.get("x").sub(in.get("y")).muli(2.0 / 12);
        assertThat(g1.get("x").sub(expected).amaxNumber().doubleValue()).isLessThan(1e-14);
    }

    private static Map<String, INDArray> gradient(Map<String, INDArray> in, double factor) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", in.get("x"));
        SDVariable y = sd.constant(in.get("y"));
        sd.setLossVariables(MseLoss.of().forward(scope(sd), x, y).mul(factor));
        return sd.calculateGradients(Map.of(), "x");
    }

    private static Scope scope(SameDiff sd) {
        return Scope.root(sd, new ParameterStore(), DataType.DOUBLE, 1, true);
    }

    @Test
    void focalLossWithGammaZeroIsCrossEntropy() {
        INDArray x = randn(14, 2, 4, 3, 3);
        INDArray y = labels(15, 4, 2, 3, 3);
        y.putScalar(0, 1, 1, -100);
        assertThat(eval(new FocalLoss(0.0, List.of(), -100, Reduction.MEAN), x, y))
                .isCloseTo(eval(CrossEntropyLoss.of(), x, y), within(1e-13));
        assertThat(eval(new FocalLoss(0.0, List.of(), -100, Reduction.SUM), x, y))
                .isCloseTo(
                        eval(CrossEntropyLoss.of().withReduction(Reduction.SUM), x, y),
                        within(1e-12));
        // Focusing only ever lowers each term: 0 < FL < CE.
        double fl = eval(FocalLoss.of(), x, y);
        assertThat(fl).isPositive().isLessThan(eval(CrossEntropyLoss.of(), x, y));
    }

    /**
     * With alpha = beta = 1/2 and gamma = 1, TI = (2 TP + 2s) / (Σp + Σy + 2s): the Dice loss with
     * smoothNr = smoothDr = 2s.
     */
    @Test
    void focalTverskyWithEqualWeightsAndGammaOneIsDice() {
        INDArray x = randn(16, 2, 3, 4, 2);
        INDArray y = labels(17, 3, 2, 1, 4, 2);
        for (boolean batch : new boolean[] {false, true}) {
            double ftl =
                    eval(
                            FocalTverskyLoss.of()
                                    .withAlphaBeta(0.5, 0.5)
                                    .withGamma(1.0)
                                    .withSmooth(0.25)
                                    .withBatch(batch),
                            x,
                            y);
            double dice = eval(DiceLoss.multiClass().withSmooth(0.5, 0.5).withBatch(batch), x, y);
            assertThat(ftl).as("batch " + batch).isCloseTo(dice, within(1e-14));
        }
        // The exponent is 1/gamma: gamma 4/3 turns the per-class term t into t^0.75.
        FocalTverskyLoss tversky = FocalTverskyLoss.binary().withGamma(1.0);
        INDArray xb = randn(18, 2, 1, 5);
        INDArray yb =
                Nd4j.createFromArray(new double[][] {{1, 0, 1, 1, 0}, {0, 0, 1, 0, 1}})
                        .reshape(2, 1, 5);
        double t = eval(tversky, xb, yb);
        assertThat(eval(FocalTverskyLoss.binary(), xb, yb))
                .isCloseTo(Math.pow(t, 0.75), within(1e-14));
    }

    @Test
    void weightedSumAddsItsTerms() {
        INDArray x = randn(19, 2, 2, 3, 3);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 2, 2, 3, 3);
        WeightedSum ws = WeightedSum.of(0.3, DiceLoss.multiLabel(), 2.0, BceWithLogitsLoss.of());
        assertThat(eval(ws, x, y))
                .isCloseTo(
                        0.3 * eval(DiceLoss.multiLabel(), x, y)
                                + 2.0 * eval(BceWithLogitsLoss.of(), x, y),
                        within(1e-13));
        INDArray mask = Nd4j.rand(DataType.DOUBLE, 2, 1, 3, 3).gt(0.5).castTo(DataType.DOUBLE);
        WeightedSum masked =
                WeightedSum.sum(L1Loss.of(), MseLoss.of()).plus(-0.5, SmoothL1Loss.of());
        assertThat(eval(masked, x, y, mask))
                .isCloseTo(
                        eval(L1Loss.of(), x, y, mask)
                                + eval(MseLoss.of(), x, y, mask)
                                - 0.5 * eval(SmoothL1Loss.of(), x, y, mask),
                        within(1e-13));
    }

    /** Inside a trainer, targets are placeholders of unknown shape in the model's data type. */
    @Test
    void worksWithPlaceholdersOfUnknownShapeInFloat() {
        INDArray x = randn(20, 2, 3, 4, 5);
        INDArray labelMap = labels(21, 3, 2, 1, 4, 5);
        INDArray soft = Nd4j.rand(DataType.DOUBLE, 2, 3, 4, 5);
        INDArray mask = Nd4j.rand(DataType.DOUBLE, 2, 1, 4, 5).gt(0.3).castTo(DataType.DOUBLE);
        Map<Module, INDArray[]> cases = new LinkedHashMap<>();
        cases.put(CrossEntropyLoss.of().withWeight(1, 2, 3), new INDArray[] {labelMap});
        cases.put(DiceCeLoss.multiClass(), new INDArray[] {labelMap});
        cases.put(FocalTverskyLoss.of(), new INDArray[] {labelMap});
        cases.put(FocalLoss.of(), new INDArray[] {labelMap});
        cases.put(BceWithLogitsLoss.of().withPosWeight(1, 2, 3), new INDArray[] {soft, mask});
        cases.put(SigmoidFocalLoss.of(), new INDArray[] {soft, mask});
        cases.put(MseLoss.of(), new INDArray[] {soft, mask});
        for (Map.Entry<Module, INDArray[]> c : cases.entrySet()) {
            SameDiff sd = SameDiff.create();
            Scope s = Scope.root(sd, new ParameterStore(), DataType.FLOAT, 1, true);
            INDArray[] rest = c.getValue();
            SDVariable[] in = new SDVariable[1 + rest.length];
            Map<String, INDArray> feed = new LinkedHashMap<>();
            in[0] = sd.placeHolder("p", DataType.FLOAT, -1, -1, -1, -1);
            feed.put("p", x.castTo(DataType.FLOAT));
            for (int i = 0; i < rest.length; i++) {
                in[i + 1] = sd.placeHolder("t" + i, DataType.FLOAT, -1, -1, -1, -1);
                feed.put("t" + i, rest[i].castTo(DataType.FLOAT));
            }
            SDVariable loss = c.getKey().forward(s, in);
            INDArray out = sd.output(feed, loss.name()).get(loss.name());
            assertThat(out.dataType()).isEqualTo(DataType.FLOAT);
            INDArray[] all = new INDArray[1 + rest.length];
            all[0] = x;
            System.arraycopy(rest, 0, all, 1, rest.length);
            double expected = eval(c.getKey(), all);
            assertThat(out.getDouble(0))
                    .as(c.getKey().toString())
                    .isCloseTo(expected, within(1e-5 * Math.max(1, Math.abs(expected))));
        }
    }
}
