package org.voxel4j.nn.losses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.ModuleTypes;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.testing.Fixtures;

/**
 * Every loss against its peer (PyTorch, and MONAI / torchvision / the focal Tversky authors' code
 * re-implemented in PyTorch; fixture: fixtures/losses/make_fixtures.py): the value and the autograd
 * gradients with respect to the prediction and, where continuous, the target and the weight. The
 * central-difference checks of the same cases are in {@link LossesGradientTest}.
 */
class LossesVsTorchTest {

    static Stream<JsonNode> cases() {
        return LossCases.all().stream();
    }

    /** The fixture's inputs in forward order: prediction, target, optional weight. */
    static Map<String, INDArray> inputs(JsonNode c) {
        Map<String, INDArray> in = new LinkedHashMap<>();
        in.put("pred", Fixtures.array(c.get("pred")));
        in.put("target", Fixtures.array(c.get("target")));
        if (c.has("weight")) {
            in.put("weight", Fixtures.array(c.get("weight")));
        }
        return in;
    }

    /** The case's loss, after a JSON round trip (so the serialised form is what is checked). */
    static Module loss(JsonNode c) throws Exception {
        Module m = LossCases.moduleFor(c.get("name").asText());
        var mapper = ModuleTypes.mapper();
        Module back = mapper.readValue(mapper.writeValueAsString(m), Module.class);
        assertThat(back).isEqualTo(m);
        return back;
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("cases")
    void matchesTorch(JsonNode c) throws Exception {
        String name = c.get("name").asText();
        Module m = loss(c);
        Map<String, INDArray> in = inputs(c);
        Scope s = Scope.create(DataType.DOUBLE, 1, true);
        SameDiff sd = s.sd();
        List<SDVariable> vars = new ArrayList<>();
        for (Map.Entry<String, INDArray> e : in.entrySet()) {
            // Through identity, so the loss sees no static shape, as with placeholders.
            vars.add(sd.identity(sd.var(e.getKey(), e.getValue())));
        }
        SDVariable loss = m.forward(s, vars.toArray(SDVariable[]::new));
        sd.setLossVariables(loss);
        INDArray value = loss.eval();
        assertThat(value.length()).as(name + " is a scalar").isEqualTo(1);
        double expected = c.get("loss").asDouble();
        assertThat(value.getDouble(0))
                .as(name + " value")
                .isCloseTo(
                        expected,
                        org.assertj.core.data.Offset.offset(
                                1e-10 * Math.max(1, Math.abs(expected))));

        List<String> wrt = new ArrayList<>(List.of("pred"));
        if (c.has("grad_target")) {
            wrt.add("target");
        }
        if (c.has("grad_weight")) {
            wrt.add("weight");
        }
        Map<String, INDArray> g = sd.calculateGradients(Map.of(), wrt);
        assertClose(name + " grad pred", g.get("pred"), Fixtures.array(c.get("grad_pred")));
        if (c.has("grad_target")) {
            assertClose(
                    name + " grad target", g.get("target"), Fixtures.array(c.get("grad_target")));
        }
        if (c.has("grad_weight")) {
            assertClose(
                    name + " grad weight", g.get("weight"), Fixtures.array(c.get("grad_weight")));
        }
    }

    @Test
    void everyFixtureCaseIsUsed() {
        assertThat(LossCases.all()).hasSizeGreaterThanOrEqualTo(36);
    }

    static void assertClose(String what, INDArray actual, INDArray expected) {
        assertThat(actual).as(what + " missing").isNotNull();
        assertThat(actual.shape()).as(what + " shape").containsExactly(expected.shape());
        double maxDiff = actual.sub(expected).amaxNumber().doubleValue();
        double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
        assertThat(maxDiff / scale).as(what + " max relative difference").isLessThan(1e-9);
    }
}
