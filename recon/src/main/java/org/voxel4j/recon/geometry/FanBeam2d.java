package org.voxel4j.recon.geometry;

import java.util.Arrays;

/**
 * 2D fan-beam geometry with a point source on a circle of radius {@code sourceOrigin} and a flat or
 * arc detector at distance {@code sourceDetector} from the source.
 *
 * <p>At view angle β the source is at {@code S(β) = sourceOrigin · (−sin β, cos β)} (β = 0: source
 * above the image, on the +y axis; β grows counter-clockwise), the central ray points along {@code
 * (sin β, −cos β)} through the origin, and the detector coordinate u runs along {@code (cos β, sin
 * β)}. Element {@code j} of {@code n} has {@code u_j = (j − (n − 1)/2) · spacing + offset}: on a
 * {@link DetectorShape#FLAT flat} detector its centre is {@code S + sourceDetector · (sin β, −cos
 * β) + u_j · (cos β, sin β)} and its fan angle {@code γ_j = atan(u_j / sourceDetector)}; on an
 * {@link DetectorShape#ARC arc} detector u is arc length, {@code γ_j = u_j / sourceDetector}. The
 * ray (β, γ) is the parallel-beam ray {@code θ = β + γ, s = sourceOrigin · sin γ} (Kak &amp;
 * Slaney, Principles of Computerized Tomographic Imaging, §3.4), so its redundant partner is {@code
 * (β + π + 2γ, −γ)}.
 *
 * @param angles source angles β in radians
 * @param detectors number of detector elements
 * @param detectorSpacing element pitch on the detector (flat: length; arc: arc length at radius
 *     {@code sourceDetector})
 * @param detectorOffset shift of the detector centre along u
 * @param sourceOrigin distance from the source to the rotation axis (> 0)
 * @param sourceDetector distance from the source to the detector centre (> sourceOrigin)
 * @param shape flat or arc detector
 */
public record FanBeam2d(
        double[] angles,
        int detectors,
        double detectorSpacing,
        double detectorOffset,
        double sourceOrigin,
        double sourceDetector,
        DetectorShape shape)
        implements Geometry2d {
    public FanBeam2d {
        angles = Angles.checked(angles);
        if (detectors < 1) {
            throw new IllegalArgumentException("detectors must be >= 1, got " + detectors);
        }
        Angles.checkPositive("detectorSpacing", detectorSpacing);
        Angles.checkFinite("detectorOffset", detectorOffset);
        Angles.checkSourceDistances(sourceOrigin, sourceDetector);
        if (shape == null) {
            throw new IllegalArgumentException("detector shape is null (FLAT or ARC expected)");
        }
        double maxGamma =
                Math.abs(0.5 * (detectors - 1) * detectorSpacing) + Math.abs(detectorOffset);
        if (shape == DetectorShape.ARC && maxGamma / sourceDetector >= Math.PI / 2) {
            throw new IllegalArgumentException(
                    "arc detector spans a fan angle >= 180 degrees: "
                            + detectors
                            + " elements of "
                            + detectorSpacing
                            + " at radius "
                            + sourceDetector);
        }
    }

    /**
     * {@code views} source angles {@code i · arc / views}, unit spacing, no offset.
     *
     * @param sod source-to-origin distance
     * @param sdd source-to-detector distance
     */
    public static FanBeam2d uniform(
            int views,
            double arcDegrees,
            int detectors,
            double sod,
            double sdd,
            DetectorShape shape) {
        return new FanBeam2d(
                Angles.uniform(views, arcDegrees), detectors, 1.0, 0.0, sod, sdd, shape);
    }

    @Override
    public double[] angles() {
        return angles.clone();
    }

    @Override
    public int views() {
        return angles.length;
    }

    @Override
    public double angle(int view) {
        return angles[view];
    }

    /** Detector coordinate u of element {@code j}. */
    public double u(double j) {
        return (j - 0.5 * (detectors - 1)) * detectorSpacing + detectorOffset;
    }

    /** Fan angle γ of element {@code j} (radians, positive towards +u). */
    public double gamma(double j) {
        double u = u(j);
        return shape == DetectorShape.FLAT ? Math.atan(u / sourceDetector) : u / sourceDetector;
    }

    /** Half fan angle: the largest |γ| over the element centres. */
    public double halfFanAngle() {
        return Math.max(Math.abs(gamma(0)), Math.abs(gamma(detectors - 1)));
    }

    @Override
    public void ray(int view, int det, double[] out) {
        double b = angles[view];
        double sb = Math.sin(b);
        double cb = Math.cos(b);
        out[0] = -sourceOrigin * sb;
        out[1] = sourceOrigin * cb;
        if (shape == DetectorShape.FLAT) {
            double u = u(det);
            double dx = sourceDetector * sb + u * cb;
            double dy = -sourceDetector * cb + u * sb;
            double inv = 1.0 / Math.sqrt(dx * dx + dy * dy);
            out[2] = dx * inv;
            out[3] = dy * inv;
        } else {
            double t = b + u(det) / sourceDetector;
            out[2] = Math.sin(t);
            out[3] = -Math.cos(t);
        }
    }

    @Override
    public FanBeam2d withViews(int[] views) {
        return new FanBeam2d(
                Angles.select(angles, views),
                detectors,
                detectorSpacing,
                detectorOffset,
                sourceOrigin,
                sourceDetector,
                shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FanBeam2d f
                && Arrays.equals(angles, f.angles)
                && detectors == f.detectors
                && detectorSpacing == f.detectorSpacing
                && detectorOffset == f.detectorOffset
                && sourceOrigin == f.sourceOrigin
                && sourceDetector == f.sourceDetector
                && shape == f.shape;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(angles) * 31 + Integer.hashCode(detectors) + shape.hashCode();
    }

    @Override
    public String toString() {
        return "FanBeam2d[views="
                + angles.length
                + ", detectors="
                + detectors
                + ", spacing="
                + detectorSpacing
                + ", offset="
                + detectorOffset
                + ", sod="
                + sourceOrigin
                + ", sdd="
                + sourceDetector
                + ", "
                + shape
                + "]";
    }
}
