package org.voxel4j.recon.metrics;

import java.util.Locale;

/** The image-similarity conventions of METRICS.md ("Image similarity"). */
public enum SsimPreset {
    /**
     * SynthRAD2023 synthetic-CT evaluation (A. Thummerer et al., Med. Phys. 50(7), 2023, and its
     * evaluation code): HU images, range [−1024, 3000], data range 4024; MAE over the mask without
     * clipping; PSNR after clipping, over the mask; SSIM after clipping, setting voxels outside the
     * mask to −1024 and adding 1024, with {@link SsimOptions#synthrad2023()}, averaged over the
     * mask after cropping 3 voxels.
     */
    SYNTHRAD2023("synthrad2023"),
    /**
     * Wang et al. 2004: no clipping, data range given by the caller, {@link SsimOptions#wang()}
     * averaged over the mask (if any) after cropping 5 voxels.
     */
    WANG("wang");

    /** Lower end of the SynthRAD2023 HU range. */
    public static final double SYNTHRAD_MIN_HU = -1024;

    /** Upper end of the SynthRAD2023 HU range. */
    public static final double SYNTHRAD_MAX_HU = 3000;

    private final String cliName;

    SsimPreset(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** Parses {@code synthrad2023} or {@code wang}. */
    public static SsimPreset parse(String name) {
        if (name != null) {
            String n = name.toLowerCase(Locale.ROOT);
            for (SsimPreset p : values()) {
                if (p.cliName.equals(n)) {
                    return p;
                }
            }
        }
        throw new IllegalArgumentException(
                "unknown image-metric preset '" + name + "', expected synthrad2023 or wang");
    }
}
