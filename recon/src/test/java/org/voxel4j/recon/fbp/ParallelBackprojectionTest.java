package org.voxel4j.recon.fbp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.voxel4j.recon.geometry.Angles;
import org.voxel4j.recon.geometry.ImageGrid2d;
import org.voxel4j.recon.geometry.ParallelBeam2d;

/**
 * The symmetric fast path of the parallel-beam back-projection against the general one-view-at-a-
 * time path (forced by a grid centre of {@code Double.MIN_VALUE}, which changes no coordinate but
 * breaks the symmetry test), over scans with and without complete orbits.
 */
class ParallelBackprojectionTest {

    static double[] backproject(ParallelBeam2d p, ImageGrid2d grid, double[] q) {
        double[] img = new double[grid.size()];
        ParallelBackprojection.run(p, grid, q, img);
        return img;
    }

    @ParameterizedTest
    @CsvSource({
        "180, 180, 64, 91", // the benchmark's layout (small): 44 orbits + 4 single views
        "120, 360, 33, 47", // 360° scan, odd image size
        "90, 180, 40, 57", // 2° steps: no 45° view
        "7, 180, 16, 23", // no complete orbit
        "64, 180, 20, 13" // detector narrower than the image: clipped ranges
    })
    void fastPathEqualsGeneralPath(int views, double arc, int n, int dets) {
        ParallelBeam2d p = ParallelBeam2d.uniform(views, arc, dets);
        double[] q = new double[views * dets];
        SplittableRandom rnd = new SplittableRandom(views * 31L + n);
        for (int i = 0; i < q.length; i++) {
            q[i] = rnd.nextDouble() - 0.3;
        }
        double[] fast = backproject(p, ImageGrid2d.square(n), q);
        double[] general = backproject(p, new ImageGrid2d(n, n, 1.0, Double.MIN_VALUE, 0), q);
        double scale = Arrays.stream(general).map(Math::abs).max().orElse(1);
        double maxDiff = 0;
        for (int i = 0; i < fast.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(fast[i] - general[i]));
        }
        assertThat(maxDiff / scale).isLessThan(1e-10);
    }

    @Test
    void orbitsGroupTheSymmetricViews() {
        int[][] o = ParallelBackprojection.orbits(Angles.uniform(180, 180));
        assertThat(o).hasNumberOfRows(44);
        assertThat(o[0]).containsExactly(1, 179, 91, 89);
        assertThat(ParallelBackprojection.orbits(Angles.uniform(7, 180))).isEmpty();
        // 360 views over 360°: all but 0°, 90°, 180°, 270° (whose partners coincide), e.g.
        // (135°, 45°, 225°, 315°) is an orbit
        int[][] full = ParallelBackprojection.orbits(Angles.uniform(360, 360));
        assertThat(full).hasNumberOfRows(89);
        assertThat(
                        Arrays.stream(full)
                                .anyMatch(o2 -> Arrays.equals(o2, new int[] {135, 45, 225, 315})))
                .isTrue();
    }
}
