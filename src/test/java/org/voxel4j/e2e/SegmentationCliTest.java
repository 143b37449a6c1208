package org.voxel4j.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxel4j.nn.io.Volume;
import org.voxel4j.nn.io.VolumeIO;
import org.voxel4j.volumetric.data.DecathlonWriter;
import org.voxel4j.volumetric.data.SyntheticCtPhantom;

/** demo, train and predict through the CLI contract. */
class SegmentationCliTest {

    @TempDir Path dir;

    @Test
    void quickDemoWritesEveryOutput() throws Exception {
        Path out = dir.resolve("demo");
        Cli.Run r = Cli.run("demo", "--quick", "--out", out.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("dice").asDouble()).isBetween(0.0, 1.0);
        assertThat(j.get("train_seconds").asDouble()).isPositive();
        for (String f :
                new String[] {
                    "image.nii.gz", "label.nii.gz", "prediction.nii.gz", "overlay.png", "loss.png",
                    "model.v4j", "metrics.json"
                }) {
            assertThat(out.resolve(f)).as(f).isRegularFile();
        }
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertThat(m.has("dice") && m.has("hd95_mm") && m.has("train_seconds")).isTrue();
        assertThat(m.get("dice").asDouble()).isEqualTo(j.get("dice").asDouble());
        Volume image = VolumeIO.read(out.resolve("image.nii.gz"));
        Volume pred = VolumeIO.read(out.resolve("prediction.nii.gz"));
        assertThat(pred.dims()).isEqualTo(image.dims());
        assertThat(pred.affine()).isDeepEqualTo(image.affine());
    }

    @Test
    void trainThenPredictOnADatasetFolder() throws Exception {
        Path data = dir.resolve("Task01");
        DecathlonWriter.writePhantoms(
                data,
                "Tiny",
                SyntheticCtPhantom.Config.defaults()
                        .withShape(16, 32, 32)
                        .withLabelled(SyntheticCtPhantom.Structure.LIVER),
                3,
                1,
                5);
        Path run = dir.resolve("run");
        Cli.Run t =
                Cli.run(
                        "train", "--model", "unet3d", "--channels", "4,8", "--data", data.toString(),
                        "--out", run.toString(), "--epochs", "2", "--patch", "16,32,32",
                        "--window", "-150,250");
        assertThat(t.code()).as(t.err()).isZero();
        assertThat(run.resolve("model.v4j")).isRegularFile();
        assertThat(run.resolve("loss.png")).isRegularFile();
        Path img = Files.list(data.resolve("imagesTs")).findFirst().orElseThrow();
        Path seg = dir.resolve("seg.nii.gz");
        Cli.Run p =
                Cli.run(
                        "predict", "--checkpoint", run.resolve("model.v4j").toString(),
                        "--in", img.toString(), "--out", seg.toString(), "--tta");
        assertThat(p.code()).as(p.err()).isZero();
        assertThat(p.out()).contains("wrote");
        Volume in = VolumeIO.read(img);
        Volume out = VolumeIO.read(seg);
        assertThat(out.dims()).isEqualTo(in.dims());
        assertThat(out.affine()).isDeepEqualTo(in.affine());
        Cli.Run resume =
                Cli.run(
                        "train", "--model", "unet3d", "--channels", "4,8", "--data", data.toString(),
                        "--out", run.toString(), "--epochs", "3", "--patch", "16,32,32",
                        "--window", "-150,250", "--resume");
        assertThat(resume.code()).as(resume.err()).isZero();
    }

    @Test
    void badArgumentsAreOneLineErrors() {
        Cli.Run m = Cli.run("train", "--model", "vnet", "--data", dir.toString(), "--out", dir.resolve("r").toString());
        assertThat(m.code()).isEqualTo(2);
        Cli.Run c = Cli.run("predict", "--checkpoint", dir.resolve("none.v4j").toString(), "--in", "x.nii.gz", "--out", "y.nii.gz");
        assertThat(c.code()).isEqualTo(2);
        assertThat(c.err().strip().lines()).hasSize(1);
    }
}
