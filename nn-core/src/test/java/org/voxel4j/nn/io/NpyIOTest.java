package org.voxel4j.nn.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** NPY reading against numpy-written fixtures (values listed in JSON), writing by round trip. */
class NpyIOTest {
    @TempDir Path tmp;

    static Stream<Arguments> fixtures() {
        return Fixtures.entries("npy").stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void readsNumpyFiles(String name, JsonNode e) throws IOException {
        Volume v = NpyIO.read(Fixtures.file("npy", name));
        long[] shape = Fixtures.longs(e.get("shape"));
        assertThat(v.data().shape()).containsExactly(shape);
        assertThat(v.dims()).containsExactly(NiftiIO.reverse(shape));
        assertThat(v.format()).isEqualTo("NumPy");
        assertThat(v.sourceDataType()).isEqualTo(e.get("source_dtype").asText());
        assertThat(ElementType.numpyName(v.dataType())).isEqualTo(e.get("expected_dtype").asText());
        assertThat(v.spacing()).containsExactly(1, 1, 1);
        assertThat(v.affine())
                .isDeepEqualTo(
                        new double[][] {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}});
        Fixtures.assertValues(v.data(), e.get("values"));
        assertThat(NpyIO.readArray(Fixtures.file("npy", name))).isEqualTo(v.data());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void roundTripsThroughNpyNiftiAndMetaImage(String name, JsonNode e) throws IOException {
        Volume v = NpyIO.read(Fixtures.file("npy", name));
        Path npy = tmp.resolve("a.npy");
        NpyIO.write(v, npy);
        Volume w = NpyIO.read(npy);
        assertThat(w.dataType()).isEqualTo(v.dataType());
        assertThat(w.data()).isEqualTo(v.data());
        assertThat(Files.size(npy) % 64)
                .isEqualTo((long) v.data().length() * v.dataType().width() % 64);

        for (String ext : new String[] {".nii", ".nii.gz", ".mha"}) {
            Path p = tmp.resolve("b" + ext);
            VolumeIO.write(v, p);
            Volume x = VolumeIO.read(p);
            assertThat(x.dims()).containsExactly(v.dims());
            Path back = tmp.resolve("c.npy");
            NpyIO.write(x, back);
            INDArray arr = NpyIO.readArray(back);
            assertThat(arr.shape()).containsExactly(Fixtures.longs(e.get("shape")));
            // bool and float16 have no NIfTI/MetaImage type: they come back as uint8 / float32
            Fixtures.assertValues(arr, e.get("values"));
        }
    }

    @Test
    void writesWhatNumpyWrites() throws IOException {
        // numpy's own bytes for np.save of the same array (header padded to 64 bytes)
        byte[] expected = Files.readAllBytes(Fixtures.file("npy", "c_int16.npy"));
        INDArray a = NpyIO.readArray(Fixtures.file("npy", "c_int16.npy"));
        Path p = tmp.resolve("mine.npy");
        NpyIO.writeArray(a, p);
        assertThat(Files.readAllBytes(p)).isEqualTo(expected);
        byte[] u8 = Files.readAllBytes(Fixtures.file("npy", "uint8_1d.npy"));
        NpyIO.writeArray(NpyIO.readArray(Fixtures.file("npy", "uint8_1d.npy")), p);
        assertThat(Files.readAllBytes(p)).isEqualTo(u8);
    }

    @Test
    void writesViewsInCOrder() throws IOException {
        INDArray base = Nd4j.arange(24).castTo(DataType.INT32).reshape(2, 3, 4);
        INDArray view = base.permute(2, 1, 0);
        Path p = tmp.resolve("v.npy");
        NpyIO.writeArray(view, p);
        INDArray back = NpyIO.readArray(p);
        assertThat(back.shape()).containsExactly(4, 3, 2);
        assertThat(back.getInt(3, 2, 1)).isEqualTo(base.getInt(1, 2, 3));
    }

    @Test
    void rejectsUnsupportedFiles() throws IOException {
        assertThatThrownBy(() -> NpyIO.read(Fixtures.file("npy", "err_complex.npy")))
                .isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("err_complex.npy")
                .hasMessageContaining("descr = '<c8'");
        assertThatThrownBy(() -> NpyIO.read(Fixtures.file("npy", "err_5d.npy")))
                .hasMessageContaining("shape = (1, 2, 1, 2, 2), expected 1 to 4 dimensions");
        assertThatThrownBy(() -> NpyIO.read(Fixtures.file("npy", "err_scalar.npy")))
                .hasMessageContaining("shape = (), expected 1 to 4 dimensions");
        assertThatThrownBy(() -> NpyIO.read(Fixtures.file("npy", "err_structured.npy")))
                .hasMessageContaining("structured dtypes are not supported");
        byte[] ok = Files.readAllBytes(Fixtures.file("npy", "c_int16.npy"));
        Path cut = tmp.resolve("cut.npy");
        Files.write(cut, Arrays.copyOf(ok, ok.length - 7));
        assertThatThrownBy(() -> NpyIO.read(cut))
                .isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("truncated: shape [3, 4, 5] of <i2 needs 120 bytes");
        Path magic = tmp.resolve("magic.npy");
        Files.writeString(magic, "PK\u0003\u0004 not numpy");
        assertThatThrownBy(() -> NpyIO.read(magic)).hasMessageContaining("not a NumPy .npy file");
        byte[] bigHeader = ok.clone();
        bigHeader[8] = (byte) 0xff;
        bigHeader[9] = (byte) 0xff;
        Path h = tmp.resolve("header.npy");
        Files.write(h, bigHeader);
        assertThatThrownBy(() -> NpyIO.read(h)).hasMessageContaining("header length = 65535");
    }
}
