package org.voxel4j.recon.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.voxel4j.recon.geometry.Angles;
import org.voxel4j.recon.geometry.ConeBeam3d;
import org.voxel4j.recon.geometry.DetectorShape;
import org.voxel4j.recon.geometry.FanBeam2d;
import org.voxel4j.recon.geometry.ImageGrid2d;
import org.voxel4j.recon.geometry.ParallelBeam2d;
import org.voxel4j.recon.geometry.VolumeGrid3d;
import org.voxel4j.recon.phantom.Ellipse;
import org.voxel4j.recon.phantom.Ellipsoid;
import org.voxel4j.recon.phantom.Phantoms;
import org.voxel4j.recon.phantom.SheppLogan;

class ProjectorTest {

    static Stream<Arguments> projectors() {
        ImageGrid2d g = new ImageGrid2d(23, 31, 1.3);
        ParallelBeam2d par = new ParallelBeam2d(Angles.uniform(17, 180), 41, 1.1, 0.4);
        FanBeam2d flat =
                new FanBeam2d(Angles.uniform(19, 360), 45, 1.7, -0.3, 60, 110, DetectorShape.FLAT);
        FanBeam2d arc =
                new FanBeam2d(Angles.uniform(19, 360), 45, 1.7, 0.2, 60, 110, DetectorShape.ARC);
        VolumeGrid3d vg = new VolumeGrid3d(9, 11, 13, 1.2, 0.9, 1.0);
        ConeBeam3d cone =
                new ConeBeam3d(Angles.uniform(11, 360), 12, 17, 1.6, 1.4, 40, 70, 0.3, -0.5);
        return Stream.of(
                Arguments.of("parallel joseph", Projectors.joseph(par, g)),
                Arguments.of("parallel siddon", Projectors.siddon(par, g)),
                Arguments.of("fan flat joseph", Projectors.joseph(flat, g)),
                Arguments.of("fan flat siddon", Projectors.siddon(flat, g)),
                Arguments.of("fan arc joseph", Projectors.joseph(arc, g)),
                Arguments.of("fan arc siddon", Projectors.siddon(arc, g)),
                Arguments.of("cone joseph", Projectors.joseph(cone, vg)),
                Arguments.of("cone siddon", Projectors.siddon(cone, vg)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("projectors")
    void adjointIsExact(String name, Projector p) {
        Random rnd = new Random(7);
        double[] x = rnd.doubles(p.volumeSize(), -1, 1).toArray();
        double[] y = rnd.doubles(p.projectionSize(), -1, 1).toArray();
        double[] ax = new double[p.projectionSize()];
        double[] aty = new double[p.volumeSize()];
        p.forward(x, ax);
        p.adjoint(y, aty);
        double lhs = dot(ax, y);
        double rhs = dot(x, aty);
        assertThat(Math.abs(lhs)).isGreaterThan(1e-3);
        assertThat(Math.abs(lhs - rhs) / Math.abs(lhs)).as(name).isLessThan(1e-12);
        // the projector is not trivially zero and the float path agrees with the double path
        float[] xf = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            xf[i] = (float) x[i];
        }
        float[] axf = new float[ax.length];
        p.forward(xf, axf);
        for (int i = 0; i < ax.length; i++) {
            assertThat((double) axf[i]).isCloseTo(ax[i], within(1e-4 * (1 + Math.abs(ax[i]))));
        }
        float[] yf = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            yf[i] = (float) y[i];
        }
        float[] atyf = new float[aty.length];
        p.adjoint(yf, atyf);
        for (int i = 0; i < aty.length; i++) {
            assertThat((double) atyf[i]).isCloseTo(aty[i], within(1e-4 * (1 + Math.abs(aty[i]))));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("projectors")
    void subsetOperatorsAreTheRowsOfTheFullOperator(String name, Projector p) {
        Random rnd = new Random(3);
        double[] x = rnd.doubles(p.volumeSize()).toArray();
        double[] full = new double[p.projectionSize()];
        p.forward(x, full);
        int[] sel = {p.views() - 1, 0, 2};
        double[] part = new double[p.projectionSize()];
        java.util.Arrays.fill(part, 42);
        p.forward(x, part, sel);
        int per = p.valuesPerView();
        for (int v = 0; v < p.views(); v++) {
            boolean in = v == sel[0] || v == sel[1] || v == sel[2];
            for (int j = 0; j < per; j++) {
                assertThat(part[v * per + j]).isEqualTo(in ? full[v * per + j] : 42);
            }
        }
        double[] y = rnd.doubles(p.projectionSize()).toArray();
        double[] masked = y.clone();
        for (int v = 0; v < p.views(); v++) {
            boolean in = v == sel[0] || v == sel[1] || v == sel[2];
            if (!in) {
                java.util.Arrays.fill(masked, v * per, (v + 1) * per, 0);
            }
        }
        double[] a = new double[p.volumeSize()];
        double[] b = new double[p.volumeSize()];
        p.adjoint(y, a, sel);
        p.adjoint(masked, b);
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).isCloseTo(b[i], within(1e-12));
        }
    }

    @Test
    void singlePixelProjectsWhereTheConventionSays() {
        // pixel (r, c) = (3, 12) of a 15x15 unit grid: x = 12 - 7 = 5, y = 7 - 3 = 4
        ImageGrid2d g = ImageGrid2d.square(15);
        double[] img = new double[g.size()];
        img[3 * 15 + 12] = 1;
        double[] thetas = {0, Math.PI / 2, Math.PI / 4, Math.toRadians(30), Math.toRadians(200)};
        // fine detector, no ray on a pixel edge: the footprint's mass and centre come out
        // (nearly) exactly
        ParallelBeam2d geo = new ParallelBeam2d(thetas, 2001, 0.01, 0.005);
        for (Projector p : List.of(Projectors.joseph(geo, g), Projectors.siddon(geo, g))) {
            double[] sino = new double[p.projectionSize()];
            p.forward(img, sino);
            for (int v = 0; v < thetas.length; v++) {
                double expected = 5 * Math.cos(thetas[v]) + 4 * Math.sin(thetas[v]);
                double sum = 0;
                double moment = 0;
                for (int j = 0; j < 2001; j++) {
                    double w = sino[v * 2001 + j];
                    sum += w;
                    moment += w * geo.s(j);
                }
                // centre of mass of the projected pixel lies at s = x cos θ + y sin θ
                assertThat(moment / sum).isCloseTo(expected, within(1e-3));
                // mass is preserved: the detector integral equals the pixel area
                assertThat(sum * 0.01).isCloseTo(1.0, within(1e-3));
            }
        }
    }

    @Test
    void siddonOfOnesIsTheChordThroughTheGrid() {
        ImageGrid2d g = new ImageGrid2d(20, 30, 0.5); // box [-7.5, 7.5] x [-5, 5]
        double[] ones = new double[g.size()];
        java.util.Arrays.fill(ones, 1);
        FanBeam2d fan =
                new FanBeam2d(Angles.uniform(13, 360), 25, 0.7, 0.1, 30, 50, DetectorShape.FLAT);
        Projector p = Projectors.siddon(fan, g);
        double[] sino = new double[p.projectionSize()];
        p.forward(ones, sino);
        double[] ray = new double[4];
        for (int v = 0; v < fan.views(); v++) {
            for (int j = 0; j < fan.detectors(); j++) {
                fan.ray(v, j, ray);
                assertThat(sino[v * 25 + j]).isCloseTo(boxChord(ray, 7.5, 5), within(1e-9));
            }
        }
    }

    private static double boxChord(double[] r, double hx, double hy) {
        double t0 = Double.NEGATIVE_INFINITY;
        double t1 = Double.POSITIVE_INFINITY;
        double[][] ax = {{r[0], r[2], hx}, {r[1], r[3], hy}};
        for (double[] a : ax) {
            if (a[1] == 0) {
                if (Math.abs(a[0]) > a[2]) {
                    return 0;
                }
                continue;
            }
            double u = (-a[2] - a[0]) / a[1];
            double w = (a[2] - a[0]) / a[1];
            t0 = Math.max(t0, Math.min(u, w));
            t1 = Math.min(t1, Math.max(u, w));
        }
        return Math.max(0, t1 - t0);
    }

    @Test
    void numericalProjectionsMatchClosedFormOfEllipses() {
        int n = 128;
        List<Ellipse> phantom = Phantoms.scale(SheppLogan.modified2d(), n / 2.0);
        ImageGrid2d g = ImageGrid2d.square(n);
        double[] img = Phantoms.rasterize(phantom, g, 4);
        ParallelBeam2d par = ParallelBeam2d.uniform(30, 180, 183);
        FanBeam2d fan = FanBeam2d.uniform(30, 360, 220, 200, 400, DetectorShape.ARC);
        FanBeam2d flat = FanBeam2d.uniform(30, 360, 220, 200, 400, DetectorShape.FLAT);
        for (var geo : List.of(par, fan, flat)) {
            double[] exact = Phantoms.project(phantom, geo);
            for (Projector p : List.of(Projectors.joseph(geo, g), Projectors.siddon(geo, g))) {
                double[] num = new double[p.projectionSize()];
                p.forward(img, num);
                // measured ~0.025-0.030 (edge pixels of the thin skull); a vertical flip gives
                // ~0.23
                assertThat(relErr(num, exact)).as(geo + " " + p).isLessThan(0.04);
            }
        }
    }

    @Test
    void coneProjectionsConvergeToClosedFormOfEllipsoids() {
        // two smooth ellipsoids placed asymmetrically in x, y and z: a flipped axis or a swapped
        // panel direction would move their shadows
        List<Ellipsoid> phantom =
                List.of(
                        new Ellipsoid(1.0, 14, 10, 8, 3, -4, 5, 30),
                        new Ellipsoid(0.5, 5, 7, 4, -6, 5, -7, -20));
        ConeBeam3d cone = ConeBeam3d.uniform(8, 360, 40, 64, 1.5, 100, 150);
        double[] exact = Phantoms.project(phantom, cone);
        for (ProjectorType type : ProjectorType.values()) {
            double[] err = new double[2];
            for (int k = 0; k < 2; k++) {
                int n = 48 * (k + 1);
                double sp = 1.0 / (k + 1);
                VolumeGrid3d g = new VolumeGrid3d(n, n, n, sp, sp, sp);
                double[] vol = Phantoms.rasterize(phantom, g, 2);
                Projector p = new ConeProjector(cone, g, type);
                double[] num = new double[p.projectionSize()];
                p.forward(vol, num);
                err[k] = relErr(num, exact);
                if (k == 0) {
                    double[] flipped = new double[vol.length];
                    for (int d = 0; d < n; d++) {
                        System.arraycopy(vol, (n - 1 - d) * n * n, flipped, d * n * n, n * n);
                    }
                    p.forward(flipped, num);
                    assertThat(relErr(num, exact)).isGreaterThan(0.2);
                }
            }
            // measured: Joseph 0.042 -> 0.024, Siddon 0.045 -> 0.031 (edge voxels dominate)
            assertThat(err[0]).as(type.name()).isLessThan(0.06);
            assertThat(err[1]).as(type.name()).isLessThan(0.75 * err[0]);
        }
    }

    @Test
    void rejectsWrongArrayLengthsAndShapes() {
        Projector p = Projectors.joseph(ParallelBeam2d.uniform(4, 180, 9), ImageGrid2d.square(6));
        assertThatThrownBy(() -> p.forward(new double[35], new double[36]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("35")
                .hasMessageContaining("36");
        assertThatThrownBy(() -> p.forward(org.nd4j.linalg.factory.Nd4j.zeros(5, 6)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[5, 6]");
    }

    @Test
    void indarrayEntryPointsMatchArrays() {
        Projector p = Projectors.siddon(ParallelBeam2d.uniform(5, 180, 11), ImageGrid2d.square(7));
        double[] x = new Random(1).doubles(49).toArray();
        double[] y = new double[55];
        p.forward(x, y);
        var out = p.forward(org.nd4j.linalg.factory.Nd4j.create(x, new long[] {7, 7}, 'c'));
        assertThat(out.shape()).containsExactly(5, 11);
        assertThat(out.getDouble(3, 4)).isCloseTo(y[3 * 11 + 4], within(1e-12));
        var back = p.adjoint(out.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT));
        assertThat(back.dataType()).isEqualTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        assertThat(back.shape()).containsExactly(7, 7);
    }

    static double relErr(double[] a, double[] ref) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - ref[i]) * (a[i] - ref[i]);
            den += ref[i] * ref[i];
        }
        return Math.sqrt(num / den);
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
