package org.voxel4j.nn.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** NIfTI reading against nibabel's reading of the same files, writing by round trip. */
class NiftiIOTest {
    @TempDir Path tmp;

    static Stream<Arguments> fixtures() {
        return Fixtures.entries("nifti").stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void readsLikeNibabel(String name, JsonNode e) throws IOException {
        Path file = Fixtures.file("nifti", name);
        byte[] before = Files.readAllBytes(file);

        Volume v = NiftiIO.read(file);

        assertThat(v.format()).isEqualTo(e.get("format").asText());
        long[] shape = Fixtures.longs(e.get("shape"));
        assertThat(v.dims()).containsExactly(shape);
        assertThat(v.data().shape()).containsExactly(NiftiIO.reverse(shape));
        Fixtures.assertAffine(v.affine(), e.get("affine"), 1e-9);
        double[] zooms = Fixtures.doubles(e.get("zooms"));
        assertThat(v.zooms()).containsExactly(zooms, within(1e-12));
        for (int a = 0; a < Math.min(3, zooms.length); a++) {
            assertThat(v.spacing()[a]).isCloseTo(zooms[a], within(1e-12));
        }
        assertThat(v.sourceDataType()).isEqualTo(e.get("source_dtype").asText());
        assertThat(ElementType.numpyName(v.dataType())).isEqualTo(e.get("expected_dtype").asText());
        assertThat(v.description()).isEqualTo(e.get("description").asText());
        Fixtures.assertValues(v.data(), e.get("values"));
        if (e.has("time_unit")) {
            assertThat(v.timeUnit()).isEqualTo(e.get("time_unit").asText());
        }
        assertThat(Files.readAllBytes(file)).as("input untouched").isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void roundTripsThroughNifti1AndNifti2(String name, JsonNode e) throws IOException {
        Volume v = NiftiIO.read(Fixtures.file("nifti", name));
        for (String out : new String[] {"a.nii", "b.nii.gz"}) {
            for (int version : new int[] {1, 2}) {
                Path p = tmp.resolve(version + out);
                NiftiIO.write(v, p, version);
                Volume w = NiftiIO.read(p);
                assertThat(w.format()).isEqualTo("NIfTI-" + version);
                assertThat(w.dims()).containsExactly(v.dims());
                assertThat(w.dataType()).isEqualTo(v.dataType());
                assertThat(w.data()).isEqualTo(v.data());
                Fixtures.assertValues(w.data(), e.get("values"));
                // NIfTI-1 stores the sform in float32
                double tol = version == 1 ? 2e-5 : 1e-12;
                double[][] a = v.affine();
                double[][] b = w.affine();
                for (int r = 0; r < 4; r++) {
                    assertThat(b[r]).containsExactly(a[r], within(tol * 100));
                }
                assertThat(w.zooms()).containsExactly(v.zooms(), within(tol * 10));
                assertThat(w.description()).isEqualTo(v.description());
            }
        }
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("no temporary files left")
                    .allMatch(f -> !f.endsWith(".tmp"));
        }
    }

    @Test
    void writesQformThatNibabelConventionsReproduce() throws IOException {
        // A qform-only file re-read through its qform must give the same affine as its sform.
        Volume v = NiftiIO.read(Fixtures.file("nifti", "n1_qform_only.nii"));
        Path p = tmp.resolve("q.nii");
        NiftiIO.write(v, p);
        byte[] bytes = Files.readAllBytes(p);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getShort(252)).as("qform_code").isEqualTo((short) 1);
        assertThat(b.getShort(254)).as("sform_code").isEqualTo((short) 1);
        b.putShort(254, (short) 0); // drop the sform: the reader must fall back to the qform
        Files.write(p, bytes);
        Volume q = NiftiIO.read(p);
        double[][] a = v.affine();
        double[][] c = q.affine();
        for (int r = 0; r < 3; r++) {
            assertThat(c[r]).containsExactly(a[r], within(1e-5));
        }
    }

    @Test
    void writesFromMemoryWithSpacingAndKeepsFloat() throws IOException {
        INDArray data = Nd4j.arange(24).castTo(DataType.FLOAT).reshape(2, 3, 4);
        Volume v = Volume.of(data, 2.5, 0.75, 0.5);
        Path p = tmp.resolve("m.nii.gz");
        NiftiIO.write(v, p);
        Volume w = NiftiIO.read(p);
        assertThat(w.dims()).containsExactly(4, 3, 2);
        assertThat(w.spacing()).containsExactly(0.5, 0.75, 2.5);
        assertThat(w.spacingDhw()).containsExactly(2.5, 0.75, 0.5);
        assertThat(w.data()).isEqualTo(data);
        assertThat(w.data().getFloat(1, 2, 3)).isEqualTo(23f);
    }

    @Test
    void boolAndHalfAreWrittenAsUint8AndFloat32() throws IOException {
        INDArray bools =
                Nd4j.createFromArray(new boolean[] {true, false, true, true}).reshape(1, 2, 2);
        NiftiIO.write(Volume.of(bools), tmp.resolve("b.nii"));
        Volume b = NiftiIO.read(tmp.resolve("b.nii"));
        assertThat(b.dataType()).isEqualTo(DataType.UINT8);
        assertThat(Fixtures.longValues(b.data().reshape(4))).containsExactly(1, 0, 1, 1);
        INDArray half = Nd4j.createFromArray(1.5f, -2.25f).castTo(DataType.HALF).reshape(1, 1, 2);
        NiftiIO.write(Volume.of(half), tmp.resolve("h.nii"));
        Volume h = NiftiIO.read(tmp.resolve("h.nii"));
        assertThat(h.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(h.data().reshape(2).toFloatVector()).containsExactly(1.5f, -2.25f);
    }

    // ---------------------------------------------------------------- errors

    @Test
    void rejects5d() {
        Path f = Fixtures.file("nifti", "err_5d.nii");
        assertThatThrownBy(() -> NiftiIO.read(f))
                .isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("err_5d.nii")
                .hasMessageContaining("dim[0] = 5")
                .hasMessageContaining("at most 4 dimensions");
    }

    @Test
    void rejectsComplex() {
        Path f = Fixtures.file("nifti", "err_complex64.nii");
        assertThatThrownBy(() -> NiftiIO.read(f))
                .isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("err_complex64.nii")
                .hasMessageContaining("datatype = 32 (complex64)")
                .hasMessageContaining("expected a real scalar type");
    }

    @Test
    void rejectsUint64AboveInt64() {
        Path f = Fixtures.file("nifti", "err_uint64_huge.nii");
        assertThatThrownBy(() -> NiftiIO.read(f))
                .isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("uint64 voxel value above 2^63-1");
    }

    @Test
    void rejectsRgbAndUnknownDatatypes() throws IOException {
        Path rgb = patched("n1_uint8.nii", b -> b.putShort(70, (short) 128));
        assertThatThrownBy(() -> NiftiIO.read(rgb))
                .isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("datatype = 128 (RGB24)");
        Path odd = patched("n1_uint8.nii", b -> b.putShort(70, (short) 77));
        assertThatThrownBy(() -> NiftiIO.read(odd))
                .hasMessageContaining("datatype = 77 (not a NIfTI datatype)");
    }

    @Test
    void rejectsTruncatedData() throws IOException {
        Path src = Fixtures.file("nifti", "n1_int16.nii");
        Path cut = tmp.resolve("cut.nii");
        Files.write(cut, Arrays.copyOf(Files.readAllBytes(src), 400));
        assertThatThrownBy(() -> NiftiIO.read(cut))
                .isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("cut.nii")
                .hasMessageContaining("truncated")
                .hasMessageContaining("expected a file of at least 472 bytes, found 400");
    }

    @Test
    void rejectsTruncatedHeader() throws IOException {
        Path cut = tmp.resolve("short.nii");
        Files.write(
                cut,
                Arrays.copyOf(Files.readAllBytes(Fixtures.file("nifti", "n1_int16.nii")), 100));
        assertThatThrownBy(() -> NiftiIO.read(cut))
                .isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("truncated header: 100 bytes");
    }

    @Test
    void rejectsTruncatedGzipData() throws IOException {
        // decompress, cut the voxel data, recompress: a well-formed gzip of a short file
        byte[] raw;
        try (var in =
                new GZIPInputStream(
                        Files.newInputStream(Fixtures.file("nifti", "n1_int8.nii.gz")))) {
            raw = in.readAllBytes();
        }
        Path cut = tmp.resolve("cut.nii.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(cut))) {
            o.write(raw, 0, raw.length - 10);
        }
        assertThatThrownBy(() -> NiftiIO.read(cut))
                .isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("truncated voxel data: expected 60 bytes")
                .hasMessageContaining("file ends after 50");
        // and a gzip stream cut in the middle
        byte[] gz = Files.readAllBytes(Fixtures.file("nifti", "n1_int8.nii.gz"));
        Path broken = tmp.resolve("broken.nii.gz");
        Files.write(broken, Arrays.copyOf(gz, gz.length - 30));
        assertThatThrownBy(() -> NiftiIO.read(broken))
                .isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("broken.nii.gz")
                .hasMessageContaining("truncated");
    }

    @Test
    void rejectsWrongMagicAndSize() throws IOException {
        Path magic = patched("n1_int16.nii", b -> b.put(344, (byte) 'x'));
        assertThatThrownBy(() -> NiftiIO.read(magic))
                .isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("magic = 'x+1\\x00', expected 'n+1'");
        Path pair = patched("n1_int16.nii", b -> b.put(345, (byte) 'i'));
        assertThatThrownBy(() -> NiftiIO.read(pair))
                .hasMessageContaining("magic = 'ni1' (.hdr/.img pair)");
        Path size = patched("n1_int16.nii", b -> b.putInt(0, 123));
        assertThatThrownBy(() -> NiftiIO.read(size))
                .isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("sizeof_hdr = 123")
                .hasMessageContaining("expected 348 (NIfTI-1) or 540 (NIfTI-2)");
        Path text = tmp.resolve("text.nii");
        Files.writeString(text, "hello world\n".repeat(40));
        assertThatThrownBy(() -> NiftiIO.read(text)).hasMessageContaining("not a NIfTI file");
    }

    @Test
    void rejectsImpossibleDims() throws IOException {
        Path neg = patched("n1_int16.nii", b -> b.putShort(44, (short) -4));
        assertThatThrownBy(() -> NiftiIO.read(neg))
                .isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("dim[2] = -4, expected a size >= 1");
        Path zero = patched("n1_int16.nii", b -> b.putShort(40, (short) 0));
        assertThatThrownBy(() -> NiftiIO.read(zero)).hasMessageContaining("dim[0] = 0");
        // 30000 x 30000 x 30000 int16: rejected before any allocation
        Path huge =
                patched(
                        "n1_int16.nii",
                        b ->
                                b.putShort(42, (short) 30000)
                                        .putShort(44, (short) 30000)
                                        .putShort(46, (short) 30000));
        assertThatThrownBy(() -> NiftiIO.read(huge))
                .isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("dim[1..3]")
                .hasMessageContaining("[30000, 30000, 30000]")
                .hasMessageContaining("at most");
        Path big = patched("n1_int16.nii", b -> b.putShort(42, (short) 3000));
        assertThatThrownBy(() -> NiftiIO.read(big))
                .isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("dim [3000, 4, 3] of int16 need 72000 bytes");
    }

    @Test
    void rejectsNonFiniteInterceptWithSlope() throws IOException {
        Path f = patched("n1_int16.nii", b -> b.putFloat(112, 2f).putFloat(116, Float.NaN));
        assertThatThrownBy(() -> NiftiIO.read(f)).hasMessageContaining("scl_inter = NaN");
    }

    @Test
    void nifti1RefusesDimsOver32767() {
        Volume v = Volume.of(Nd4j.zeros(DataType.UINT8, 1, 1, 40000));
        assertThatThrownBy(() -> NiftiIO.write(v, tmp.resolve("x.nii"), 1))
                .isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("at most 32767 for NIfTI-1");
    }

    @Test
    void autoSelectsNifti2ForLongDims() throws IOException {
        INDArray d = Nd4j.arange(40000).castTo(DataType.INT16).reshape(1, 1, 40000);
        Path p = tmp.resolve("long.nii.gz");
        NiftiIO.write(Volume.of(d), p);
        Volume v = NiftiIO.read(p);
        assertThat(v.format()).isEqualTo("NIfTI-2");
        assertThat(v.data()).isEqualTo(d);
    }

    private interface Patch {
        void apply(ByteBuffer b);
    }

    private Path patched(String fixture, Patch patch) throws IOException {
        byte[] bytes = Files.readAllBytes(Fixtures.file("nifti", fixture));
        patch.apply(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
        Path p = tmp.resolve("patched-" + fixture);
        Files.write(p, bytes);
        return p;
    }
}
