package org.voxel4j.nn.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** MetaImage reading against hand-written fixtures with expected geometry, and round trips. */
class MetaImageIOTest {
    @TempDir Path tmp;

    static Stream<Arguments> fixtures() {
        return Fixtures.entries("metaimage").stream()
                .map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void readsFixture(String name, JsonNode e) throws IOException {
        Path file = Fixtures.file("metaimage", name);
        byte[] before = Files.readAllBytes(file);
        Volume v = MetaImageIO.read(file);
        assertThat(v.format()).isEqualTo("MetaImage");
        assertThat(v.dims()).containsExactly(Fixtures.longs(e.get("shape")));
        Fixtures.assertAffine(v.affine(), e.get("affine"), 1e-12);
        assertThat(v.zooms()).containsExactly(Fixtures.doubles(e.get("zooms")), within(1e-12));
        assertThat(v.sourceDataType()).isEqualTo(e.get("source_dtype").asText());
        assertThat(ElementType.numpyName(v.dataType())).isEqualTo(e.get("expected_dtype").asText());
        assertThat(v.description()).isEqualTo(e.get("description").asText());
        Fixtures.assertValues(v.data(), e.get("values"));
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void roundTrips(String name, JsonNode e) throws IOException {
        Volume v = MetaImageIO.read(Fixtures.file("metaimage", name));
        for (String out : new String[] {"a.mha", "b.mhd"}) {
            for (boolean compress : new boolean[] {false, true}) {
                Path p = tmp.resolve((compress ? "z" : "") + out);
                MetaImageIO.write(v, p, compress);
                Volume w = MetaImageIO.read(p);
                assertThat(w.dims()).containsExactly(v.dims());
                assertThat(w.dataType()).isEqualTo(v.dataType());
                assertThat(w.data()).isEqualTo(v.data());
                Fixtures.assertValues(w.data(), e.get("values"));
                double[][] a = v.affine();
                double[][] b = w.affine();
                for (int r = 0; r < 4; r++) {
                    assertThat(b[r]).containsExactly(a[r], within(1e-12));
                }
                assertThat(w.zooms()).containsExactly(v.zooms(), within(1e-12));
                assertThat(w.description()).isEqualTo(v.description());
            }
        }
        assertThat(tmp.resolve("b.raw")).exists();
        assertThat(tmp.resolve("zb.zraw")).exists();
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .noneMatch(f -> f.endsWith(".tmp"));
        }
    }

    @Test
    void writesItkStyleHeader() throws IOException {
        Volume v = MetaImageIO.read(Fixtures.file("metaimage", "short_oblique.mha"));
        Path p = tmp.resolve("h.mhd");
        MetaImageIO.write(v, p);
        String header = Files.readString(p, StandardCharsets.ISO_8859_1);
        assertThat(header)
                .startsWith("ObjectType = Image\nNDims = 3\n")
                .contains("ElementType = MET_SHORT\n", "DimSize = 5 4 3\n")
                .contains("Offset = -12.5 30.25 7\n")
                .endsWith("ElementDataFile = h.raw\n");
        assertThat(Files.size(tmp.resolve("h.raw"))).isEqualTo(5 * 4 * 3 * 2);
    }

    @Test
    void rejectsMultiChannel() {
        Path f = Fixtures.file("metaimage", "err_channels.mha");
        assertThatThrownBy(() -> MetaImageIO.read(f))
                .isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("err_channels.mha")
                .hasMessageContaining("ElementNumberOfChannels = 3, expected 1");
    }

    @Test
    void rejectsBadHeaders() throws IOException {
        String ok = "ObjectType = Image\nNDims = 3\nDimSize = 2 2 2\nElementType = MET_SHORT\n";
        assertRejected(ok.replace("NDims = 3", "NDims = 5"), "NDims = 5, expected 1 to 4");
        assertRejected(ok.replace("DimSize = 2 2 2", "DimSize = 2 -2 2"), "DimSize = 2 -2 2");
        assertRejected(ok.replace("DimSize = 2 2 2", "DimSize = 2 2"), "expected 3 integers");
        assertRejected(
                ok.replace("MET_SHORT", "MET_FLOAT_MATRIX"), "ElementType = MET_FLOAT_MATRIX");
        assertRejected(ok.replace("Image", "Tube"), "ObjectType = Tube, expected Image");
        assertRejected(ok + "BinaryData = False\n", "ASCII data is not supported");
        assertRejected(ok.replace("NDims = 3\n", ""), "header has no NDims");
        // declared 2x2x2 shorts = 16 bytes, only 3 present
        assertRejected(ok, "truncated: DimSize [2, 2, 2] of MET_SHORT need 16 bytes");
        assertRejected(
                ok.replace("2 2 2", "30000 30000 30000"),
                "DimSize = [30000, 30000, 30000], expected at most");
        Path p = tmp.resolve("list.mhd");
        Files.writeString(p, ok + "ElementDataFile = LIST\n");
        assertThatThrownBy(() -> MetaImageIO.read(p))
                .hasMessageContaining("slice lists are not supported");
        Path q = tmp.resolve("missing.mhd");
        Files.writeString(q, ok + "ElementDataFile = nothere.raw\n");
        assertThatThrownBy(() -> MetaImageIO.read(q))
                .hasMessageContaining("nothere.raw does not exist");
        Path r = tmp.resolve("nodata.mha");
        Files.writeString(r, ok);
        assertThatThrownBy(() -> MetaImageIO.read(r))
                .hasMessageContaining("no ElementDataFile line");
    }

    @Test
    void rejectsTruncatedCompressedData() throws IOException {
        byte[] bytes = Files.readAllBytes(Fixtures.file("metaimage", "uchar_zlib.mha"));
        Path p = tmp.resolve("cut.mha");
        Files.write(p, Arrays.copyOf(bytes, bytes.length - 20));
        assertThatThrownBy(() -> MetaImageIO.read(p))
                .isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("cut.mha")
                .hasMessageContaining("CompressedDataSize");
        byte[] zraw = Files.readAllBytes(Fixtures.file("metaimage", "ushort_zlib.zraw"));
        Files.copy(Fixtures.file("metaimage", "ushort_zlib.mhd"), tmp.resolve("ushort_zlib.mhd"));
        Files.write(tmp.resolve("ushort_zlib.zraw"), Arrays.copyOf(zraw, zraw.length / 2));
        assertThatThrownBy(() -> MetaImageIO.read(tmp.resolve("ushort_zlib.mhd")))
                .isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("ushort_zlib.zraw")
                .hasMessageContaining("truncated");
    }

    private void assertRejected(String header, String message) throws IOException {
        Path p = tmp.resolve("bad.mha");
        Files.writeString(p, header + "ElementDataFile = LOCAL\nabc");
        assertThatThrownBy(() -> MetaImageIO.read(p))
                .isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("bad.mha")
                .hasMessageContaining(message);
    }
}
