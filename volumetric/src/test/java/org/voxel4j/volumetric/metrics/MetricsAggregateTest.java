package org.voxel4j.volumetric.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsAggregateTest {
    private static LabelMetrics m(int label, EmptyFlag flag, double dice, double hd95) {
        return new LabelMetrics(label, flag, 1, 1, 1, dice, dice, hd95, hd95, hd95, 1, 1, 0, null);
    }

    @Test
    void summarisesPerLabelAndCountsFlaggedCases() {
        double inf = Double.POSITIVE_INFINITY;
        List<CaseMetrics> cases =
                List.of(
                        new CaseMetrics(
                                "a",
                                List.of(
                                        m(1, EmptyFlag.NONE, 0.9, 2.0),
                                        m(2, EmptyFlag.BOTH, 1.0, 0.0))),
                        new CaseMetrics(
                                "b",
                                List.of(
                                        m(1, EmptyFlag.NONE, 0.7, 4.0),
                                        m(2, EmptyFlag.MISSING_PRED, 0.0, inf))),
                        new CaseMetrics("c", List.of(m(1, EmptyFlag.MISSING_REF, 0.0, inf))));
        List<LabelSummary> s = MetricsAggregate.of(cases);
        assertThat(s).extracting(LabelSummary::label).containsExactly(1, 2);

        LabelSummary one = s.get(0);
        assertThat(one.cases()).isEqualTo(3);
        assertThat(one.missingRef()).isEqualTo(1);
        assertThat(one.flagged()).isEqualTo(1);
        Summary dice = one.metrics().get("dice");
        // values 0.9, 0.7, 0: mean 1.6/3, median 0.7, population std
        // sqrt(((0.9-m)^2+(0.7-m)^2+m^2)/3)
        double mean = 1.6 / 3;
        assertThat(dice.mean()).isCloseTo(mean, within(1e-15));
        assertThat(dice.median()).isEqualTo(0.7);
        assertThat(dice.std())
                .isCloseTo(
                        Math.sqrt((sq(0.9 - mean) + sq(0.7 - mean) + sq(mean)) / 3), within(1e-15));
        Summary hd = one.metrics().get("hd95");
        assertThat(hd.nonFinite()).isEqualTo(1);
        assertThat(hd.mean()).isEqualTo(inf);
        assertThat(hd.median()).isEqualTo(4.0);
        assertThat(hd.meanFinite()).isEqualTo(3.0);
        assertThat(hd.stdFinite()).isEqualTo(1.0);
        assertThat(hd.max()).isEqualTo(inf);

        LabelSummary two = s.get(1);
        assertThat(two.cases()).isEqualTo(2);
        assertThat(two.emptyBoth()).isEqualTo(1);
        assertThat(two.missingPred()).isEqualTo(1);
        assertThat(two.flagged()).isEqualTo(2);
    }

    private static double sq(double x) {
        return x * x;
    }
}
