package org.voxel4j.volumetric.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.io.Volume;
import org.voxel4j.nn.io.VolumeIO;
import org.voxel4j.volumetric.transforms.VoxelArrays;

/** Writing phantoms as a Decathlon folder, reading it back, and the loader's error messages. */
class DecathlonDatasetTest {

    @TempDir Path dir;

    static SyntheticCtPhantom.Config small() {
        return SyntheticCtPhantom.Config.defaults().withShape(12, 16, 16);
    }

    @Test
    void phantomsRoundTripThroughTheLayout() throws IOException {
        List<String> ids = DecathlonWriter.writePhantoms(dir, "Phantoms", small(), 2, 1, 100);
        assertThat(ids).containsExactly("phantom_000", "phantom_001", "phantomts_002");
        DecathlonDataset ds = DecathlonDataset.open(dir);
        assertThat(ds.name()).isEqualTo("Phantoms");
        assertThat(ds.labels()).containsEntry(0, "background").containsEntry(1, "liver");
        assertThat(ds.numClasses()).isEqualTo(4);
        assertThat(ds.channels()).containsExactly("CT");
        assertThat(ds.training()).hasSize(2);
        assertThat(ds.test()).hasSize(1);
        DecathlonDataset.LabeledCase c = ds.load(ds.training().get(1));
        SyntheticCtPhantom.Case ref = SyntheticCtPhantom.generate(small(), 101);
        assertThat(c.id()).isEqualTo("phantom_001");
        assertThat(VoxelArrays.toFloats(c.image().data())).containsExactly(ref.hu());
        assertThat(VoxelArrays.toLabels(c.label().data())).containsExactly(ref.labels());
        double[][] a = DecathlonWriter.phantomAffine(ref.shape(), ref.spacingMm());
        for (int r = 0; r < 4; r++) {
            assertThat(c.image().affine()[r])
                    .containsExactly(a[r], org.assertj.core.api.Assertions.within(1e-5));
        }
        // The nnU-Net v2 scan (no "training" list) finds the same cases.
        String json = Files.readString(dir.resolve("dataset.json"));
        Files.writeString(
                dir.resolve("dataset.json"),
                json.replaceAll("(?s)\"training\" : \\[.*?\\],", "")
                        .replaceAll("(?s)\"test\" : \\[.*?\\],", ""));
        DecathlonDataset v2 = DecathlonDataset.open(dir);
        assertThat(v2.training())
                .extracting(DecathlonDataset.Entry::id)
                .containsExactly("phantom_000", "phantom_001");
        assertThat(v2.test())
                .extracting(DecathlonDataset.Entry::id)
                .containsExactly("phantomts_002");
    }

    @Test
    void msdStyleLabelsAndMultiChannelFiles() throws IOException {
        Files.createDirectories(dir.resolve("imagesTr"));
        Files.createDirectories(dir.resolve("labelsTr"));
        Volume img = Volume.of(Nd4j.rand(DataType.FLOAT, 2, 3, 4, 5), 1.5, 1, 1);
        VolumeIO.write(img, dir.resolve("imagesTr/a.nii.gz"));
        VolumeIO.write(
                img.withData(Nd4j.zeros(DataType.INT32, 3, 4, 5)),
                dir.resolve("labelsTr/a.nii.gz"));
        Files.writeString(
                dir.resolve("dataset.json"),
                "{\"name\":\"T\",\"modality\":{\"0\":\"CT\",\"1\":\"PET\"},"
                        + "\"labels\":{\"0\":\"background\",\"1\":\"tumour\"},\"numTraining\":1,"
                        + "\"training\":[{\"image\":\"./imagesTr/a.nii.gz\","
                        + "\"label\":\"./labelsTr/a.nii.gz\"}],\"test\":[]}",
                StandardCharsets.UTF_8);
        DecathlonDataset ds = DecathlonDataset.open(dir);
        assertThat(ds.channels()).containsExactly("CT", "PET");
        assertThat(ds.labels()).containsEntry(1, "tumour");
        DecathlonDataset.LabeledCase c = ds.load(ds.training().get(0));
        assertThat(c.image().data().shape()).containsExactly(2, 3, 4, 5);
        assertThat(c.id()).isEqualTo("a");
    }

    @Test
    void missingPairsAreNamed() throws IOException {
        DecathlonWriter.writePhantoms(dir, "P", small(), 2, 0, 1);
        Files.delete(dir.resolve("labelsTr/phantom_001.nii.gz"));
        assertThatThrownBy(() -> DecathlonDataset.open(dir))
                .hasMessageContaining("labelsTr/phantom_001.nii.gz")
                .hasMessageContaining("does not exist");
        // v2 scan: a label without an image
        String json = Files.readString(dir.resolve("dataset.json"));
        Files.writeString(
                dir.resolve("dataset.json"),
                json.replaceAll("(?s)\"training\" : \\[.*?\\],", "")
                        .replace("\"numTraining\" : 2", "\"numTraining\" : 1"));
        Files.move(
                dir.resolve("imagesTr/phantom_001_0000.nii.gz"),
                dir.resolve("imagesTr/other.nii.gz"));
        Files.copy(
                dir.resolve("labelsTr/phantom_000.nii.gz"),
                dir.resolve("labelsTr/phantom_009.nii.gz"));
        assertThatThrownBy(() -> DecathlonDataset.open(dir))
                .hasMessageContaining("label")
                .hasMessageContaining("phantom_009.nii.gz")
                .hasMessageContaining("has no image");
    }

    @Test
    void shapeGeometryAndLabelValueMismatchesAreNamed() throws IOException {
        DecathlonWriter.writePhantoms(dir, "P", small(), 1, 0, 1);
        Path label = dir.resolve("labelsTr/phantom_000.nii.gz");
        Volume good = VolumeIO.read(label);
        DecathlonDataset ds = DecathlonDataset.open(dir);

        VolumeIO.write(Volume.of(Nd4j.zeros(DataType.INT32, 12, 16, 15), good.affine()), label);
        assertThatThrownBy(() -> ds.load(ds.training().get(0)))
                .hasMessageContaining("shape mismatch")
                .hasMessageContaining("phantom_000_0000.nii.gz")
                .hasMessageContaining("[12, 16, 16]")
                .hasMessageContaining("[12, 16, 15]");

        double[][] shifted = good.affine();
        shifted[2][3] += 0.5;
        VolumeIO.write(good.withAffine(shifted), label);
        assertThatThrownBy(() -> ds.load(ds.training().get(0)))
                .hasMessageContaining("geometry mismatch")
                .hasMessageContaining("labelsTr/phantom_000.nii.gz")
                .hasMessageContaining("[2][3]");

        VolumeIO.write(good.withData(good.data().add(7)), label);
        assertThatThrownBy(() -> ds.load(ds.training().get(0)))
                .hasMessageContaining("label values [7")
                .hasMessageContaining("[0, 1, 2, 3]");
    }

    @Test
    void badJsonIsReported() throws IOException {
        Files.writeString(dir.resolve("dataset.json"), "{\"labels\": {}}");
        assertThatThrownBy(() -> DecathlonDataset.open(dir)).hasMessageContaining("\"labels\"");
        Files.delete(dir.resolve("dataset.json"));
        assertThatThrownBy(() -> DecathlonDataset.open(dir)).hasMessageContaining("dataset.json");
    }
}
