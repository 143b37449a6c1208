package org.voxel4j.recon.ffc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.InputSpec;
import org.voxel4j.nn.Model;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.ParameterStore;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.check.GradientCheck;
import org.voxel4j.nn.layers.PadMode;
import org.voxel4j.recon.Fixtures;

/**
 * FFC modules against an independent PyTorch re-implementation with copied weights
 * (fixtures/ffc/make_fixtures.py): parameter counts, eval- and train-mode outputs, gradients; plus
 * central-difference gradient checks on tiny shapes and a checkpoint round trip.
 */
class FfcTest {

    @TempDir Path dir;

    static long count(Module m, int channels) {
        return Model.create(m, 1, InputSpec.of("x", -1, channels, -1, -1)).parameterCount();
    }

    @Test
    void parameterCountsMatchPyTorch() {
        JsonNode c = Fixtures.json("ffc/ffc_counts.json").get("counts");
        assertThat(count(new FourierUnit(8, 8), 8)).isEqualTo(c.get("fourier_unit_8_8").asLong());
        assertThat(count(SpectralTransform.of(16, 16), 16))
                .isEqualTo(c.get("spectral_transform_16_16").asLong());
        assertThat(count(Ffc.of(16, 16, 3, 0.75), 16))
                .isEqualTo(c.get("ffc_16_16_k3_075").asLong());
        assertThat(count(new Ffc(16, 24, 3, 0, 0.75, 2, 1, PadMode.REFLECT), 16))
                .isEqualTo(c.get("ffc_16_24_k3_0_075_s2").asLong());
        assertThat(count(new FfcBnAct(Ffc.of(16, 16, 3, 0.75)), 16))
                .isEqualTo(c.get("ffc_bn_act_16_16_k3_075").asLong());
        assertThat(count(new FfcResBlock(256, 0.75), 256))
                .isEqualTo(c.get("resblock_256_075").asLong());
        FfcEncoderDecoder g = FfcEncoderDecoder.gloReDi();
        assertThat(count(g.encoder(), 1)).isEqualTo(c.get("gloredi_encoder").asLong());
        assertThat(count(g, 1)).isEqualTo(c.get("gloredi").asLong());
        assertThat(c.get("gloredi").asLong()).isEqualTo(6_736_577L);
    }

    @Test
    void invalidConfigurationsAreRejected() {
        assertThatThrownBy(() -> new Ffc(4, 4, 3, 1.5, 0.5, 1, 1, PadMode.REFLECT))
                .hasMessageContaining("ratioGin");
        assertThatThrownBy(() -> new Ffc(4, 2, 3, 0.5, 0.5, 1, 1, PadMode.REFLECT))
                .hasMessageContaining("1 global output channel");
        assertThatThrownBy(() -> new Ffc(4, 4, 3, 0.5, 0.5, 3, 1, PadMode.REFLECT))
                .hasMessageContaining("stride");
        assertThatThrownBy(() -> new FfcEncoderDecoder(1, 2, 8, 2, 1, 1, 0.75, 1024, true))
                .hasMessageContaining("global skip");
        assertThatThrownBy(() -> new FfcEncoderDecoder(1, 1, 8, 0, 1, 1, 0.75, 1024, false))
                .hasMessageContaining("downsampling");
    }

    /** Loads a fixture's weights into a fresh store (parameters and BN running statistics). */
    static ParameterStore weights(String prefix) {
        JsonNode meta = Fixtures.json("ffc/" + prefix + ".json");
        INDArray flat = Fixtures.ndarray("ffc/" + prefix + "_params.npy");
        ParameterStore store = new ParameterStore();
        for (int i = 0; i < meta.get("names").size(); i++) {
            String name = meta.get("names").get(i).asText();
            long off = meta.get("offsets").get(i).asLong();
            List<Long> shape = new ArrayList<>();
            meta.get("shapes").get(i).forEach(n -> shape.add(n.asLong()));
            long len = shape.stream().reduce(1L, (a, b) -> a * b);
            INDArray v =
                    flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(off, off + len))
                            .dup()
                            .reshape(shape.stream().mapToLong(Long::longValue).toArray());
            boolean buffer = name.endsWith("running_mean") || name.endsWith("running_var");
            store.add(name, v, buffer ? ParameterStore.Kind.BUFFER : ParameterStore.Kind.PARAMETER);
        }
        return store;
    }

    static double maxRel(INDArray actual, INDArray expected) {
        assertThat(actual.shape()).containsExactly(expected.shape());
        double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
        return actual.sub(expected).amaxNumber().doubleValue() / scale;
    }

    static Module fixtureModule(String prefix) {
        return prefix.equals("fu")
                ? new FourierUnit(3, 2)
                : new FfcEncoderDecoder(1, 1, 8, 2, 2, 1, 0.75, 1024, false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fu", "net"})
    void evalOutputMatchesPyTorch(String prefix) {
        ParameterStore store = weights(prefix);
        Scope s =
                Scope.root(
                        org.nd4j.autodiff.samediff.SameDiff.create(),
                        store,
                        DataType.DOUBLE,
                        1,
                        false);
        INDArray x = Fixtures.ndarray("ffc/" + prefix + "_x.npy");
        SDVariable in = s.sd().placeHolder("x", DataType.DOUBLE, -1, x.size(1), -1, -1);
        SDVariable y = fixtureModule(prefix).forward(s, in);
        INDArray out = s.sd().output(Map.of("x", x), y.name()).get(y.name());
        assertThat(maxRel(out, Fixtures.ndarray("ffc/" + prefix + "_y_eval.npy")))
                .isLessThan(1e-10);
        assertThat(store.parameterCount())
                .isEqualTo(
                        Fixtures.json("ffc/" + prefix + ".json").get("parameter_count").asLong());
    }

    @ParameterizedTest
    @ValueSource(strings = {"fu", "net"})
    void trainOutputAndGradientsMatchPyTorch(String prefix) {
        ParameterStore store = weights(prefix);
        Scope s =
                Scope.root(
                        org.nd4j.autodiff.samediff.SameDiff.create(),
                        store,
                        DataType.DOUBLE,
                        1,
                        true);
        INDArray x = Fixtures.ndarray("ffc/" + prefix + "_x.npy");
        SDVariable in = s.sd().var("x", x);
        SDVariable y = fixtureModule(prefix).forward(s, in);
        SDVariable loss = y.mul(s.constant(Fixtures.ndarray("ffc/" + prefix + "_r.npy"))).sum();
        s.sd().setLossVariables(loss);
        INDArray out = y.eval();
        assertThat(maxRel(out, Fixtures.ndarray("ffc/" + prefix + "_y_train.npy")))
                .isLessThan(1e-10);
        JsonNode meta = Fixtures.json("ffc/" + prefix + ".json");
        List<String> wrt = new ArrayList<>();
        wrt.add("x");
        meta.get("grad_names").forEach(n -> wrt.add(n.asText()));
        org.voxel4j.nn.Graphs.prepareGradients(s.sd());
        Map<String, INDArray> g = s.sd().calculateGradients(Map.of(), wrt);
        assertThat(maxRel(g.get("x"), Fixtures.ndarray("ffc/" + prefix + "_grad_x.npy")))
                .isLessThan(1e-9);
        INDArray flat = Fixtures.ndarray("ffc/" + prefix + "_grad_params.npy");
        for (int i = 0; i < meta.get("grad_names").size(); i++) {
            String name = meta.get("grad_names").get(i).asText();
            long off = meta.get("grad_offsets").get(i).asLong();
            INDArray p = store.get(name);
            INDArray expected =
                    flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(off, off + p.length()))
                            .dup()
                            .reshape(p.shape());
            assertThat(maxRel(g.get(name), expected)).as(name).isLessThan(1e-9);
        }
    }

    /** Central differences w.r.t. the input and (a sample of) every parameter, train mode. */
    static void gradientCheck(Module m, INDArray x, int maxElements) {
        Map<String, INDArray> all = new LinkedHashMap<>();
        all.put("in0", x);
        Scope probe = Scope.create(DataType.DOUBLE, 7, true);
        m.forward(probe, probe.sd().var("in0", x));
        Nd4j.getRandom().setSeed(99);
        for (String name : probe.store().parameterNames()) {
            INDArray p = probe.store().get(name);
            all.put(name, p.add(Nd4j.randn(DataType.DOUBLE, p.shape()).muli(0.3)));
        }
        GradientCheck.check(
                        (sd, vars) ->
                                m.forward(
                                        Scope.root(
                                                sd, new ParameterStore(), DataType.DOUBLE, 7, true),
                                        vars.get("in0")),
                        all,
                        GradientCheck.Options.defaults().withMaxElementsPerInput(maxElements))
                .assertPasses(1e-5);
    }

    @Test
    void fourierUnitGradients() {
        Nd4j.getRandom().setSeed(1);
        gradientCheck(new FourierUnit(2, 2), Nd4j.randn(DataType.DOUBLE, 2, 2, 4, 5), 24);
    }

    @Test
    void ffcAndResidualBlockGradients() {
        Nd4j.getRandom().setSeed(2);
        gradientCheck(
                new FfcBnAct(new Ffc(4, 4, 3, 0.5, 0.5, 1, 1, PadMode.REFLECT)),
                Nd4j.randn(DataType.DOUBLE, 2, 4, 4, 5),
                4);
        // the residual block composes checked parts; a few elements of each tensor suffice (its
        // full gradients are also compared with PyTorch inside the encoder-decoder fixture)
        gradientCheck(new FfcResBlock(4, 0.5), Nd4j.randn(DataType.DOUBLE, 2, 4, 4, 4), 2);
    }

    @Test
    void stridedSpectralTransformGradients() {
        Nd4j.getRandom().setSeed(3);
        gradientCheck(new SpectralTransform(2, 4, 2), Nd4j.randn(DataType.DOUBLE, 2, 2, 4, 6), 16);
    }

    @Test
    void residualBlocksShareOneDftPlanPerResolution() {
        // 2 encoder + 2 decoder blocks = 8 Fourier units; one plan (3 cosine ops) per resolution
        // reference: the encoder's bottleneck input and the decoder's latent
        FfcEncoderDecoder net = new FfcEncoderDecoder(1, 1, 4, 2, 2, 2, 0.75, 1024, false);
        org.nd4j.autodiff.samediff.SameDiff sd = org.nd4j.autodiff.samediff.SameDiff.create();
        Model.create(net, 1, InputSpec.of("x", -1, 1, -1, -1)).build(sd, true);
        long cos =
                sd.getOps().values().stream().filter(o -> o.getOp().opName().equals("cos")).count();
        assertThat(cos).isEqualTo(6);
    }

    @Test
    void checkpointRoundTrip() throws IOException {
        FfcEncoderDecoder net = new FfcEncoderDecoder(1, 1, 4, 2, 1, 1, 0.75, 1024, true);
        Model m = Model.create(net, 5, InputSpec.of("image", -1, 1, -1, -1));
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 8, 12);
        INDArray y = m.predict(x);
        assertThat(y.shape()).containsExactly(2, 1, 8, 12);
        Path f = dir.resolve("ffc.v4j");
        m.save(f);
        Model back = Model.load(f);
        assertThat(back.network()).isEqualTo(net);
        assertThat(back.parameterCount()).isEqualTo(m.parameterCount());
        assertThat(back.predict(x).sub(y).amaxNumber().doubleValue()).isEqualTo(0.0);
        // the same weights serve another image size (sizes are read at run time)
        assertThat(back.predict(Nd4j.rand(DataType.FLOAT, 1, 1, 16, 8)).shape())
                .containsExactly(1, 1, 16, 8);
    }
}
