package org.voxel4j.volumetric.nets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.InputSpec;
import org.voxel4j.nn.Model;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.Scope;
import org.voxel4j.volumetric.Fixtures;
import org.voxel4j.volumetric.blocks.Act;
import org.voxel4j.volumetric.blocks.Norm;
import org.voxel4j.volumetric.blocks.Upsampler;

/**
 * Parameter counts against PyTorch re-implementations ({@code fixtures/nets/make_fixtures.py}),
 * output and deep-supervision shapes, and save/load round trips of every network.
 */
class NetsTest {

    static final JsonNode COUNTS = Fixtures.json("/fixtures/nets/param_counts.json");

    @TempDir Path dir;

    static long expected(String key) {
        JsonNode n = COUNTS.get(key);
        if (n == null) {
            throw new IllegalStateException("no fixture " + key);
        }
        return n.asLong();
    }

    static InputSpec spec(int dims, int channels) {
        long[] s = new long[2 + dims];
        Arrays.fill(s, -1);
        s[1] = channels;
        return InputSpec.of("image", s);
    }

    static Model build(Module net, int dims, int channels) {
        return Model.create(net, 3, spec(dims, channels));
    }

    // ------------------------------------------------------------------ configurations

    static UNet bench() {
        return UNet.unet3d(1, 2, List.of(16, 32, 64, 128));
    }

    static UNet residualStridedNearest() {
        return UNet.unet3d(2, 3, List.of(8, 16, 32))
                .withBlocks(2, true)
                .withSampling(UNet.Down.STRIDED_CONV, Upsampler.Mode.NEAREST)
                .withDeepSupervision(true);
    }

    static UNet twoDBatchPreluLinear() {
        return UNet.unet2d(1, 4, List.of(6, 12, 24, 48))
                .withBlocks(1, false)
                .withNorm(Norm.batch())
                .withAct(Act.prelu())
                .withSampling(UNet.Down.MAX_POOL, Upsampler.Mode.LINEAR)
                .withDeepSupervision(true);
    }

    static UNet groupStrided() {
        return UNet.unet3d(1, 2, List.of(8, 16))
                .withBlocks(3, false)
                .withNorm(Norm.group(4))
                .withAct(Act.relu())
                .withSampling(UNet.Down.STRIDED_CONV, Upsampler.Mode.TRANSPOSED);
    }

    static UNet residualGroupDs() {
        return UNet.unet3d(1, 2, List.of(4, 8, 16, 16))
                .withBlocks(1, true)
                .withNorm(Norm.group(2))
                .withAct(Act.relu())
                .withDeepSupervision(true);
    }

    // ------------------------------------------------------------------ parameter counts

    @Test
    void unetParameterCountsMatchPyTorch() {
        Object[][] cases = {
            {bench(), "unet_bench"},
            {residualStridedNearest(), "unet_res_strided_nearest_ds"},
            {twoDBatchPreluLinear(), "unet2d_batch_prelu_linear_ds"},
            {groupStrided(), "unet3d_group"},
            {residualGroupDs(), "unet3d_res_group_ds"}
        };
        for (Object[] c : cases) {
            UNet u = (UNet) c[0];
            long want = expected((String) c[1]);
            assertThat(u.parameterCount()).as(c[1] + " formula").isEqualTo(want);
            assertThat(build(u, u.spatialDims(), u.inChannels()).parameterCount())
                    .as((String) c[1])
                    .isEqualTo(want);
        }
    }

    @Test
    void attentionUnetParameterCountsMatchPyTorch() {
        AttentionUnet t = AttentionUnet.turbolift(2, 1, 1);
        assertThat(build(t, 2, 1).parameterCount()).isEqualTo(expected("turbolift2d_1_1"));
        assertThat(t.parameterCount()).isEqualTo(expected("turbolift2d_1_1"));
        AttentionUnet a = AttentionUnet.attentionUnet3d(1, 3, 8);
        assertThat(build(a, 3, 1).parameterCount()).isEqualTo(expected("attention3d_base8_1_3"));
        assertThat(a.parameterCount()).isEqualTo(expected("attention3d_base8_1_3"));
        AttentionUnet b =
                new AttentionUnet(
                        3,
                        2,
                        2,
                        List.of(4, 8, 16, 32),
                        List.of(4, 8, 4),
                        Norm.instance(),
                        Act.leakyRelu(),
                        false,
                        true);
        assertThat(build(b, 3, 2).parameterCount())
                .isEqualTo(expected("attention3d_4levels_nopyr"));
        assertThat(b.parameterCount()).isEqualTo(expected("attention3d_4levels_nopyr"));
    }

    @Test
    void stuNetPresetsMatchThePaperCode() {
        for (StuNet.Preset p : StuNet.Preset.values()) {
            assertThat(StuNet.of(p, 1, 105).parameterCount())
                    .as(p + " 105 classes")
                    .isEqualTo(expected("stunet_" + p + "_1_105"));
            assertThat(StuNet.of(p, 1, 2).parameterCount())
                    .as(p + " 2 classes")
                    .isEqualTo(expected("stunet_" + p + "_1_2"));
        }
        // STU-Net-B with TotalSegmentator's 104 classes + background: the paper's 58.26 M.
        assertThat(StuNet.base(1, 105).parameterCount()).isBetween(58_255_000L, 58_265_000L);
        // The built S network has exactly the formula's count (L and H share the code path and
        // are checked built at reduced widths below: 1.4 billion floats do not fit a test).
        assertThat(build(StuNet.small(1, 2), 3, 1).parameterCount())
                .isEqualTo(expected("stunet_S_1_2"));
        StuNet d2 =
                new StuNet(
                        3,
                        1,
                        3,
                        List.of(4, 8, 16, 32, 64, 64),
                        List.of(2, 2, 2, 2, 2, 2),
                        null,
                        true);
        assertThat(build(d2, 3, 1).parameterCount()).isEqualTo(expected("stunet_tiny_d2"));
        StuNet d3 = new StuNet(3, 2, 2, List.of(4, 8, 8), List.of(3, 1, 2), null, true);
        assertThat(build(d3, 3, 2).parameterCount()).isEqualTo(expected("stunet_tiny_d3"));
        assertThat(d3.parameterCount()).isEqualTo(expected("stunet_tiny_d3"));
    }

    // ------------------------------------------------------------------ shapes

    /** Runs {@code net} on {@code x} in eval mode; returns the output and the aux outputs. */
    static Map<String, long[]> shapes(Module net, INDArray x) {
        Scope s = Scope.create(DataType.FLOAT, 5, false);
        long[] ph = new long[x.rank()];
        Arrays.fill(ph, -1);
        SDVariable in = s.sd().placeHolder("x", DataType.FLOAT, ph);
        SDVariable out = net.forward(s, in);
        List<String> names = new ArrayList<>();
        names.add(out.name());
        Map<String, String> byAux = new HashMap<>();
        s.auxOutputs()
                .forEach(
                        (k, v) -> {
                            names.add(v.name());
                            byAux.put(k, v.name());
                        });
        Map<String, INDArray> r = s.sd().output(Map.of("x", x), names.toArray(String[]::new));
        Map<String, long[]> shapes = new HashMap<>();
        shapes.put("out", r.get(out.name()).shape());
        byAux.forEach((k, v) -> shapes.put(k, r.get(v).shape()));
        return shapes;
    }

    static INDArray input(long... shape) {
        Nd4j.getRandom().setSeed(17);
        return Nd4j.randn(DataType.FLOAT, shape);
    }

    @Test
    void unetShapesAndDeepSupervisionHeads() {
        Map<String, long[]> a = shapes(bench(), input(1, 1, 16, 16, 16));
        assertThat(a.get("out")).containsExactly(1, 2, 16, 16, 16);
        assertThat(a).hasSize(1);
        UNet aniso =
                residualStridedNearest().withStrides(List.of(List.of(1, 2, 2), List.of(2, 2, 2)));
        Map<String, long[]> b = shapes(aniso, input(2, 2, 4, 8, 8));
        assertThat(b.get("out")).containsExactly(2, 3, 4, 8, 8);
        assertThat(b.get("ds_1x2x2")).containsExactly(2, 3, 4, 4, 4);
        assertThat(b).hasSize(2);
        Map<String, long[]> c = shapes(twoDBatchPreluLinear(), input(1, 1, 16, 8));
        assertThat(c.get("out")).containsExactly(1, 4, 16, 8);
        assertThat(c.get("ds_2x2")).containsExactly(1, 4, 8, 4);
        assertThat(c.get("ds_4x4")).containsExactly(1, 4, 4, 2);
    }

    @Test
    void attentionUnetShapesAndFourHeads() {
        AttentionUnet a = AttentionUnet.attentionUnet3d(1, 3, 2);
        Map<String, long[]> r = shapes(a, input(1, 1, 16, 16, 16));
        assertThat(r.get("out")).containsExactly(1, 3, 16, 16, 16);
        assertThat(r.get("ds_2x2x2")).containsExactly(1, 3, 8, 8, 8);
        assertThat(r.get("ds_4x4x4")).containsExactly(1, 3, 4, 4, 4);
        assertThat(r.get("ds_8x8x8")).containsExactly(1, 3, 2, 2, 2);
        assertThat(r).hasSize(4);
        Map<String, long[]> t =
                shapes(
                        AttentionUnet.attentionUnet2d(2, 2, 2).withGateAllSkips(false),
                        input(2, 2, 32, 16));
        assertThat(t.get("out")).containsExactly(2, 2, 32, 16);
        assertThat(t).hasSize(4);
    }

    @Test
    void stuNetShapes() {
        StuNet s =
                new StuNet(
                        3,
                        1,
                        2,
                        List.of(4, 8, 16),
                        List.of(1, 2, 1),
                        List.of(List.of(1, 2, 2), List.of(2)),
                        true);
        Map<String, long[]> r = shapes(s, input(1, 1, 4, 8, 8));
        assertThat(r.get("out")).containsExactly(1, 2, 4, 8, 8);
        assertThat(r.get("ds_1x2x2")).containsExactly(1, 2, 4, 4, 4);
        assertThat(r).hasSize(2);
        assertThat(s.divisor()).containsExactly(2, 4, 4);
        assertThatThrownBy(() -> s.checkInputSize(new int[] {4, 8, 6}))
                .hasMessageContaining("[2, 4, 4]")
                .hasMessageContaining("[4, 8, 6]");
    }

    // ------------------------------------------------------------------ save / load

    @Test
    void everyNetworkSurvivesSaveAndLoad() throws IOException {
        Module[] nets = {
            residualStridedNearest(),
            twoDBatchPreluLinear(),
            AttentionUnet.attentionUnet3d(1, 2, 2)
                    .withChannels(List.of(2, 4, 8, 16), List.of(2, 4, 2)),
            new StuNet(3, 1, 2, List.of(4, 8), List.of(1, 1), null, true),
            SaliencyGuidedUnet.saliencyUnet3d(1, 2, List.of(4, 8), 5.0)
        };
        int[] dims = {3, 2, 3, 3, 3};
        int[] in = {2, 1, 1, 1, 2};
        for (int i = 0; i < nets.length; i++) {
            Model m = build(nets[i], dims[i], in[i]);
            // Move BatchNorm running statistics away from their initial values.
            for (String n : m.parameters().bufferNames()) {
                m.parameters().get(n).addi(0.1 * (i + 1));
            }
            Path f = dir.resolve("net" + i + ".v4j");
            m.save(f);
            Model back = Model.load(f);
            assertThat(back.network()).isEqualTo(nets[i]);
            assertThat(back.parameterCount()).isEqualTo(m.parameterCount());
            int size = 8;
            long[] shape =
                    dims[i] == 3
                            ? new long[] {1, in[i], size, size, size}
                            : new long[] {1, 1, size, size};
            INDArray x = input(shape);
            assertThat(back.predict(x))
                    .as(nets[i].getClass().getSimpleName())
                    .isEqualTo(m.predict(x));
        }
    }

    @Test
    void headsPredicateSelectsOnlySegmentationHeads() {
        Model m = build(residualStridedNearest(), 3, 2);
        List<String> heads =
                m.parameters().names().stream().filter(SegmentationNets.HEADS).toList();
        assertThat(heads)
                .containsExactlyInAnyOrder("ds1/weight", "ds1/bias", "head/weight", "head/bias");
        assertThat(SegmentationNets.auxFactors("unet/ds_1x2x2")).containsExactly(1, 2, 2);
        assertThat(SegmentationNets.auxFactors("dec0")).isNull();
    }

    @Test
    void invalidConfigurationsNameTheValue() {
        assertThatThrownBy(() -> UNet.unet3d(1, 2, List.of(8)))
                .hasMessageContaining("at least 2")
                .hasMessageContaining("[8]");
        assertThatThrownBy(() -> bench().withStrides(List.of(List.of(2))))
                .hasMessageContaining("(3)");
        assertThatThrownBy(
                        () ->
                                new AttentionUnet(
                                        3,
                                        1,
                                        2,
                                        List.of(4, 8, 16),
                                        List.of(4),
                                        Norm.batch(),
                                        Act.prelu(),
                                        true,
                                        true))
                .hasMessageContaining("upChannels");
        assertThatThrownBy(() -> SaliencyGuidedUnet.saliencyUnet3d(1, 2, List.of(4, 8), 0))
                .hasMessageContaining("sigmaMm");
    }
}
