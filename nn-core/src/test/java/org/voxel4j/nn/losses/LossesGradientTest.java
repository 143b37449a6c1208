package org.voxel4j.nn.losses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.ParameterStore;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.check.GradientCheck;

/**
 * Central-difference gradient checks in double precision ({@link GradientCheck}) of every fixture
 * case: with respect to the prediction and, where they are continuous, the target and the weight
 * (label maps are not differentiable). Up to 16 elements per input are sampled; the full gradients
 * are compared with PyTorch's autograd in {@link LossesVsTorchTest}.
 */
class LossesGradientTest {
    private static int threads;
    private static int masterThreads;

    /**
     * One ND4J thread while this class runs: the checks evaluate thousands of tiny graphs, and on
     * the shared build machines each channel-axis reduction of a 2-thread OpenMP region cost ~20 ms
     * of thread rendezvous against ~1 ms single-threaded (measured; the values do not depend on
     * it).
     */
    @BeforeAll
    static void singleThread() {
        threads = Nd4j.getEnvironment().maxThreads();
        masterThreads = Nd4j.getEnvironment().maxMasterThreads();
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
    }

    @AfterAll
    static void restoreThreads() {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(masterThreads);
    }

    static Stream<JsonNode> cases() {
        return LossCases.all().stream();
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("cases")
    void centralDifferences(JsonNode c) {
        Module m = LossCases.moduleFor(c.get("name").asText());
        Map<String, INDArray> in = LossesVsTorchTest.inputs(c);
        List<String> wrt = new ArrayList<>(List.of("pred"));
        if (c.has("grad_target")) {
            wrt.add("target");
        }
        if (c.has("grad_weight")) {
            wrt.add("weight");
        }
        GradientCheck.Result r =
                GradientCheck.check(
                        (sd, v) ->
                                m.forward(
                                        Scope.root(
                                                sd, new ParameterStore(), DataType.DOUBLE, 1, true),
                                        v.values().toArray(SDVariable[]::new)),
                        in,
                        GradientCheck.Options.defaults()
                                .withInputs(wrt.toArray(String[]::new))
                                .withMaxElementsPerInput(16));
        r.assertPasses(1e-6);
        assertThat(r.checkedElements()).as(c.get("name").asText()).isGreaterThanOrEqualTo(16);
    }
}
