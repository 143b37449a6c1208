package org.voxel4j.volumetric.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A 256^3 pair must take seconds, not minutes. */
class SegmentationMetricsSpeedTest {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentationMetricsSpeedTest.class);

    @Test
    void twoLargeSpheresIn256CubedTakeSeconds() {
        int n = 256;
        int[] shape = {n, n, n};
        boolean[] a = new boolean[n * n * n];
        boolean[] b = new boolean[n * n * n];
        double[] spacing = {1.0, 1.0, 1.0};
        int p = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++, p++) {
                    double da = sq(i - 128) + sq(j - 128) + sq(k - 128);
                    double db = sq(i - 131) + sq(j - 128) + sq(k - 128);
                    a[p] = da <= 100 * 100;
                    b[p] = db <= 100 * 100;
                }
            }
        }
        long t0 = System.nanoTime();
        LabelMetrics m =
                SegmentationMetrics.binary(
                        a, b, shape, spacing, SegmentationMetricsConfig.defaults());
        long t1 = System.nanoTime();
        LabelMetrics s =
                SegmentationMetrics.binary(
                        a, b, shape, spacing, SegmentationMetricsConfig.defaults().withSurfel(1.0));
        long t2 = System.nanoTime();
        LOG.info(
                "256^3 spheres r=100: voxel metrics {} ms, with surfel {} ms; hd95 {} hd95-surfel {}",
                (t1 - t0) / 1_000_000,
                (t2 - t1) / 1_000_000,
                m.hd95(),
                s.surfel().hd95Surfel());
        // Spheres offset by 3 voxels along one axis: the largest surface distance is 3 mm.
        assertThat(m.hd100()).isCloseTo(3.0, within(0.5));
        assertThat((t1 - t0) / 1e9).isLessThan(30);
        assertThat((t2 - t1) / 1e9).isLessThan(60);
    }

    private static double sq(double x) {
        return x * x;
    }
}
