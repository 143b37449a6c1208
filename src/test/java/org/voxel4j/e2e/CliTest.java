package org.voxel4j.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.io.Volume;
import org.voxel4j.nn.io.VolumeIO;

/** The CLI contract of ARCHITECTURE.md: commands, JSON fields, exit codes. */
class CliTest {

    @TempDir Path dir;

    @Test
    void infoMatchesNibabel() throws Exception {
        JsonNode expected =
                new ObjectMapper()
                        .readTree(Cli.fixture("nifti/expected.json").toFile())
                        .get("n1_4d.nii.gz");
        Cli.Run r = Cli.run("info", Cli.fixture("nifti/n1_4d.nii.gz").toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("format").asText()).isEqualTo("NIfTI-1");
        assertThat(j.get("dims")).isEqualTo(expected.get("shape"));
        assertThat(j.get("datatype").asText()).isEqualTo("float32");
        for (int i = 0; i < 4; i++) {
            for (int k = 0; k < 4; k++) {
                assertThat(j.get("affine").get(i).get(k).asDouble())
                        .isCloseTo(expected.get("affine").get(i).get(k).asDouble(), org.assertj.core.data.Offset.offset(1e-6));
            }
        }
        for (int i = 0; i < 4; i++) {
            assertThat(j.get("spacing").get(i).asDouble())
                    .isCloseTo(expected.get("zooms").get(i).asDouble(), org.assertj.core.data.Offset.offset(1e-9));
        }
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (JsonNode v : expected.get("values")) {
            min = Math.min(min, v.asDouble());
            max = Math.max(max, v.asDouble());
        }
        assertThat(j.get("min").asDouble()).isEqualTo(min);
        assertThat(j.get("max").asDouble()).isEqualTo(max);
    }

    @Test
    void convertKeepsValuesAndAffine() throws Exception {
        Path in = Cli.fixture("nifti/n1_int16_scaled.nii");
        Volume src = VolumeIO.read(in);
        for (String ext : List.of(".nii.gz", ".mha", ".nii", ".npy")) {
            Path out = dir.resolve("out" + ext);
            Cli.Run r = Cli.run("convert", in.toString(), out.toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).isEmpty();
            Volume back = VolumeIO.read(out);
            assertThat(back.data().castTo(DataType.DOUBLE)).isEqualTo(src.data().castTo(DataType.DOUBLE));
            if (!ext.equals(".npy")) {
                for (int i = 0; i < 4; i++) {
                    for (int k = 0; k < 4; k++) {
                        assertThat(back.affine()[i][k])
                                .as(ext + " affine[" + i + "][" + k + "]")
                                .isCloseTo(src.affine()[i][k], org.assertj.core.data.Offset.offset(1e-9));
                    }
                }
            }
        }
    }

    @Test
    void segMetricsJsonFollowsTheContract() throws Exception {
        INDArray ref = Nd4j.zeros(DataType.INT, 6, 6, 6);
        INDArray pred = Nd4j.zeros(DataType.INT, 6, 6, 6);
        // label 1: ref 2x2x2 cube, pred the same cube shifted by one voxel along W.
        for (int z = 1; z < 3; z++) {
            for (int y = 1; y < 3; y++) {
                for (int x = 1; x < 3; x++) {
                    ref.putScalar(new int[] {z, y, x}, 1);
                    pred.putScalar(new int[] {z, y, x + 1}, 1);
                }
            }
        }
        ref.putScalar(new int[] {5, 5, 5}, 2); // label 2 only in the reference
        Path p = dir.resolve("pred.nii.gz");
        Path r = dir.resolve("ref.nii.gz");
        VolumeIO.write(Volume.of(pred, 2.0, 1.0, 1.0), p);
        VolumeIO.write(Volume.of(ref, 2.0, 1.0, 1.0), r);
        Cli.Run run = Cli.run("metrics", "seg", "--pred", p.toString(), "--ref", r.toString(), "--json");
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode l1 = run.json().get("labels").get("1");
        assertThat(l1.get("dice").asDouble()).isEqualTo(0.5);
        assertThat(l1.get("iou").asDouble()).isCloseTo(1.0 / 3, org.assertj.core.data.Offset.offset(1e-12));
        // voxel volume 2 mm³: 8 voxels = 0.016 mL.
        assertThat(l1.get("volume_ref_ml").asDouble()).isCloseTo(0.016, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(l1.get("empty").isNull()).isTrue();
        JsonNode l2 = run.json().get("labels").get("2");
        assertThat(l2.get("dice").asDouble()).isZero();
        assertThat(l2.get("hd95_mm").isNull()).isTrue();
        assertThat(l2.get("missing").asText()).isEqualTo("pred");
        Cli.Run only = Cli.run("metrics", "seg", "--pred", p.toString(), "--ref", r.toString(), "--labels", "1", "--json");
        assertThat(only.json().get("labels").size()).isEqualTo(1);
    }

    @Test
    void badInputEndsWithOneLineAndExitCode2() throws Exception {
        Cli.Run missing = Cli.run("info", dir.resolve("nope.nii.gz").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err().strip()).startsWith("voxel4j: error: ").contains("nope.nii.gz").doesNotContain("\n").doesNotContain("at org.");
        Cli.Run unknown = Cli.run("info", "--frobnicate", "x");
        assertThat(unknown.code()).isEqualTo(2);
        Cli.Run corrupt = Cli.run("info", Cli.fixture("nifti/err_5d.nii").toString(), "--json");
        assertThat(corrupt.code()).isEqualTo(2);
        assertThat(corrupt.out()).isEmpty();
        assertThat(corrupt.err().strip().lines()).hasSize(1);
        Path a = dir.resolve("a.nii");
        Path b = dir.resolve("b.nii");
        VolumeIO.write(Volume.of(Nd4j.zeros(DataType.INT, 3, 3, 3), 1, 1, 1), a);
        VolumeIO.write(Volume.of(Nd4j.zeros(DataType.INT, 3, 3, 4), 1, 1, 1), b);
        Cli.Run shapes = Cli.run("metrics", "seg", "--pred", a.toString(), "--ref", b.toString());
        assertThat(shapes.code()).isEqualTo(2);
        assertThat(shapes.err()).contains("shapes differ");
        Cli.Run self = Cli.run("convert", a.toString(), a.toString());
        assertThat(self.code()).isEqualTo(2);
        assertThat(Files.size(a)).isGreaterThan(0);
        Cli.Run dicomOut = Cli.run("convert", a.toString(), dir.resolve("folder").toString());
        assertThat(dicomOut.code()).isEqualTo(2);
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] cmd :
                List.of(
                        new String[] {"--help"},
                        new String[] {"info", "--help"},
                        new String[] {"convert", "--help"},
                        new String[] {"metrics", "--help"},
                        new String[] {"metrics", "seg", "--help"},
                        new String[] {"bench", "--help"})) {
            Cli.Run r = Cli.run(cmd);
            assertThat(r.code()).as(String.join(" ", cmd)).isZero();
            assertThat(r.out()).contains("Usage:");
        }
    }

    @Test
    void benchListsItsWorkloads() {
        Cli.Run r = Cli.run("bench", "--list");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("conv3d-fb-64");
        Cli.Run bad = Cli.run("bench", "--workload", "nope");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("unknown workload 'nope'");
    }
}
