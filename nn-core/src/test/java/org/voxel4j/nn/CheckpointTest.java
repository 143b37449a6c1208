package org.voxel4j.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.layers.Activation;
import org.voxel4j.nn.layers.Conv;
import org.voxel4j.nn.layers.Linear;
import org.voxel4j.nn.layers.Sequential;

class CheckpointTest {

    @TempDir Path dir;

    static Model smallModel(long seed) {
        Module net =
                Sequential.of(
                        Conv.conv2d(1, 4, 3), Activation.leakyRelu(0.01), Conv.conv2d(4, 2, 3));
        return Model.create(net, seed, InputSpec.of("image", -1, 1, -1, -1));
    }

    @Test
    void saveLoadRoundTripsConfigWeightsAndPredictions() throws IOException {
        Model m = smallModel(7);
        Path f = dir.resolve("m.v4j");
        m.save(f);
        Model back = Model.load(f);
        assertThat(back.network()).isEqualTo(m.network());
        assertThat(back.inputs()).isEqualTo(m.inputs());
        assertThat(back.parameterCount()).isEqualTo(m.parameterCount());
        // 1*4*9 + 4 + 4*2*9 + 2 = 114 parameters (PyTorch count of the same net).
        assertThat(back.parameterCount()).isEqualTo(114);
        for (String n : m.parameters().names()) {
            assertThat(back.parameters().get(n)).isEqualTo(m.parameters().get(n));
        }
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 6, 5);
        assertThat(back.predict(x)).isEqualTo(m.predict(x));
        assertThat(Files.list(dir).toList()).containsExactly(f);
    }

    @Test
    void allDataTypesRoundTrip() throws IOException {
        Map<String, INDArray> t = new LinkedHashMap<>();
        t.put("d", Nd4j.createFromArray(1.5, -2.25).reshape(2, 1));
        t.put("f", Nd4j.createFromArray(3.5f, 4f, 5f));
        t.put("i", Nd4j.createFromArray(-7, 8));
        t.put("l", Nd4j.createFromArray(Long.MAX_VALUE, -1L));
        t.put("u8", Nd4j.createFromArray(0, 200, 255).castTo(DataType.UBYTE));
        t.put("b", Nd4j.createFromArray(true, false));
        t.put("s", Nd4j.scalar(DataType.FLOAT, 2f));
        Path f = dir.resolve("t.v4j");
        Checkpoint.write(f, ModuleTypes.mapper().createObjectNode(), t);
        Map<String, INDArray> back = Checkpoint.read(f).tensors();
        assertThat(back.keySet()).containsExactlyElementsOf(t.keySet());
        for (String k : t.keySet()) {
            assertThat(back.get(k).dataType()).as(k).isEqualTo(t.get(k).dataType());
            assertThat(back.get(k).shape()).as(k).isEqualTo(t.get(k).shape());
            assertThat(back.get(k)).as(k).isEqualTo(t.get(k));
        }
        assertThat(back.get("u8").getInt(1)).isEqualTo(200);
    }

    @Test
    void truncatedFileIsRejected() throws IOException {
        Path f = dir.resolve("m.v4j");
        smallModel(1).save(f);
        byte[] all = Files.readAllBytes(f);
        for (int cut : new int[] {5, 20, all.length / 2, all.length - 3}) {
            Path g = dir.resolve("cut" + cut + ".v4j");
            Files.write(g, Arrays.copyOf(all, cut));
            assertThatThrownBy(() -> Model.load(g))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageContaining(g.toString())
                    .hasMessageMatching("(?s).*(truncated|does not fit|trailer|checksum).*");
        }
    }

    @Test
    void flippedByteIsDetected() throws IOException {
        Path f = dir.resolve("m.v4j");
        smallModel(1).save(f);
        byte[] all = Files.readAllBytes(f);
        all[all.length - 40] ^= 0x10;
        Files.write(f, all);
        assertThatThrownBy(() -> Model.load(f))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("checksum mismatch");
    }

    @Test
    void foreignFileIsRejected() throws IOException {
        Path f = dir.resolve("x.v4j");
        Files.writeString(f, "PK\u0003\u0004 this is a zip file, not a checkpoint at all....");
        assertThatThrownBy(() -> Model.load(f))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("not a voxel4j checkpoint");
        assertThatThrownBy(() -> Model.load(dir.resolve("missing.v4j")))
                .hasMessageContaining("no such checkpoint file");
    }

    @Test
    void hostileHeaderCannotNameArbitraryClasses() throws IOException {
        Model m = smallModel(1);
        var h = m.header();
        ((com.fasterxml.jackson.databind.node.ObjectNode) h.get("model").get("network"))
                .put("@type", "java.lang.ProcessBuilder");
        Path f = dir.resolve("evil.v4j");
        Checkpoint.write(f, h, m.tensors());
        assertThatThrownBy(() -> Model.load(f))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("cannot rebuild the model");
    }

    @Test
    void declaredSizesAreCheckedBeforeAllocation() throws IOException {
        Map<String, INDArray> t = new LinkedHashMap<>();
        t.put("w", Nd4j.createFromArray(1f, 2f, 3f, 4f));
        var h = ModuleTypes.mapper().createObjectNode();
        Path f = dir.resolve("t.v4j");
        Checkpoint.write(f, h, t);
        // Rewrite the header with a huge shape but keep the file consistent otherwise.
        String json =
                new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
        String forged = json.replace("\"shape\":[4]", "\"shape\":[9]");
        assertThat(forged).isNotEqualTo(json);
        byte[] bytes = forged.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        fixCrc(bytes);
        Files.write(f, bytes);
        assertThatThrownBy(() -> Checkpoint.read(f))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("tensor 'w'");
    }

    @Test
    void weightsOfAnotherModelAreReportedNotSilentlyLoaded() throws IOException {
        Path f = dir.resolve("m.v4j");
        smallModel(1).save(f);
        Module other = Sequential.of(Conv.conv2d(1, 4, 3), Activation.relu(), Conv.conv2d(4, 3, 3));
        Model m2 = Model.create(other, 5, InputSpec.of("image", -1, 1, -1, -1));
        INDArray head = m2.parameters().get("2/weight").dup();
        Model.LoadReport r = m2.loadWeights(f, n -> true);
        assertThat(r.loaded()).containsExactly("0/weight", "0/bias");
        assertThat(r.skipped()).containsExactlyInAnyOrder("2/weight", "2/bias");
        assertThat(m2.parameters().get("2/weight")).isEqualTo(head);
    }

    @Test
    void linearAcceptsAnyLeadingAxes() {
        Scope s = Scope.create(DataType.DOUBLE, 3, false);
        SDVariable x = s.sd().var("x", Nd4j.rand(DataType.DOUBLE, 2, 3, 5, 4));
        INDArray y = Linear.of(4, 6).forward(s, x).eval();
        assertThat(y.shape()).containsExactly(2, 3, 5, 6);
    }

    /** Recomputes the trailer CRC after a deliberate edit. */
    static void fixCrc(byte[] bytes) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        int v = (int) crc.getValue();
        int p = bytes.length - 4;
        bytes[p] = (byte) v;
        bytes[p + 1] = (byte) (v >>> 8);
        bytes[p + 2] = (byte) (v >>> 16);
        bytes[p + 3] = (byte) (v >>> 24);
    }
}
