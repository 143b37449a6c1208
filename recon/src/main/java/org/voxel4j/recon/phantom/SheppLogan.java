package org.voxel4j.recon.phantom;

import java.util.List;

/**
 * The modified Shepp–Logan phantom of P. Toft, "The Radon Transform: Theory and Implementation",
 * PhD thesis, DTU 1996 (the intensities of MATLAB's {@code phantom('Modified Shepp-Logan')} and of
 * the image behind {@code skimage.data.shepp_logan_phantom()}), in normalised coordinates: the
 * outer ellipse fits the square [−1, 1]², y pointing up, so the three small ellipses sit at the
 * bottom of the image. Multiply by a scale (e.g. N/2 for an N×N image with unit pixels) with {@link
 * Phantoms#scale}.
 */
public final class SheppLogan {
    private SheppLogan() {}

    /** The ten ellipses of the modified 2D phantom (intensities 1, −0.8, −0.2, −0.2, 0.1 × 6). */
    public static List<Ellipse> modified2d() {
        return List.of(
                new Ellipse(1.0, 0.69, 0.92, 0, 0, 0),
                new Ellipse(-0.8, 0.6624, 0.874, 0, -0.0184, 0),
                new Ellipse(-0.2, 0.11, 0.31, 0.22, 0, -18),
                new Ellipse(-0.2, 0.16, 0.41, -0.22, 0, 18),
                new Ellipse(0.1, 0.21, 0.25, 0, 0.35, 0),
                new Ellipse(0.1, 0.046, 0.046, 0, 0.1, 0),
                new Ellipse(0.1, 0.046, 0.046, 0, -0.1, 0),
                new Ellipse(0.1, 0.046, 0.023, -0.08, -0.605, 0),
                new Ellipse(0.1, 0.023, 0.023, 0, -0.606, 0),
                new Ellipse(0.1, 0.023, 0.046, 0.06, -0.605, 0));
    }

    /**
     * The modified 3D phantom (the "Modified Shepp-Logan" table of M. Schabel's {@code phantom3d},
     * after Kak &amp; Slaney Table 3.1 with Toft's intensities). Two ellipsoids carry Euler angles
     * φ = ∓18°, ψ = 10°, θ = 0 there; with θ = 0 the rotation is about z by φ + ψ, i.e. −8° and
     * 28°.
     */
    public static List<Ellipsoid> modified3d() {
        return List.of(
                new Ellipsoid(1.0, 0.69, 0.92, 0.81, 0, 0, 0, 0),
                new Ellipsoid(-0.8, 0.6624, 0.874, 0.78, 0, -0.0184, 0, 0),
                new Ellipsoid(-0.2, 0.11, 0.31, 0.22, 0.22, 0, 0, -8),
                new Ellipsoid(-0.2, 0.16, 0.41, 0.28, -0.22, 0, 0, 28),
                new Ellipsoid(0.1, 0.21, 0.25, 0.41, 0, 0.35, -0.15, 0),
                new Ellipsoid(0.1, 0.046, 0.046, 0.05, 0, 0.1, 0.25, 0),
                new Ellipsoid(0.1, 0.046, 0.046, 0.05, 0, -0.1, 0.25, 0),
                new Ellipsoid(0.1, 0.046, 0.023, 0.05, -0.08, -0.605, 0, 0),
                new Ellipsoid(0.1, 0.023, 0.023, 0.02, 0, -0.606, 0, 0),
                new Ellipsoid(0.1, 0.023, 0.046, 0.02, 0.06, -0.605, 0, 0));
    }
}
