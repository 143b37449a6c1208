package org.voxel4j.nn.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** DICOM series reading against pydicom-written series with independently computed geometry. */
class DicomSeriesReaderTest {
    @TempDir Path tmp;

    static Stream<Arguments> series() {
        return Fixtures.entries("dicom").stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("series")
    void readsSeries(String name, JsonNode e) throws IOException {
        Volume v = VolumeIO.read(Fixtures.dir("dicom/" + name));
        assertThat(v.format()).isEqualTo("DICOM");
        assertThat(v.dims()).containsExactly(Fixtures.longs(e.get("shape")));
        Fixtures.assertAffine(v.affine(), e.get("affine"), 1e-9);
        assertThat(v.spacing()).containsExactly(Fixtures.doubles(e.get("zooms")), within(1e-9));
        assertThat(v.sourceDataType()).isEqualTo(e.get("source_dtype").asText());
        assertThat(ElementType.numpyName(v.dataType())).isEqualTo(e.get("expected_dtype").asText());
        assertThat(v.description()).isEqualTo(e.get("description").asText());
        Fixtures.assertValues(v.data(), e.get("values"));
    }

    @Test
    void convertsToNiftiKeepingGeometry() throws IOException {
        Volume v = DicomSeriesReader.read(Fixtures.dir("dicom/explicit_le"));
        Path p = tmp.resolve("ct.nii.gz");
        VolumeIO.write(v, p);
        Volume w = VolumeIO.read(p);
        assertThat(w.data()).isEqualTo(v.data());
        double[][] a = v.affine();
        double[][] b = w.affine();
        for (int r = 0; r < 4; r++) {
            assertThat(b[r]).containsExactly(a[r], within(1e-4));
        }
    }

    @Test
    void listsAndSelectsSeries() throws IOException {
        Path mixed = Fixtures.dir("dicom/mixed");
        Map<String, Integer> series = DicomSeriesReader.listSeries(mixed);
        assertThat(series).hasSize(2).containsValues(2, 2);
        assertThatThrownBy(() -> VolumeIO.read(mixed))
                .isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("mixed")
                .hasMessageContaining("holds 2 series")
                .hasMessageContaining("(2 files)")
                .hasMessageContaining("expected one");
        String uid = series.keySet().iterator().next();
        Volume v = DicomSeriesReader.read(mixed, uid);
        assertThat(v.dims()).containsExactly(8, 6, 2);
        assertThatThrownBy(() -> DicomSeriesReader.read(mixed, "1.2.3"))
                .hasMessageContaining("SeriesInstanceUID = 1.2.3, expected one of");
    }

    @Test
    void rejectsCompressedTransferSyntax() {
        assertThatThrownBy(() -> VolumeIO.read(Fixtures.dir("dicom/compressed")))
                .isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("jpeg.dcm")
                .hasMessageContaining(
                        "transfer syntax 1.2.840.10008.1.2.4.50 (JPEG Baseline) not supported");
    }

    @Test
    void rejectsInconsistentSeries() {
        assertThatThrownBy(() -> VolumeIO.read(Fixtures.dir("dicom/bad_orientation")))
                .isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("o1.dcm")
                .hasMessageContaining(
                        "(0020,0037) ImageOrientationPatient = [1.0, 0.0, 0.0, 0.0, 0.0, -1.0]");
        assertThatThrownBy(() -> VolumeIO.read(Fixtures.dir("dicom/bad_size")))
                .isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("z1.dcm")
                .hasMessageContaining("(0028,0010) Rows = 5, expected 6");
        assertThatThrownBy(() -> VolumeIO.read(Fixtures.dir("dicom/rgb")))
                .isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("SamplesPerPixel = 3, expected 1");
    }

    @Test
    void rejectsMissingSliceAndDuplicates() throws IOException {
        // drop the second slice along the normal: gaps of 5 mm then 2.5 mm
        Volume full = DicomSeriesReader.read(Fixtures.dir("dicom/implicit_le"));
        List<Path> files = dicoms("dicom/implicit_le");
        Path gap = Files.createDirectory(tmp.resolve("gap"));
        double z0 = full.origin()[2];
        for (Path f : files) {
            Volume one = DicomSeriesReader.readFiles(List.of(f), null);
            if (Math.abs(one.origin()[2] - (z0 + 2.5)) > 1e-6) {
                Files.copy(f, gap.resolve(f.getFileName()));
            }
        }
        assertThat(gap.toFile().list()).hasSize(3);
        assertThatThrownBy(() -> VolumeIO.read(gap))
                .isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("not evenly spaced")
                .hasMessageContaining("missing slice");
        Path dup = Files.createDirectory(tmp.resolve("dup"));
        Files.copy(files.get(0), dup.resolve("a.dcm"));
        Files.copy(files.get(0), dup.resolve("b.dcm"));
        assertThatThrownBy(() -> VolumeIO.read(dup))
                .isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("b.dcm")
                .hasMessageContaining("same position");
    }

    @Test
    void rejectsTruncatedFilesAndEmptyFolders() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("cut"));
        byte[] bytes = Files.readAllBytes(dicoms("dicom/explicit_le").get(0));
        Files.write(dir.resolve("cut.dcm"), Arrays.copyOf(bytes, bytes.length - 10));
        assertThatThrownBy(() -> VolumeIO.read(dir))
                .isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("cut.dcm")
                .hasMessageContaining("truncated")
                .hasMessageContaining("PixelData");
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        Files.writeString(empty.resolve("notes.txt"), "nothing here");
        assertThatThrownBy(() -> VolumeIO.read(empty))
                .isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("no DICOM image files found (1 files examined)");
    }

    @Test
    void readsASingleFile() throws IOException {
        Path f = dicoms("dicom/single").get(0);
        Volume v = VolumeIO.read(f);
        assertThat(v.dims()).containsExactly(8, 6, 1);
        assertThat(v.spacing()[2]).isEqualTo(2.5);
    }

    private static List<Path> dicoms(String sub) throws IOException {
        try (Stream<Path> s = Files.list(Fixtures.dir(sub))) {
            return s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
        }
    }
}
