package org.voxel4j.volumetric.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Aggregates per-case metrics over many cases, per label. Only (case, label) pairs that were
 * evaluated count; evaluate with explicit labels ({@link SegmentationMetricsConfig#withLabels}) to
 * have a label counted (and flagged {@code empty: both}) in cases where it is absent.
 */
public final class MetricsAggregate {
    private MetricsAggregate() {}

    /** One summary per label, ascending by label. */
    public static List<LabelSummary> of(List<CaseMetrics> cases) {
        Map<Integer, List<LabelMetrics>> byLabel = new TreeMap<>();
        for (CaseMetrics c : cases) {
            for (LabelMetrics m : c.labels()) {
                byLabel.computeIfAbsent(m.label(), k -> new ArrayList<>()).add(m);
            }
        }
        List<LabelSummary> out = new ArrayList<>();
        for (Map.Entry<Integer, List<LabelMetrics>> e : byLabel.entrySet()) {
            List<LabelMetrics> ms = e.getValue();
            int both = 0, mp = 0, mr = 0;
            Map<String, List<Double>> values = new LinkedHashMap<>();
            for (LabelMetrics m : ms) {
                switch (m.flag()) {
                    case BOTH -> both++;
                    case MISSING_PRED -> mp++;
                    case MISSING_REF -> mr++;
                    default -> {}
                }
                for (Map.Entry<String, Double> v : m.values().entrySet()) {
                    values.computeIfAbsent(v.getKey(), k -> new ArrayList<>()).add(v.getValue());
                }
            }
            Map<String, Summary> summaries = new LinkedHashMap<>();
            for (Map.Entry<String, List<Double>> v : values.entrySet()) {
                summaries.put(
                        v.getKey(),
                        Summary.of(
                                v.getValue().stream().mapToDouble(Double::doubleValue).toArray()));
            }
            out.add(new LabelSummary(e.getKey(), ms.size(), both, mp, mr, summaries));
        }
        return out;
    }
}
