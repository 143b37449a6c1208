package org.voxel4j.volumetric.metrics;

import java.util.Map;

/**
 * One label's metrics aggregated over cases.
 *
 * @param label the label
 * @param cases cases in which the label was evaluated
 * @param emptyBoth cases flagged {@code empty: both}
 * @param missingPred cases flagged {@code missing: pred}
 * @param missingRef cases flagged {@code missing: ref}
 * @param metrics summary per metric name ({@link LabelMetrics#values()} names)
 */
public record LabelSummary(
        int label,
        int cases,
        int emptyBoth,
        int missingPred,
        int missingRef,
        Map<String, Summary> metrics) {
    public LabelSummary {
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
    }

    /** Cases with any empty-mask flag. */
    public int flagged() {
        return emptyBoth + missingPred + missingRef;
    }
}
