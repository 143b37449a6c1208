package org.voxel4j.nn.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

class VolumeIOTest {
    @TempDir Path tmp;

    @Test
    void dispatchesOnExtension() throws IOException {
        assertThat(VolumeIO.formatOf(Path.of("a.NII.GZ"))).isEqualTo(VolumeIO.Format.NIFTI);
        assertThat(VolumeIO.formatOf(Path.of("a.nii"))).isEqualTo(VolumeIO.Format.NIFTI);
        assertThat(VolumeIO.formatOf(Path.of("a.mhd"))).isEqualTo(VolumeIO.Format.METAIMAGE);
        assertThat(VolumeIO.formatOf(Path.of("a.mha"))).isEqualTo(VolumeIO.Format.METAIMAGE);
        assertThat(VolumeIO.formatOf(Path.of("a.npy"))).isEqualTo(VolumeIO.Format.NPY);
        assertThat(VolumeIO.formatOf(tmp)).isEqualTo(VolumeIO.Format.DICOM);
        assertThat(VolumeIO.Format.DICOM.writable()).isFalse();
        assertThatThrownBy(() -> VolumeIO.formatOf(Path.of("scan.img")))
                .isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("extension = 'scan.img', expected .nii, .nii.gz, .mha");
        assertThatThrownBy(() -> VolumeIO.read(tmp.resolve("missing.nii")))
                .isInstanceOf(NoSuchFileException.class);
        Volume v = Volume.of(Nd4j.zeros(2, 2, 2));
        assertThatThrownBy(() -> VolumeIO.write(v, tmp))
                .isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("DICOM is read-only");
    }

    @Test
    void convertsBetweenFormatsKeepingGeometry() throws IOException {
        Volume src = VolumeIO.read(Fixtures.file("nifti", "n1_int16.nii"));
        Path mha = tmp.resolve("x.mha");
        VolumeIO.write(src, mha);
        Volume m = VolumeIO.read(mha);
        Path mhd = tmp.resolve("y.mhd");
        VolumeIO.write(m, mhd);
        Volume d = VolumeIO.read(mhd);
        Path nii = tmp.resolve("z.nii.gz");
        VolumeIO.write(d, nii);
        Volume n = VolumeIO.read(nii);
        for (Volume v : new Volume[] {m, d, n}) {
            assertThat(v.data()).isEqualTo(src.data());
            assertThat(v.dims()).containsExactly(src.dims());
            for (int r = 0; r < 4; r++) {
                // MetaImage text keeps doubles exactly; the sform is float32 like the source's
                assertThat(v.affine()[r]).containsExactly(src.affine()[r], within(1e-12));
            }
            assertThat(v.spacing()).containsExactly(src.spacing(), within(1e-6));
        }
    }

    @Test
    void failedWriteLeavesPreviousFileAndNoTemporaries() throws IOException {
        Path target = tmp.resolve("keep.nii");
        Files.copy(Fixtures.file("nifti", "n1_int16.nii"), target);
        byte[] before = Files.readAllBytes(target);
        assertThatThrownBy(
                        () ->
                                AtomicFiles.write(
                                        target,
                                        out -> {
                                            out.write(new byte[100_000]);
                                            throw new IOException("disk on fire");
                                        }))
                .hasMessage("disk on fire");
        assertThat(Files.readAllBytes(target)).isEqualTo(before);
        // a writer that refuses the data (strings have no voxel type) also leaves it intact
        Volume strings = Volume.of(Nd4j.create("a", "b").reshape(1, 1, 2));
        assertThatThrownBy(() -> VolumeIO.write(strings, target))
                .isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("data type = UTF8");
        assertThat(Files.readAllBytes(target)).isEqualTo(before);
        assertThat(VolumeIO.read(target).data())
                .isEqualTo(NiftiIO.read(Fixtures.file("nifti", "n1_int16.nii")).data());
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("keep.nii");
        }
    }

    @Test
    void overwritingReplacesWholeFile() throws IOException {
        Path target = tmp.resolve("v.npy");
        Files.write(target, new byte[10_000]);
        VolumeIO.write(Volume.of(Nd4j.ones(2, 2, 2)), target);
        assertThat(Files.size(target)).isEqualTo(128 + 8 * 4);
        assertThat(NpyIO.readArray(target)).isEqualTo(Nd4j.ones(2, 2, 2));
    }
}
