package org.voxel4j.recon.fbp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.voxel4j.recon.geometry.Angles;
import org.voxel4j.recon.geometry.ConeBeam3d;
import org.voxel4j.recon.geometry.DetectorShape;
import org.voxel4j.recon.geometry.FanBeam2d;
import org.voxel4j.recon.geometry.ImageGrid2d;
import org.voxel4j.recon.geometry.VolumeGrid3d;
import org.voxel4j.recon.phantom.Ellipsoid;
import org.voxel4j.recon.phantom.Phantoms;
import org.voxel4j.recon.phantom.SheppLogan;

class FdkTest {
    @Test
    void midPlaneEqualsFlatFanBeamFbp() {
        int n = 33;
        ConeBeam3d cone = ConeBeam3d.uniform(60, 360, 9, 61, 1.0, 60, 100);
        FanBeam2d fan = FanBeam2d.uniform(60, 360, 61, 60, 100, DetectorShape.FLAT);
        List<Ellipsoid> ph = Phantoms.scale3d(SheppLogan.modified3d(), n / 2.0);
        double[] proj = Phantoms.project(ph, cone);
        double[] vol = new Fdk(cone, VolumeGrid3d.cube(n), FbpFilter.ramLak()).reconstruct(proj);
        // the central panel row (v = 0) is the fan-beam sinogram of the plane z = 0
        double[] sino = new double[60 * 61];
        for (int v = 0; v < 60; v++) {
            System.arraycopy(proj, (v * 9 + 4) * 61, sino, v * 61, 61);
        }
        double[] img = new Fbp(fan, ImageGrid2d.square(n), FbpFilter.ramLak()).reconstruct(sino);
        int mid = n / 2;
        for (int i = 0; i < n * n; i++) {
            assertThat(vol[mid * n * n + i]).isCloseTo(img[i], within(1e-9));
        }
    }

    @Test
    void reconstructsEllipsoidPhantomNearTheMidPlane() {
        int n = 48;
        List<Ellipsoid> ph =
                List.of(
                        new Ellipsoid(1.0, 18, 14, 12, 2, -3, 1, 20),
                        new Ellipsoid(0.5, 5, 6, 4, -7, 4, -2, 0));
        VolumeGrid3d g = VolumeGrid3d.cube(n);
        double[] truth = Phantoms.rasterize(ph, g, 1);
        ConeBeam3d cone = ConeBeam3d.uniform(180, 360, 64, 80, 1.2, 120, 180);
        double[] vol = new Fdk(cone, g, FbpFilter.ramLak()).reconstruct(Phantoms.project(ph, cone));
        // inner region of the central slabs: mean abs error well below the contrast of 0.5
        double err = 0;
        double base = 0;
        int cnt = 0;
        for (int k = n / 2 - 4; k < n / 2 + 4; k++) {
            for (int r = 8; r < n - 8; r++) {
                for (int c = 8; c < n - 8; c++) {
                    int i = (k * n + r) * n + c;
                    err += Math.abs(vol[i] - truth[i]);
                    base += Math.abs(truth[i] - 0.75);
                    cnt++;
                }
            }
        }
        assertThat(err / cnt).isLessThan(0.06);
        assertThat(base / cnt).isGreaterThan(0.2); // the metric is not trivially small
    }

    @Test
    void shortScanWithParkerWeightsMatchesFullScanInMidPlane() {
        int n = 33;
        List<Ellipsoid> ph = Phantoms.scale3d(SheppLogan.modified3d(), n / 2.0);
        ConeBeam3d full = ConeBeam3d.uniform(240, 360, 5, 61, 1.0, 60, 100);
        double delta = Math.atan(30 / 100.0);
        double arc = 180 + Math.toDegrees(2 * delta) + 2;
        ConeBeam3d shortScan =
                new ConeBeam3d(Angles.uniform(160, arc), 5, 61, 1.0, 1.0, 60, 100, 0, 0);
        double[] a =
                new Fdk(full, VolumeGrid3d.cube(n), FbpFilter.ramLak())
                        .reconstruct(Phantoms.project(ph, full));
        double[] b =
                new Fdk(shortScan, VolumeGrid3d.cube(n), FbpFilter.ramLak())
                        .reconstruct(Phantoms.project(ph, shortScan));
        int mid = n / 2;
        double diff = 0;
        for (int i = 0; i < n * n; i++) {
            diff += Math.abs(a[mid * n * n + i] - b[mid * n * n + i]);
        }
        assertThat(diff / (n * n)).isLessThan(0.03);
    }

    @Test
    void rejectsWrongSize() {
        Fdk fdk =
                new Fdk(
                        ConeBeam3d.uniform(4, 360, 3, 5, 1, 10, 20),
                        VolumeGrid3d.cube(4),
                        FbpFilter.ramLak());
        assertThatThrownBy(() -> fdk.reconstruct(new double[59]))
                .hasMessageContaining("59")
                .hasMessageContaining("4 x 3 x 5 = 60");
    }
}
