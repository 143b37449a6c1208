package org.voxel4j.volumetric.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxel4j.nn.Model;
import org.voxel4j.nn.io.Volume;
import org.voxel4j.nn.io.VolumeIO;
import org.voxel4j.volumetric.nets.AttentionUnet;

/**
 * The demo's plumbing on a shortened quick run (2 epochs): every output file, metrics.json fields,
 * the prediction on the image's grid. Dice and time targets are measured outside the test suite.
 */
class SegmentationDemoTest {

    @TempDir Path dir;

    @Test
    void writesEveryOutput() throws IOException {
        SegmentationDemo.Result r =
                SegmentationDemo.run(
                        dir, SegmentationDemo.Options.quick().withEpochs(2).withProgressBar(false));
        for (String f :
                new String[] {
                    "image.nii.gz",
                    "label.nii.gz",
                    "prediction.nii.gz",
                    "overlay.png",
                    "loss.png",
                    "model.v4j",
                    "metrics.json",
                    "data/dataset.json",
                    "run/last.v4j"
                }) {
            assertThat(dir.resolve(f)).as(f).isRegularFile();
        }
        JsonNode m = new ObjectMapper().readTree(dir.resolve("metrics.json").toFile());
        assertThat(m.get("dice").asDouble()).isEqualTo(r.dice()).isBetween(0.0, 1.0);
        assertThat(m.has("hd95_mm")).isTrue();
        assertThat(m.get("train_seconds").asDouble()).isPositive();
        assertThat(m.get("dice_per_label").size()).isEqualTo(3);
        Volume image = VolumeIO.read(dir.resolve("image.nii.gz"));
        Volume pred = VolumeIO.read(dir.resolve("prediction.nii.gz"));
        assertThat(pred.data().shape()).containsExactly(image.data().shape());
        for (int i = 0; i < 4; i++) {
            assertThat(pred.affine()[i])
                    .containsExactly(
                            image.affine()[i], org.assertj.core.api.Assertions.within(1e-5));
        }
        assertThat(Model.load(dir.resolve("model.v4j")).network())
                .isInstanceOf(AttentionUnet.class);
    }
}
