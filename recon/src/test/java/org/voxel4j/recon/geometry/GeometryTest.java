package org.voxel4j.recon.geometry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GeometryTest {
    @Test
    void imageGridConventions() {
        ImageGrid2d g = new ImageGrid2d(4, 6, 0.5);
        // x along increasing column, y along decreasing row, origin at the centre
        assertThat(g.x(0)).isEqualTo(-1.25);
        assertThat(g.x(5)).isEqualTo(1.25);
        assertThat(g.y(0)).isEqualTo(0.75);
        assertThat(g.y(3)).isEqualTo(-0.75);
        assertThat(g.col(g.x(2.3))).isCloseTo(2.3, within(1e-12));
        assertThat(g.row(g.y(1.7))).isCloseTo(1.7, within(1e-12));
        ImageGrid2d shifted = new ImageGrid2d(4, 4, 1, -0.5, 0.5);
        assertThat(shifted.x(2)).isEqualTo(0.0); // skimage: axis on pixel (n/2, n/2)
        assertThat(shifted.y(2)).isEqualTo(0.0);
        VolumeGrid3d v = new VolumeGrid3d(3, 4, 5, 2, 1, 1);
        assertThat(v.z(0)).isEqualTo(-2.0);
        assertThat(v.z(2)).isEqualTo(2.0);
    }

    @Test
    void anglesAndDefaults() {
        double[] a = Angles.uniform(4, 180);
        assertThat(a).containsExactly(0, Math.PI / 4, Math.PI / 2, 3 * Math.PI / 4);
        assertThat(Angles.coverage(a)).isCloseTo(Math.PI, within(1e-12));
        assertThat(ParallelBeam2d.defaultDetectors(256)).isEqualTo(363);
        assertThat(ParallelBeam2d.defaultDetectors(100)).isEqualTo(143);
        ParallelBeam2d p = ParallelBeam2d.uniform(3, 360, 5);
        assertThat(p.s(0)).isEqualTo(-2.0);
        assertThat(p.withViews(new int[] {2}).angle(0)).isCloseTo(4 * Math.PI / 3, within(1e-12));
    }

    @Test
    void parallelRayIsTheLineXcosPlusYsinEqualsS() {
        ParallelBeam2d p = new ParallelBeam2d(new double[] {0.4}, 7, 1.3, 0.2);
        double[] r = new double[4];
        p.ray(0, 5, r);
        double s = p.s(5);
        for (double t : new double[] {-10, 0, 3.7}) {
            double x = r[0] + t * r[2];
            double y = r[1] + t * r[3];
            assertThat(x * Math.cos(0.4) + y * Math.sin(0.4)).isCloseTo(s, within(1e-12));
        }
    }

    @Test
    void fanRayIsParallelRayThetaBetaPlusGammaSEqualsSodSinGamma() {
        for (DetectorShape shape : DetectorShape.values()) {
            FanBeam2d f = new FanBeam2d(new double[] {0.3, 2.0}, 9, 7.0, 1.1, 50, 90, shape);
            double[] r = new double[4];
            for (int v = 0; v < 2; v++) {
                for (int j = 0; j < 9; j++) {
                    f.ray(v, j, r);
                    double gamma = f.gamma(j);
                    double theta = f.angle(v) + gamma;
                    double s = 50 * Math.sin(gamma);
                    // the source lies on the line and the line is {x cos θ + y sin θ = s}
                    assertThat(r[0]).isCloseTo(-50 * Math.sin(f.angle(v)), within(1e-12));
                    assertThat(r[1]).isCloseTo(50 * Math.cos(f.angle(v)), within(1e-12));
                    double far = 200;
                    double x = r[0] + far * r[2];
                    double y = r[1] + far * r[3];
                    assertThat(x * Math.cos(theta) + y * Math.sin(theta))
                            .isCloseTo(s, within(1e-9));
                    assertThat(r[0] * Math.cos(theta) + r[1] * Math.sin(theta))
                            .isCloseTo(s, within(1e-9));
                }
            }
        }
        // flat detector: element at u lies on the detector line at distance sdd from the source
        FanBeam2d flat = new FanBeam2d(new double[] {0}, 3, 10, 0, 50, 90, DetectorShape.FLAT);
        assertThat(flat.gamma(2)).isCloseTo(Math.atan(10 / 90.0), within(1e-15));
        FanBeam2d arc = new FanBeam2d(new double[] {0}, 3, 10, 0, 50, 90, DetectorShape.ARC);
        assertThat(arc.gamma(2)).isCloseTo(10 / 90.0, within(1e-15));
    }

    @Test
    void coneCentralRayAndPanelOrientation() {
        ConeBeam3d c = new ConeBeam3d(new double[] {Math.PI / 2}, 5, 7, 2, 3, 40, 100, 0, 0);
        double[] r = new double[6];
        c.ray(0, 2, 3, r); // centre of the panel
        assertThat(r[0]).isCloseTo(-40, within(1e-12)); // β = 90°: source on -x
        assertThat(r[3]).isCloseTo(1, within(1e-12)); // pointing to +x through the axis
        c.ray(0, 0, 3, r); // top row: v > 0, ray goes up (+z)
        assertThat(r[5]).isGreaterThan(0);
        assertThat(c.v(0)).isEqualTo(4.0);
        assertThat(c.u(6)).isEqualTo(9.0);
    }

    @Test
    void validationNamesTheOffendingValue() {
        assertThatThrownBy(() -> new ImageGrid2d(0, 3, 1)).hasMessageContaining("0x3");
        assertThatThrownBy(() -> new ImageGrid2d(2, 3, -1)).hasMessageContaining("-1");
        assertThatThrownBy(() -> ParallelBeam2d.uniform(10, 180, 0))
                .hasMessageContaining("detectors must be >= 1, got 0");
        assertThatThrownBy(() -> new ParallelBeam2d(new double[] {Double.NaN}, 3, 1, 0))
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> FanBeam2d.uniform(10, 360, 5, 100, 80, DetectorShape.FLAT))
                .hasMessageContaining("sourceDetector (80.0) must exceed sourceOrigin (100.0)");
        assertThatThrownBy(() -> new FanBeam2d(new double[] {0}, 5, 1, 0, 10, 20, null))
                .hasMessageContaining("FLAT or ARC");
        assertThatThrownBy(() -> Angles.uniform(0, 180)).hasMessageContaining("0");
        assertThatThrownBy(() -> ConeBeam3d.uniform(2, 360, 0, 4, 1, 10, 20))
                .hasMessageContaining("0x4");
        assertThatThrownBy(() -> new VolumeGrid3d(2, 2, 2, 1, 0, 1))
                .hasMessageContaining("spacingY");
        assertThatThrownBy(() -> ParallelBeam2d.uniform(3, 180, 5).withViews(new int[] {3}))
                .hasMessageContaining("view index 3");
    }
}
