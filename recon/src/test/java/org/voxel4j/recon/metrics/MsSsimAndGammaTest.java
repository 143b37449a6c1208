package org.voxel4j.recon.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.voxel4j.recon.Fixtures;

class MsSsimAndGammaTest {
    @Test
    void msSsimMatchesIndependentScipyImplementation() {
        var a = Fixtures.npy("metrics/ms_a.npy");
        var b = Fixtures.npy("metrics/ms_b.npy");
        double ref = Fixtures.json("metrics/ms_ssim.json").get("ms_ssim_255").asDouble();
        assertThat(MsSsim.compute(a.data(), b.data(), a.shape(), 255))
                .isCloseTo(ref, within(1e-10));
        assertThat(MsSsim.compute(a.data(), a.data(), a.shape(), 255))
                .isCloseTo(1.0, within(1e-12));
        assertThatThrownBy(
                        () ->
                                MsSsim.compute(
                                        new double[100 * 100],
                                        new double[100 * 100],
                                        new int[] {100, 100},
                                        1))
                .hasMessageContaining("176");
    }

    @Test
    void gammaMatchesBruteForce2d() {
        var ref = Fixtures.npy("gamma/g2d_ref.npy");
        var ev = Fixtures.npy("gamma/g2d_eval.npy");
        JsonNode meta = Fixtures.json("gamma/gamma.json");
        for (String name : new String[] {"g3_3_global", "g2_2_local", "g1_1_global"}) {
            JsonNode m = meta.get(name);
            var crit =
                    new GammaIndex.Criteria(
                            m.get("dose_pct").asDouble(),
                            m.get("dta_mm").asDouble(),
                            m.get("cutoff_pct").asDouble(),
                            m.get("local").asBoolean(),
                            m.get("search_mm").asDouble());
            GammaIndex.Result r =
                    GammaIndex.compute(
                            ref.data(), ev.data(), ref.shape(), new double[] {2.0, 2.5}, crit);
            double[] want = Fixtures.npy("gamma/g2d_" + name + ".npy").data();
            for (int i = 0; i < want.length; i++) {
                if (Double.isNaN(want[i])) {
                    assertThat(r.gamma()[i]).isNaN();
                } else {
                    assertThat(r.gamma()[i]).as(name + " " + i).isCloseTo(want[i], within(1e-9));
                }
            }
            assertThat(r.passRate()).isCloseTo(m.get("pass_rate").asDouble(), within(1e-12));
        }
    }

    @Test
    void gammaMatchesBruteForce3d() {
        var ref = Fixtures.npy("gamma/g3d_ref.npy");
        var ev = Fixtures.npy("gamma/g3d_eval.npy");
        JsonNode m = Fixtures.json("gamma/gamma.json").get("g3d_g2_2_global");
        GammaIndex.Result r =
                GammaIndex.compute(
                        ref.data(),
                        ev.data(),
                        ref.shape(),
                        new double[] {3, 2, 2},
                        new GammaIndex.Criteria(2, 2, 10, false, 6));
        double[] want = Fixtures.npy("gamma/g3d_g2_2_global.npy").data();
        for (int i = 0; i < want.length; i++) {
            if (Double.isNaN(want[i])) {
                assertThat(r.gamma()[i]).isNaN();
            } else {
                assertThat(r.gamma()[i]).isCloseTo(want[i], within(1e-9));
            }
        }
        assertThat(r.passRate()).isCloseTo(m.get("pass_rate").asDouble(), within(1e-12));
    }

    @Test
    void gammaByHandAndBadInput() {
        // 1D: reference step shifted by one 1 mm voxel in the evaluation: DTA 1 mm passes
        double[] ref = {0, 0, 10, 10, 10, 0, 0};
        double[] ev = {0, 10, 10, 10, 0, 0, 0};
        var r =
                GammaIndex.compute(
                        ref, ev, new int[] {7}, new double[] {1}, GammaIndex.Criteria.global(1, 1));
        assertThat(r.evaluated()).isEqualTo(3);
        assertThat(r.passRate()).isEqualTo(1.0);
        // point 4: best is the neighbour at 1 mm with equal dose -> gamma = 1
        assertThat(r.gamma()[4]).isCloseTo(1.0, within(1e-12));
        var tight =
                GammaIndex.compute(
                        ref,
                        ev,
                        new int[] {7},
                        new double[] {1},
                        GammaIndex.Criteria.global(1, 0.5));
        // DTA 0.5 mm: the equal-dose neighbour at 1 mm gives sqrt(1/0.25) = 2 (cap 1.5/0.5 = 3)
        assertThat(tight.gamma()[4]).isCloseTo(2.0, within(1e-12));
        assertThatThrownBy(
                        () ->
                                GammaIndex.compute(
                                        ref,
                                        ev,
                                        new int[] {7},
                                        new double[] {0},
                                        GammaIndex.Criteria.global(3, 3)))
                .hasMessageContaining("spacing");
        assertThatThrownBy(() -> GammaIndex.Criteria.global(0, 3)).hasMessageContaining("dose%");
    }
}
