package org.voxel4j.volumetric.metrics;

import java.util.List;

/**
 * Metrics of every evaluated label of one case.
 *
 * @param caseId the caller's name for the case (file name, index, ...)
 * @param labels one entry per evaluated label, ascending by label
 */
public record CaseMetrics(String caseId, List<LabelMetrics> labels) {
    public CaseMetrics {
        if (caseId == null) {
            throw new IllegalArgumentException("caseId is null");
        }
        labels = List.copyOf(labels);
    }

    /** The metrics of {@code label}; throws when it was not evaluated. */
    public LabelMetrics label(int label) {
        for (LabelMetrics m : labels) {
            if (m.label() == label) {
                return m;
            }
        }
        throw new IllegalArgumentException("case " + caseId + " has no metrics for label " + label);
    }
}
