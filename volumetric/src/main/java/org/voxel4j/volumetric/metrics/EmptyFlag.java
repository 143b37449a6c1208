package org.voxel4j.volumetric.metrics;

/**
 * Which masks of a comparison were empty. Empty masks are never dropped silently: the metric values
 * of such a pair follow fixed rules (see {@link LabelMetrics}) and the flag says why.
 */
public enum EmptyFlag {
    /** Both masks have foreground. */
    NONE(null, null),
    /** Both masks are empty: Dice 1, IoU 1, distances 0. Reported as {@code empty: both}. */
    BOTH("empty", "both"),
    /** Only the prediction is empty: Dice 0, distances infinite. {@code missing: pred}. */
    MISSING_PRED("missing", "pred"),
    /** Only the reference is empty: Dice 0, distances infinite. {@code missing: ref}. */
    MISSING_REF("missing", "ref");

    private final String key;
    private final String value;

    EmptyFlag(String key, String value) {
        this.key = key;
        this.value = value;
    }

    /** Report key ({@code empty} or {@code missing}); null for {@link #NONE}. */
    public String key() {
        return key;
    }

    /** Report value ({@code both}, {@code pred} or {@code ref}); null for {@link #NONE}. */
    public String value() {
        return value;
    }

    static EmptyFlag of(long predVoxels, long refVoxels) {
        if (predVoxels == 0 && refVoxels == 0) {
            return BOTH;
        }
        if (predVoxels == 0) {
            return MISSING_PRED;
        }
        if (refVoxels == 0) {
            return MISSING_REF;
        }
        return NONE;
    }
}
