package org.voxel4j.recon.fbp;

/**
 * The FBP filter: a ramp with an apodisation window and a frequency cutoff.
 *
 * @param type window
 * @param cutoff fraction of the Nyquist frequency above which the response is zero, in (0, 1]
 */
public record FbpFilter(FilterType type, double cutoff) {
    public FbpFilter {
        if (type == null) {
            throw new IllegalArgumentException("filter type is null");
        }
        if (!(cutoff > 0) || cutoff > 1) {
            throw new IllegalArgumentException("filter cutoff must be in (0, 1], got " + cutoff);
        }
    }

    /** The plain ramp (Ram-Lak), no cutoff. */
    public static FbpFilter ramLak() {
        return new FbpFilter(FilterType.RAM_LAK, 1.0);
    }

    /** A named filter ({@link FilterType#parse}) without cutoff. */
    public static FbpFilter of(String name) {
        return new FbpFilter(FilterType.parse(name), 1.0);
    }
}
