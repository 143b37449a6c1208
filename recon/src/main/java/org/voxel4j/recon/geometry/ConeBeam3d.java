package org.voxel4j.recon.geometry;

import java.util.Arrays;

/**
 * 3D circular cone-beam geometry with a flat panel (the geometry of FDK: L. A. Feldkamp, L. C.
 * Davis, J. W. Kress, "Practical cone-beam algorithm", JOSA A 1(6), 1984).
 *
 * <p>The source moves on the circle {@code S(β) = sourceOrigin · (−sin β, cos β, 0)} in the z = 0
 * plane (same in-plane convention as {@link FanBeam2d}); the panel is perpendicular to the central
 * ray at distance {@code sourceDetector} from the source. Panel column coordinate u runs along
 * {@code (cos β, sin β, 0)}, row coordinate v along +z. Projections are stored {@code [views, rows,
 * cols]}; element {@code (r, c)} has {@code u = (c − (cols − 1)/2) · colSpacing + offsetU} and
 * {@code v = ((rows − 1)/2 − r) · rowSpacing + offsetV}, so row 0 is the top of the panel (largest
 * z), as in an image.
 *
 * @param angles source angles β in radians
 * @param detectorRows panel rows
 * @param detectorCols panel columns
 * @param rowSpacing pitch along v
 * @param colSpacing pitch along u
 * @param sourceOrigin source-to-rotation-axis distance
 * @param sourceDetector source-to-panel distance (> sourceOrigin)
 * @param offsetU panel shift along u
 * @param offsetV panel shift along v
 */
public record ConeBeam3d(
        double[] angles,
        int detectorRows,
        int detectorCols,
        double rowSpacing,
        double colSpacing,
        double sourceOrigin,
        double sourceDetector,
        double offsetU,
        double offsetV) {
    public ConeBeam3d {
        angles = Angles.checked(angles);
        if (detectorRows < 1 || detectorCols < 1) {
            throw new IllegalArgumentException(
                    "detector needs rows, cols >= 1, got " + detectorRows + "x" + detectorCols);
        }
        if ((long) angles.length * detectorRows * detectorCols > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "projection stack too large for one Java array: "
                            + angles.length
                            + "x"
                            + detectorRows
                            + "x"
                            + detectorCols);
        }
        Angles.checkPositive("rowSpacing", rowSpacing);
        Angles.checkPositive("colSpacing", colSpacing);
        Angles.checkSourceDistances(sourceOrigin, sourceDetector);
        Angles.checkFinite("offsetU", offsetU);
        Angles.checkFinite("offsetV", offsetV);
    }

    /** {@code views} angles {@code i · arc / views}, square pixels of pitch {@code spacing}. */
    public static ConeBeam3d uniform(
            int views,
            double arcDegrees,
            int rows,
            int cols,
            double spacing,
            double sod,
            double sdd) {
        return new ConeBeam3d(
                Angles.uniform(views, arcDegrees), rows, cols, spacing, spacing, sod, sdd, 0, 0);
    }

    public int views() {
        return angles.length;
    }

    @Override
    public double[] angles() {
        return angles.clone();
    }

    public double angle(int view) {
        return angles[view];
    }

    /** Panel coordinate u of column {@code c}. */
    public double u(double c) {
        return (c - 0.5 * (detectorCols - 1)) * colSpacing + offsetU;
    }

    /** Panel coordinate v of row {@code r}. */
    public double v(double r) {
        return (0.5 * (detectorRows - 1) - r) * rowSpacing + offsetV;
    }

    /** Number of values in one projection stack, {@code views · rows · cols}. */
    public int projectionSize() {
        return angles.length * detectorRows * detectorCols;
    }

    /**
     * The ray to panel element {@code (row, col)} of view {@code view}: {@code out[0..2]} the
     * source (x, y, z), {@code out[3..5]} the unit direction.
     */
    public void ray(int view, int row, int col, double[] out) {
        double b = angles[view];
        double sb = Math.sin(b);
        double cb = Math.cos(b);
        out[0] = -sourceOrigin * sb;
        out[1] = sourceOrigin * cb;
        out[2] = 0;
        double u = u(col);
        double v = v(row);
        double dx = sourceDetector * sb + u * cb;
        double dy = -sourceDetector * cb + u * sb;
        double inv = 1.0 / Math.sqrt(dx * dx + dy * dy + v * v);
        out[3] = dx * inv;
        out[4] = dy * inv;
        out[5] = v * inv;
    }

    /** The same geometry restricted to the given views. */
    public ConeBeam3d withViews(int[] views) {
        return new ConeBeam3d(
                Angles.select(angles, views),
                detectorRows,
                detectorCols,
                rowSpacing,
                colSpacing,
                sourceOrigin,
                sourceDetector,
                offsetU,
                offsetV);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConeBeam3d g
                && Arrays.equals(angles, g.angles)
                && detectorRows == g.detectorRows
                && detectorCols == g.detectorCols
                && rowSpacing == g.rowSpacing
                && colSpacing == g.colSpacing
                && sourceOrigin == g.sourceOrigin
                && sourceDetector == g.sourceDetector
                && offsetU == g.offsetU
                && offsetV == g.offsetV;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(angles) * 31 + detectorRows * 17 + detectorCols;
    }

    @Override
    public String toString() {
        return "ConeBeam3d[views="
                + angles.length
                + ", panel="
                + detectorRows
                + "x"
                + detectorCols
                + ", pitch="
                + rowSpacing
                + "x"
                + colSpacing
                + ", sod="
                + sourceOrigin
                + ", sdd="
                + sourceDetector
                + ", offset=("
                + offsetU
                + ", "
                + offsetV
                + ")]";
    }
}
