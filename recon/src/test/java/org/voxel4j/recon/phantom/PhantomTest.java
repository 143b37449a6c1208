package org.voxel4j.recon.phantom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.voxel4j.recon.Fixtures;
import org.voxel4j.recon.geometry.ImageGrid2d;
import org.voxel4j.recon.geometry.ParallelBeam2d;

class PhantomTest {
    @Test
    void sheppLoganMatchesSkimagesPhantomImage() {
        // skimage.data.shepp_logan_phantom(): 400x400, values 0..1 (8-bit PNG)
        double[] sk = Fixtures.npy("phantom/skimage_shepp_logan_400_u8.npy").data();
        double[] ours = Phantoms.sheppLogan(400);
        double diff = 0;
        double flipped = 0;
        for (int r = 0; r < 400; r++) {
            for (int c = 0; c < 400; c++) {
                double ref = sk[r * 400 + c] / 255.0;
                diff += Math.abs(ours[r * 400 + c] - ref);
                flipped += Math.abs(ours[(399 - r) * 400 + c] - ref);
            }
        }
        diff /= 400 * 400;
        flipped /= 400 * 400;
        // measured 0.0043 (edge pixels and 8-bit quantisation); upside down 0.042
        assertThat(diff).isLessThan(0.006);
        assertThat(flipped).isGreaterThan(5 * diff);
    }

    @Test
    void ellipseProjectionIsKakSlaneyClosedForm() {
        // Kak & Slaney eq. 3.2 for a centred, unrotated ellipse: 2ρab sqrt(α² − s²)/α²
        Ellipse e = new Ellipse(2.0, 30, 10, 0, 0, 0);
        ParallelBeam2d geo = new ParallelBeam2d(new double[] {0, Math.PI / 2, 0.7}, 41, 1.5, 0);
        double[] p = Phantoms.project(java.util.List.of(e), geo);
        for (int v = 0; v < 3; v++) {
            double th = geo.angle(v);
            double alpha2 = 900 * Math.cos(th) * Math.cos(th) + 100 * Math.sin(th) * Math.sin(th);
            for (int j = 0; j < 41; j++) {
                double s = geo.s(j);
                double want =
                        s * s < alpha2 ? 2 * 2.0 * 30 * 10 * Math.sqrt(alpha2 - s * s) / alpha2 : 0;
                assertThat(p[v * 41 + j]).isCloseTo(want, within(1e-9));
            }
        }
        // a shifted, rotated ellipse: chord from the closed form of the rotated frame
        Ellipse r = new Ellipse(1.0, 12, 5, 7, -4, 30);
        assertThat(r.contains(7 + 11.9 * Math.cos(Math.PI / 6), -4 + 11.9 * Math.sin(Math.PI / 6)))
                .isTrue();
        assertThat(r.contains(7 + 12.1 * Math.cos(Math.PI / 6), -4 + 12.1 * Math.sin(Math.PI / 6)))
                .isFalse();
        // along the major axis the chord is 2a
        assertThat(r.chord(7, -4, Math.cos(Math.PI / 6), Math.sin(Math.PI / 6)))
                .isCloseTo(24, within(1e-9));
    }

    @Test
    void rasterisationIsAreaWeightedWithSupersampling() {
        // a disc of radius 10: mean over the grid -> area / grid area as supersampling grows
        Ellipse disc = new Ellipse(1.0, 10, 10, 0.3, -0.2, 0);
        double[] img = Phantoms.rasterize(java.util.List.of(disc), new ImageGrid2d(32, 32, 1), 8);
        double sum = 0;
        for (double v : img) {
            sum += v;
        }
        assertThat(sum).isCloseTo(Math.PI * 100, within(0.5));
        assertThatThrownBy(() -> new Ellipse(1, -1, 2, 0, 0, 0)).hasMessageContaining("a=-1");
    }
}
