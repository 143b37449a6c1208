package org.voxel4j.recon.phantom;

/**
 * An ellipse of constant added intensity, the building block of the Shepp–Logan phantom (L. A.
 * Shepp, B. F. Logan, "The Fourier reconstruction of a head section", IEEE Trans. Nucl. Sci. 21(3),
 * 1974). Points {@code (x, y)} with {@code (x'/a)² + (y'/b)² ≤ 1}, where {@code (x', y')} are the
 * coordinates relative to the centre rotated by −φ (φ counter-clockwise from +x).
 *
 * @param intensity value added inside
 * @param a semi-axis along the rotated x axis (> 0)
 * @param b semi-axis along the rotated y axis (> 0)
 * @param x0 centre x
 * @param y0 centre y
 * @param phiDegrees rotation, degrees, counter-clockwise
 */
public record Ellipse(
        double intensity, double a, double b, double x0, double y0, double phiDegrees) {
    public Ellipse {
        if (!Double.isFinite(intensity)) {
            throw new IllegalArgumentException(
                    "ellipse intensity must be finite, got " + intensity);
        }
        if (!(a > 0) || !(b > 0) || Double.isInfinite(a) || Double.isInfinite(b)) {
            throw new IllegalArgumentException(
                    "ellipse semi-axes must be positive and finite, got a=" + a + ", b=" + b);
        }
        if (!Double.isFinite(x0) || !Double.isFinite(y0) || !Double.isFinite(phiDegrees)) {
            throw new IllegalArgumentException(
                    "ellipse centre/angle must be finite, got ("
                            + x0
                            + ", "
                            + y0
                            + "), "
                            + phiDegrees);
        }
    }

    /** The ellipse with lengths multiplied by {@code s} (centre and axes). */
    public Ellipse scaled(double s) {
        return new Ellipse(intensity, a * s, b * s, x0 * s, y0 * s, phiDegrees);
    }

    /** Whether {@code (x, y)} lies inside (boundary included). */
    public boolean contains(double x, double y) {
        double phi = Math.toRadians(phiDegrees);
        double c = Math.cos(phi);
        double s = Math.sin(phi);
        double dx = x - x0;
        double dy = y - y0;
        double u = (c * dx + s * dy) / a;
        double v = (-s * dx + c * dy) / b;
        return u * u + v * v <= 1;
    }

    /**
     * Length of the chord cut by the line {@code p + t·d} ({@code d} a unit vector): the exact line
     * integral of the indicator function.
     */
    public double chord(double px, double py, double dx, double dy) {
        double phi = Math.toRadians(phiDegrees);
        double c = Math.cos(phi);
        double s = Math.sin(phi);
        double qx = px - x0;
        double qy = py - y0;
        double qu = (c * qx + s * qy) / a;
        double qv = (-s * qx + c * qy) / b;
        double eu = (c * dx + s * dy) / a;
        double ev = (-s * dx + c * dy) / b;
        double aa = eu * eu + ev * ev;
        double bb = qu * eu + qv * ev;
        double cc = qu * qu + qv * qv - 1;
        double disc = bb * bb - aa * cc;
        return disc > 0 ? 2 * Math.sqrt(disc) / aa : 0;
    }
}
