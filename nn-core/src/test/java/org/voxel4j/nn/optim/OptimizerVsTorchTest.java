package org.voxel4j.nn.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.testing.Fixtures;

/** Optimiser trajectories, schedules and clipping against torch.optim (fixtures/core). */
class OptimizerVsTorchTest {

    static Optimizer optimizerFor(JsonNode c) {
        JsonNode k = c.get("config");
        String name = c.get("name").asText();
        if (name.startsWith("sgd")) {
            return new Sgd(
                    k.path("momentum").asDouble(0),
                    k.path("dampening").asDouble(0),
                    k.path("nesterov").asBoolean(false),
                    k.path("weight_decay").asDouble(0));
        }
        double b1 = k.get("betas").get(0).asDouble();
        double b2 = k.get("betas").get(1).asDouble();
        double eps = k.get("eps").asDouble();
        double wd = k.path("weight_decay").asDouble(0);
        return name.startsWith("adamw") ? new AdamW(b1, b2, eps, wd) : new Adam(b1, b2, eps, wd);
    }

    static Stream<JsonNode> cases() {
        List<JsonNode> l = new ArrayList<>();
        Fixtures.json("/fixtures/core/optimizers.json").forEach(l::add);
        return l.stream();
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("cases")
    void followsTorchTrajectory(JsonNode c) {
        Optimizer opt = optimizerFor(c);
        INDArray p = Fixtures.array(c.get("p0"));
        Map<String, INDArray> state = new LinkedHashMap<>();
        for (String s : opt.stateNames()) {
            state.put(s, Nd4j.zerosLike(p));
        }
        for (int i = 0; i < c.get("grads").size(); i++) {
            INDArray g = Fixtures.array(c.get("grads").get(i));
            INDArray gCopy = g.dup();
            opt.update(p, g, state, c.get("lrs").get(i).asDouble(), i + 1);
            assertThat(g).as("gradient must not be modified").isEqualTo(gCopy);
            INDArray expected = Fixtures.array(c.get("trajectory").get(i));
            assertThat(p.sub(expected).amaxNumber().doubleValue())
                    .as(c.get("name").asText() + " step " + (i + 1))
                    .isLessThan(1e-12);
        }
    }

    @Test
    void schedulesMatchTorch() {
        JsonNode s = Fixtures.json("/fixtures/core/schedules.json");
        check(s.get("step_7_0.5"), LrSchedule.step(0.1, 7, 0.5));
        check(
                s.get("multistep_5_12_20_0.1"),
                LrSchedule.multiStep(0.1, List.of(5L, 12L, 20L), 0.1));
        check(s.get("poly_25_0.9"), LrSchedule.poly(0.1, 25, 0.9));
        // CosineAnnealingLR(T_max=30) = our cosine without warm-up over 30 steps.
        check(s.get("cosine_annealing_30_min0.001"), LrSchedule.cosine(0.1, 0, 30, 0.001));
    }

    private static void check(JsonNode expected, LrSchedule s) {
        for (int i = 0; i < expected.size(); i++) {
            assertThat(s.at(i))
                    .as(s + " at " + i)
                    .isCloseTo(
                            expected.get(i).asDouble(), org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    @Test
    void cosineWarmupRampsLinearly() {
        LrSchedule s = LrSchedule.cosine(1.0, 4, 14, 0.0);
        assertThat(s.at(0)).isEqualTo(0.25);
        assertThat(s.at(3)).isEqualTo(1.0);
        assertThat(s.at(4)).isEqualTo(1.0);
        assertThat(s.at(9)).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(s.at(14)).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(s.at(100)).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void clippingMatchesTorch() {
        JsonNode c = Fixtures.json("/fixtures/core/clipping.json");
        List<INDArray> grads = new ArrayList<>();
        c.get("grads").forEach(g -> grads.add(Fixtures.array(g)));
        double norm = GradientClipping.clipByGlobalNorm(grads, c.get("max_norm").asDouble());
        assertThat(norm)
                .isCloseTo(c.get("norm").asDouble(), org.assertj.core.data.Offset.offset(1e-12));
        for (int i = 0; i < grads.size(); i++) {
            INDArray e = Fixtures.array(c.get("clipped").get(i));
            assertThat(grads.get(i).sub(e).amaxNumber().doubleValue()).isLessThan(1e-12);
        }
    }

    @Test
    void invalidConfigsAreRejectedWithTheValue() {
        assertThatThrownBy(() -> new Adam(1.0, 0.999, 1e-8, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("beta1")
                .hasMessageContaining("1.0");
        assertThatThrownBy(() -> new Sgd(0, 0, true, 0)).hasMessageContaining("Nesterov");
        assertThatThrownBy(() -> LrSchedule.cosine(0.1, 10, 5, 0))
                .hasMessageContaining("warmupSteps");
    }
}
