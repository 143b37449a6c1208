package org.voxel4j.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.ParameterStore;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.testing.Fixtures;

/**
 * Forward outputs and gradients of every layer against PyTorch with copied weights (fixture:
 * fixtures/core/make_fixtures.py).
 */
class LayersVsTorchTest {

    static Module moduleFor(String name) {
        return switch (name) {
            case "conv1d_k3_s1_p1" -> Conv.conv1d(2, 3, 3);
            case "conv2d_k3_s2_p1" -> Conv.conv2d(2, 3, 3).withStride(2);
            case "conv2d_k13_s1_p01_nobias" ->
                    new Conv(
                            2,
                            3,
                            2,
                            List.of(1, 3),
                            List.of(1),
                            List.of(0, 1),
                            PadMode.ZEROS,
                            1,
                            false);
            case "conv2d_groups2" -> Conv.conv2d(4, 6, 3).withGroups(2);
            case "conv3d_k3_s1_p1" -> Conv.conv3d(2, 3, 3);
            case "conv3d_k3_s2_p1" -> Conv.conv3d(2, 2, 3).withStride(2);
            case "convT2d_k2_s2" -> ConvTranspose.upsampler(2, 3, 2, 2);
            case "convT2d_k3_s2_p1_op1" ->
                    new ConvTranspose(
                            2, 2, 3, List.of(3), List.of(2), List.of(1), List.of(1), true);
            case "convT3d_k2_s2" -> ConvTranspose.upsampler(3, 2, 3, 2);
            case "convT3d_k3_s2_p1_op1" ->
                    new ConvTranspose(
                            3, 2, 2, List.of(3), List.of(2), List.of(1), List.of(1), true);
            case "linear_rank3" -> Linear.of(4, 3);
            case "maxpool3d_2" -> Pool.max(3, 2);
            case "avgpool3d_2" -> Pool.avg(3, 2);
            case "maxpool2d_2" -> Pool.max(2, 2);
            case "upsample3d_nearest2" -> Upsample.nearest(3, 2);
            default -> throw new IllegalArgumentException(name);
        };
    }

    static Stream<JsonNode> cases() {
        List<JsonNode> l = new ArrayList<>();
        Fixtures.json("/fixtures/core/layers.json").forEach(l::add);
        return l.stream();
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("cases")
    void matchesTorch(JsonNode c) {
        String name = c.get("name").asText();
        Module m = moduleFor(name);
        Scope s = Scope.create(DataType.DOUBLE, 1, true);
        List<String> params = new ArrayList<>();
        for (Iterator<String> it = c.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (f.startsWith("param_")) {
                String p = f.substring(6);
                s.store().add(p, Fixtures.array(c.get(f)), ParameterStore.Kind.PARAMETER);
                params.add(p);
            }
        }
        SDVariable x = s.sd().var("x", Fixtures.array(c.get("input")));
        SDVariable y = m.forward(s, x);
        SDVariable loss = y.mul(s.sd().constant(Fixtures.array(c.get("r")))).sum();
        s.sd().setLossVariables(loss);
        INDArray out = y.eval();
        INDArray expected = Fixtures.array(c.get("output"));
        assertThat(out.shape()).as(name + " shape").containsExactly(expected.shape());
        assertClose(name + " output", out, expected);
        List<String> wrt = new ArrayList<>(params);
        wrt.add("x");
        Map<String, INDArray> g = s.sd().calculateGradients(Map.of(), wrt);
        assertClose(name + " grad input", g.get("x"), Fixtures.array(c.get("grad_input")));
        for (String p : params) {
            assertClose(name + " grad " + p, g.get(p), Fixtures.array(c.get("grad_" + p)));
        }
        assertThat(s.store().parameterCount())
                .isEqualTo(params.stream().mapToLong(p -> s.store().get(p).length()).sum());
    }

    static void assertClose(String what, INDArray actual, INDArray expected) {
        assertThat(actual).as(what + " missing").isNotNull();
        assertThat(actual.shape()).as(what + " shape").containsExactly(expected.shape());
        double maxDiff = actual.sub(expected).amaxNumber().doubleValue();
        double scale = Math.max(1.0, expected.amaxNumber().doubleValue());
        assertThat(maxDiff / scale).as(what + " max relative difference").isLessThan(1e-10);
    }
}
