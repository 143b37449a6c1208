package org.voxel4j.nn.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** PNG slices checked pixel by pixel against the window formula worked by hand. */
class PngExportTest {
    @TempDir Path tmp;

    /** [D=2, H=3, W=4] with value 12 d + 4 h + w. */
    private static Volume ramp(double... spacingDhw) {
        return Volume.of(Nd4j.arange(24).castTo(DataType.FLOAT).reshape(2, 3, 4), spacingDhw);
    }

    @Test
    void axialSliceUsesTheWindow() {
        // level 12, width 24: window [0, 24], grey = round(255 v / 24)
        BufferedImage img = PngExport.slice(ramp(), 0, 1, 12, 24);
        assertThat(img.getWidth()).isEqualTo(4);
        assertThat(img.getHeight()).isEqualTo(3);
        for (int h = 0; h < 3; h++) {
            for (int w = 0; w < 4; w++) {
                double v = 12 + 4 * h + w;
                assertThat(img.getRaster().getSample(w, h, 0))
                        .isEqualTo((int) Math.round(255 * v / 24));
            }
        }
        // clamping: window [10, 14] -> values <= 10 black, >= 14 white, 12 mid grey (128)
        BufferedImage c = PngExport.slice(ramp(), 0, 1, 12, 4);
        assertThat(c.getRaster().getSample(0, 0, 0)).isEqualTo(128); // v = 12
        assertThat(c.getRaster().getSample(1, 0, 0)).isEqualTo(191); // v = 13: 255 * 3/4
        assertThat(c.getRaster().getSample(2, 0, 0)).isEqualTo(255); // v = 14
        assertThat(c.getRaster().getSample(3, 2, 0)).isEqualTo(255); // v = 23
    }

    @Test
    void coronalAndSagittalPutDepthUpAndKeepAspect() {
        // spacing D = 2 mm, H = W = 1 mm: each depth row is drawn twice
        Volume v = ramp(2, 1, 1);
        BufferedImage cor = PngExport.slice(v, 1, 2, 12, 24); // D x W at h = 2
        assertThat(cor.getWidth()).isEqualTo(4);
        assertThat(cor.getHeight()).isEqualTo(4);
        for (int y = 0; y < 4; y++) {
            int d = 1 - y / 2; // top rows show the last depth
            for (int w = 0; w < 4; w++) {
                double val = 12 * d + 8 + w;
                assertThat(cor.getRaster().getSample(w, y, 0))
                        .isEqualTo((int) Math.round(255 * val / 24));
            }
        }
        BufferedImage sag = PngExport.slice(v, 2, 3, 12, 24); // D x H at w = 3
        assertThat(sag.getWidth()).isEqualTo(3);
        assertThat(sag.getHeight()).isEqualTo(4);
        assertThat(sag.getRaster().getSample(2, 0, 0)).isEqualTo((int) Math.round(255 * 23 / 24.0));
        assertThat(sag.getRaster().getSample(0, 3, 0)).isEqualTo((int) Math.round(255 * 3 / 24.0));
    }

    @Test
    void overlayBlendsLabelColours() {
        Volume img = ramp();
        INDArray lab = Nd4j.zeros(DataType.UINT8, 2, 3, 4);
        lab.putScalar(new long[] {1, 0, 0}, 1);
        lab.putScalar(new long[] {1, 2, 3}, 2);
        BufferedImage o = PngExport.overlay(img, Volume.of(lab), 0, 1, 12, 24, 0.4);
        int g00 = (int) Math.round(255 * 12 / 24.0);
        int c1 = PngExport.labelColor(1);
        int rgb = o.getRGB(0, 0) & 0xffffff;
        assertThat(rgb >> 16 & 0xff)
                .isEqualTo((int) Math.round(0.6 * g00 + 0.4 * (c1 >> 16 & 0xff)));
        assertThat(rgb >> 8 & 0xff).isEqualTo((int) Math.round(0.6 * g00 + 0.4 * (c1 >> 8 & 0xff)));
        assertThat(rgb & 0xff).isEqualTo((int) Math.round(0.6 * g00 + 0.4 * (c1 & 0xff)));
        int g01 = (int) Math.round(255 * 13 / 24.0);
        assertThat(o.getRGB(1, 0) & 0xffffff).isEqualTo(g01 << 16 | g01 << 8 | g01);
        assertThat(o.getRGB(3, 2)).isNotEqualTo(o.getRGB(0, 0));
    }

    @Test
    void labelColoursAreDistinct() {
        Set<Integer> seen = new HashSet<>();
        for (int l = 1; l <= 40; l++) {
            seen.add(PngExport.labelColor(l));
        }
        assertThat(seen).hasSize(40).doesNotContain(0);
    }

    @Test
    void writesPngAtomically() throws IOException {
        Path png = tmp.resolve("slice.png");
        Files.writeString(png, "old");
        PngExport.writeSlice(ramp(), 0, 0, 12, 24, png);
        BufferedImage back = ImageIO.read(png.toFile());
        assertThat(back.getWidth()).isEqualTo(4);
        assertThat(back.getRaster().getSample(3, 2, 0))
                .isEqualTo((int) Math.round(255 * 11 / 24.0));
        INDArray lab = Nd4j.ones(DataType.INT32, 2, 3, 4);
        PngExport.writeOverlay(ramp(), Volume.of(lab), 0, 0, 12, 24, 0.5, tmp.resolve("o.png"));
        assertThat(ImageIO.read(tmp.resolve("o.png").toFile()).getHeight()).isEqualTo(3);
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("slice.png", "o.png");
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> PngExport.slice(ramp(), 0, 2, 0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("slice index 2 along axis 0, expected 0 to 1");
        assertThatThrownBy(() -> PngExport.slice(ramp(), 3, 0, 0, 1))
                .hasMessageContaining("axis 3");
        assertThatThrownBy(() -> PngExport.slice(ramp(), 0, 0, 0, 0))
                .hasMessageContaining("width 0.0");
        Volume other = Volume.of(Nd4j.zeros(DataType.UINT8, 2, 3, 5));
        assertThatThrownBy(() -> PngExport.overlay(ramp(), other, 0, 0, 0, 1, 0.5))
                .hasMessageContaining("does not match image shape");
        Volume fourD = Volume.of(Nd4j.zeros(DataType.FLOAT, 2, 2, 3, 4));
        assertThatThrownBy(() -> PngExport.slice(fourD, 0, 0, 0, 1))
                .hasMessageContaining("pick one channel");
    }

    @Test
    void enlargeReplicatesPixelsAndSideBySideLaysPanelsOutWithAGap() {
        BufferedImage a = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        a.setRGB(0, 0, 0x112233);
        a.setRGB(1, 0, 0x445566);
        BufferedImage big = PngExport.enlarge(a, 3);
        assertThat(big.getWidth()).isEqualTo(6);
        assertThat(big.getHeight()).isEqualTo(3);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 6; x++) {
                assertThat(big.getRGB(x, y) & 0xffffff).isEqualTo(x < 3 ? 0x112233 : 0x445566);
            }
        }
        assertThat(PngExport.enlarge(a, 1)).isSameAs(a);

        BufferedImage b = new BufferedImage(1, 2, BufferedImage.TYPE_INT_RGB);
        b.setRGB(0, 0, 0xaabbcc);
        b.setRGB(0, 1, 0xddeeff);
        BufferedImage row = PngExport.sideBySide(2, a, b);
        // widths 2 + gap 2 + 1, height max(1, 2); the gap and the space below a are black
        assertThat(row.getWidth()).isEqualTo(5);
        assertThat(row.getHeight()).isEqualTo(2);
        int[][] expected = {
            {0x112233, 0x445566, 0, 0, 0xaabbcc}, {0, 0, 0, 0, 0xddeeff},
        };
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 5; x++) {
                assertThat(row.getRGB(x, y) & 0xffffff)
                        .as("(%d, %d)", x, y)
                        .isEqualTo(expected[y][x]);
            }
        }
        assertThatThrownBy(() -> PngExport.enlarge(a, 0)).hasMessageContaining("factor 0");
        assertThatThrownBy(() -> PngExport.sideBySide(-1, a)).hasMessageContaining("gap");
    }
}
