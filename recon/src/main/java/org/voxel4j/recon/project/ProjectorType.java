package org.voxel4j.recon.project;

import java.util.Locale;

/** Discretisation of the line integral used by a ray-driven projector. */
public enum ProjectorType {
    /**
     * Joseph's method: one sample per row or column (the axis most perpendicular to the ray),
     * linear interpolation between neighbouring pixels, zero outside the grid.
     */
    JOSEPH,
    /** Siddon's method: exact intersection lengths of the ray with each pixel (pixels as boxes). */
    SIDDON;

    /** Parses {@code joseph} or {@code siddon} (case-insensitive). */
    public static ProjectorType parse(String name) {
        if (name != null) {
            switch (name.toLowerCase(Locale.ROOT)) {
                case "joseph":
                    return JOSEPH;
                case "siddon":
                    return SIDDON;
                default:
                    break;
            }
        }
        throw new IllegalArgumentException(
                "unknown projector '" + name + "', expected joseph or siddon");
    }
}
