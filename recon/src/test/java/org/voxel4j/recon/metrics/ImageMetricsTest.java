package org.voxel4j.recon.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.recon.Fixtures;
import org.voxel4j.recon.Parallel;

class ImageMetricsTest {
    @Test
    void twoDimensionalMatchesSkimage() {
        var a = Fixtures.npy("metrics/img2d_a.npy");
        var b = Fixtures.npy("metrics/img2d_b.npy");
        JsonNode ref = Fixtures.json("metrics/img2d.json");
        int[] shape = a.shape();
        // skimage.metrics.structural_similarity(a, b, data_range=255): uniform 7, sample cov
        assertThat(
                        ImageMetrics.ssim(
                                a.data(), b.data(), shape, null, SsimOptions.synthrad2023(), 255))
                .isCloseTo(ref.get("ssim_uniform7_255").asDouble(), within(1e-12));
        assertThat(ImageMetrics.ssim(a.data(), b.data(), shape, null, SsimOptions.wang(), 255))
                .isCloseTo(ref.get("ssim_wang_255").asDouble(), within(1e-12));
        assertThat(ImageMetrics.psnr(a.data(), b.data(), null, 255))
                .isCloseTo(ref.get("psnr_255").asDouble(), within(1e-10));
        assertThat(ImageMetrics.mae(a.data(), b.data(), null))
                .isCloseTo(ref.get("mae").asDouble(), within(1e-12));
        double[] map =
                ImageMetrics.ssimMap(a.data(), b.data(), shape, SsimOptions.synthrad2023(), 255);
        double[] refMap = Fixtures.npy("metrics/img2d_ssim_map_uniform7.npy").data();
        for (int i = 0; i < map.length; i++) {
            assertThat(map[i]).isCloseTo(refMap[i], within(1e-12));
        }
    }

    @Test
    void synthradPresetMatchesTheChallengeCodeWithAndWithoutMask() {
        var gt = Fixtures.npy("metrics/vol3d_gt.npy");
        var pred = Fixtures.npy("metrics/vol3d_pred.npy");
        var maskArr = Fixtures.npy("metrics/vol3d_mask.npy");
        JsonNode ref = Fixtures.json("metrics/vol3d.json");
        boolean[] mask = new boolean[maskArr.data().length];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = maskArr.data()[i] != 0;
        }
        ImageQuality q =
                ImageMetrics.evaluate(
                        pred.data(),
                        gt.data(),
                        gt.shape(),
                        mask,
                        SsimPreset.SYNTHRAD2023,
                        Double.NaN);
        JsonNode m = ref.get("synthrad_masked");
        assertThat(q.mae()).isCloseTo(m.get("mae").asDouble(), within(1e-10));
        assertThat(q.psnr()).isCloseTo(m.get("psnr").asDouble(), within(1e-10));
        assertThat(q.ssim()).isCloseTo(m.get("ssim").asDouble(), within(1e-10));
        // the masked mean is not skimage's plain mean of the cropped map
        assertThat(Math.abs(q.ssim() - m.get("skimage_mean_of_whole_cropped_map").asDouble()))
                .isGreaterThan(1e-3);

        ImageQuality all =
                ImageMetrics.evaluate(
                        pred.data(), gt.data(), gt.shape(), null, SsimPreset.SYNTHRAD2023, 4024);
        JsonNode n = ref.get("synthrad_nomask");
        assertThat(all.mae()).isCloseTo(n.get("mae").asDouble(), within(1e-10));
        assertThat(all.psnr()).isCloseTo(n.get("psnr").asDouble(), within(1e-10));
        assertThat(all.ssim()).isCloseTo(n.get("ssim").asDouble(), within(1e-10));
        assertThat(all.ssim())
                .isCloseTo(
                        n.get("skimage_structural_similarity_win7_r4024").asDouble(),
                        within(1e-10));

        ImageQuality w =
                ImageMetrics.evaluate(
                        pred.data(), gt.data(), gt.shape(), null, SsimPreset.WANG, 4000);
        JsonNode wr = ref.get("wang_r4000");
        assertThat(w.ssim()).isCloseTo(wr.get("ssim").asDouble(), within(1e-10));
        assertThat(w.psnr()).isCloseTo(wr.get("psnr").asDouble(), within(1e-10));
        assertThat(w.mae()).isCloseTo(wr.get("mae").asDouble(), within(1e-10));
    }

    @Test
    void resultDoesNotDependOnThreadCount() {
        var gt = Fixtures.npy("metrics/vol3d_gt.npy");
        var pred = Fixtures.npy("metrics/vol3d_pred.npy");
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(1);
            double one =
                    ImageMetrics.ssim(
                            pred.data(), gt.data(), gt.shape(), null, SsimOptions.wang(), 4000);
            Parallel.setThreads(3);
            double three =
                    ImageMetrics.ssim(
                            pred.data(), gt.data(), gt.shape(), null, SsimOptions.wang(), 4000);
            assertThat(three).isCloseTo(one, within(1e-13));
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void singleSliceVolumeIsComparedAsImage() {
        var a = Fixtures.npy("metrics/img2d_a.npy");
        var b = Fixtures.npy("metrics/img2d_b.npy");
        JsonNode ref = Fixtures.json("metrics/img2d.json");
        int[] shape = {1, a.dim(0), a.dim(1)};
        assertThat(ImageMetrics.ssim(a.data(), b.data(), shape, null, SsimOptions.wang(), 255))
                .isCloseTo(ref.get("ssim_wang_255").asDouble(), within(1e-12));
        var q =
                ImageMetrics.evaluate(
                        Nd4j.create(a.data(), new long[] {a.dim(0), a.dim(1), 1}, 'c'),
                        Nd4j.create(b.data(), new long[] {a.dim(0), a.dim(1), 1}, 'c'),
                        null,
                        SsimPreset.WANG,
                        255);
        assertThat(q.ssim()).isCloseTo(ref.get("ssim_wang_255").asDouble(), within(1e-12));
    }

    @Test
    void identicalImagesScorePerfectly() {
        double[] a = new double[12 * 13];
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.sin(i * 0.37) * 100;
        }
        int[] s = {12, 13};
        assertThat(ImageMetrics.ssim(a, a, s, null, SsimOptions.synthrad2023(), 200))
                .isCloseTo(1.0, within(1e-12));
        assertThat(ImageMetrics.psnr(a, a, null, 200)).isInfinite();
        assertThat(ImageMetrics.mae(a, a, null)).isZero();
    }

    @Test
    void rejectsBadInput() {
        double[] a = new double[100];
        assertThatThrownBy(
                        () ->
                                ImageMetrics.ssim(
                                        a, a, new int[] {10, 10}, null, SsimOptions.wang(), 1))
                .hasMessageContaining("smaller than the SSIM window of 11");
        assertThatThrownBy(
                        () ->
                                ImageMetrics.ssim(
                                        a,
                                        a,
                                        new int[] {10, 11},
                                        null,
                                        SsimOptions.synthrad2023(),
                                        1))
                .hasMessageContaining("[10, 11]")
                .hasMessageContaining("100");
        assertThatThrownBy(
                        () ->
                                ImageMetrics.evaluate(
                                        a,
                                        a,
                                        new int[] {10, 10},
                                        null,
                                        SsimPreset.WANG,
                                        Double.NaN))
                .hasMessageContaining("data range");
        assertThatThrownBy(
                        () ->
                                ImageMetrics.evaluate(
                                        a,
                                        a,
                                        new int[] {10, 10},
                                        null,
                                        SsimPreset.SYNTHRAD2023,
                                        255))
                .hasMessageContaining("4024");
        assertThatThrownBy(() -> ImageMetrics.mae(a, a, new boolean[100]))
                .hasMessageContaining("no voxel");
        assertThatThrownBy(() -> SsimPreset.parse("foo")).hasMessageContaining("foo");
    }
}
