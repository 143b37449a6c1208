package org.voxel4j.recon.enhance;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.voxel4j.recon.phantom.Ellipse;
import org.voxel4j.recon.phantom.SheppLogan;

/**
 * Draws random analytic phantoms (sums of ellipses, lengths in pixels, centred on the image centre)
 * for on-the-fly training data: their projections are exact line integrals ({@link
 * org.voxel4j.recon.phantom.Phantoms#project}), so the sparse-view input is not made with the same
 * discrete projector the network could learn to invert.
 */
@FunctionalInterface
public interface PhantomGenerator {

    /** A phantom for an image of {@code size × size} unit pixels. */
    List<Ellipse> sample(RandomGenerator rng, int size);

    /**
     * Random ellipse phantoms: a body ellipse of intensity 1 (semi-axes 0.35–0.47 of the size,
     * random orientation) holding {@code minInner..maxInner} inner ellipses of intensity ±0.1 to
     * ±0.5 (semi-axes 0.02–0.15 of the size) placed inside it.
     */
    static PhantomGenerator randomEllipses(int minInner, int maxInner) {
        if (minInner < 0 || maxInner < minInner) {
            throw new IllegalArgumentException(
                    "need 0 <= minInner <= maxInner, got " + minInner + ", " + maxInner);
        }
        return (rng, size) -> {
            List<Ellipse> out = new ArrayList<>();
            double a = size * (0.35 + 0.12 * rng.nextDouble());
            double b = size * (0.35 + 0.12 * rng.nextDouble());
            double phi = 180 * rng.nextDouble();
            out.add(new Ellipse(1.0, a, b, 0, 0, phi));
            int n = minInner + rng.nextInt(maxInner - minInner + 1);
            double c = Math.cos(Math.toRadians(phi));
            double s = Math.sin(Math.toRadians(phi));
            for (int i = 0; i < n; i++) {
                // a centre inside the body: polar coordinates in the body's frame, radius ≤ 0.6
                double r = 0.6 * Math.sqrt(rng.nextDouble());
                double t = 2 * Math.PI * rng.nextDouble();
                double u = r * a * Math.cos(t);
                double v = r * b * Math.sin(t);
                double x0 = c * u - s * v;
                double y0 = s * u + c * v;
                double ia = size * (0.02 + 0.13 * rng.nextDouble());
                double ib = size * (0.02 + 0.13 * rng.nextDouble());
                double value = (0.1 + 0.4 * rng.nextDouble()) * (rng.nextBoolean() ? 1 : -1);
                out.add(new Ellipse(value, ia, ib, x0, y0, 180 * rng.nextDouble()));
            }
            return out;
        };
    }

    /**
     * The modified Shepp–Logan phantom (Toft's values) with random variations: scale 0.8–1.0 of the
     * image half-size, rotation by up to ±{@code maxRotationDegrees}, and the intensity of each
     * inner ellipse multiplied by 0.7–1.3.
     */
    static PhantomGenerator sheppLoganVariants(double maxRotationDegrees) {
        if (!(maxRotationDegrees >= 0) || Double.isInfinite(maxRotationDegrees)) {
            throw new IllegalArgumentException(
                    "maxRotationDegrees must be finite and >= 0, got " + maxRotationDegrees);
        }
        return (rng, size) -> {
            double scale = size / 2.0 * (0.8 + 0.2 * rng.nextDouble());
            double rot = maxRotationDegrees * (2 * rng.nextDouble() - 1);
            double c = Math.cos(Math.toRadians(rot));
            double s = Math.sin(Math.toRadians(rot));
            List<Ellipse> base = SheppLogan.modified2d();
            List<Ellipse> out = new ArrayList<>();
            for (int i = 0; i < base.size(); i++) {
                Ellipse e = base.get(i).scaled(scale);
                double gain = i < 2 ? 1.0 : 0.7 + 0.6 * rng.nextDouble();
                out.add(
                        new Ellipse(
                                e.intensity() * gain,
                                e.a(),
                                e.b(),
                                c * e.x0() - s * e.y0(),
                                s * e.x0() + c * e.y0(),
                                e.phiDegrees() + rot));
            }
            return out;
        };
    }
}
