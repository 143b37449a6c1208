package org.voxel4j.recon.phantom;

/**
 * An ellipsoid of constant added intensity, rotated about the z axis only (that is all the modified
 * 3D Shepp–Logan phantom needs; see {@link SheppLogan#modified3d()}).
 *
 * @param intensity value added inside
 * @param a semi-axis along the rotated x axis
 * @param b semi-axis along the rotated y axis
 * @param c semi-axis along z
 * @param x0 centre x
 * @param y0 centre y
 * @param z0 centre z
 * @param phiDegrees rotation about z, degrees, counter-clockwise seen from +z
 */
public record Ellipsoid(
        double intensity,
        double a,
        double b,
        double c,
        double x0,
        double y0,
        double z0,
        double phiDegrees) {
    public Ellipsoid {
        if (!Double.isFinite(intensity)) {
            throw new IllegalArgumentException(
                    "ellipsoid intensity must be finite, got " + intensity);
        }
        if (!(a > 0) || !(b > 0) || !(c > 0)) {
            throw new IllegalArgumentException(
                    "ellipsoid semi-axes must be positive, got " + a + ", " + b + ", " + c);
        }
        if (!Double.isFinite(a + b + c + x0 + y0 + z0 + phiDegrees)) {
            throw new IllegalArgumentException("ellipsoid parameters must be finite");
        }
    }

    /** The ellipsoid with all lengths multiplied by {@code s}. */
    public Ellipsoid scaled(double s) {
        return new Ellipsoid(intensity, a * s, b * s, c * s, x0 * s, y0 * s, z0 * s, phiDegrees);
    }

    /** Whether {@code (x, y, z)} lies inside. */
    public boolean contains(double x, double y, double z) {
        double phi = Math.toRadians(phiDegrees);
        double cs = Math.cos(phi);
        double sn = Math.sin(phi);
        double dx = x - x0;
        double dy = y - y0;
        double u = (cs * dx + sn * dy) / a;
        double v = (-sn * dx + cs * dy) / b;
        double w = (z - z0) / c;
        return u * u + v * v + w * w <= 1;
    }

    /** Chord length cut by the line {@code p + t·d}, d a unit vector. */
    public double chord(double px, double py, double pz, double dx, double dy, double dz) {
        double phi = Math.toRadians(phiDegrees);
        double cs = Math.cos(phi);
        double sn = Math.sin(phi);
        double qx = px - x0;
        double qy = py - y0;
        double qu = (cs * qx + sn * qy) / a;
        double qv = (-sn * qx + cs * qy) / b;
        double qw = (pz - z0) / c;
        double eu = (cs * dx + sn * dy) / a;
        double ev = (-sn * dx + cs * dy) / b;
        double ew = dz / c;
        double aa = eu * eu + ev * ev + ew * ew;
        double bb = qu * eu + qv * ev + qw * ew;
        double cc = qu * qu + qv * qv + qw * qw - 1;
        double disc = bb * bb - aa * cc;
        return disc > 0 ? 2 * Math.sqrt(disc) / aa : 0;
    }
}
