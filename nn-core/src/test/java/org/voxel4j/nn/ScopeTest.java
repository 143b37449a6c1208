package org.voxel4j.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class ScopeTest {

    @Test
    void initialValuesDependOnSeedAndPathNotOnOrder() {
        Scope a = Scope.create(DataType.DOUBLE, 11, true);
        a.child("enc").param("w", Init.normal(0, 1), 3, 4);
        a.child("dec").param("w", Init.normal(0, 1), 3, 4);
        Scope b = Scope.create(DataType.DOUBLE, 11, true);
        b.child("dec").param("w", Init.normal(0, 1), 3, 4);
        b.child("enc").param("w", Init.normal(0, 1), 3, 4);
        assertThat(b.store().get("enc/w")).isEqualTo(a.store().get("enc/w"));
        assertThat(b.store().get("dec/w")).isEqualTo(a.store().get("dec/w"));
        assertThat(a.store().get("enc/w")).isNotEqualTo(a.store().get("dec/w"));
        Scope c = Scope.create(DataType.DOUBLE, 12, true);
        c.child("enc").param("w", Init.normal(0, 1), 3, 4);
        assertThat(c.store().get("enc/w")).isNotEqualTo(a.store().get("enc/w"));
    }

    @Test
    void aSecondGraphSharesTheStoredArrays() {
        Scope a = Scope.create(DataType.FLOAT, 1, true);
        a.param("w", Init.ones(), 2);
        Scope b =
                Scope.root(
                        org.nd4j.autodiff.samediff.SameDiff.create(),
                        a.store(),
                        DataType.FLOAT,
                        1,
                        false);
        var v = b.param("w", Init.zeros(), 2);
        a.store().get("w").muli(3);
        assertThat(v.eval().getDouble(0)).isEqualTo(3.0);
        assertThatThrownBy(
                        () ->
                                Scope.root(
                                                org.nd4j.autodiff.samediff.SameDiff.create(),
                                                a.store(),
                                                DataType.FLOAT,
                                                1,
                                                false)
                                        .param("w", Init.zeros(), 3))
                .hasMessageContaining("has shape [2]")
                .hasMessageContaining("[3]");
        assertThatThrownBy(
                        () ->
                                Scope.root(
                                                org.nd4j.autodiff.samediff.SameDiff.create(),
                                                a.store(),
                                                DataType.DOUBLE,
                                                1,
                                                false)
                                        .param("w", Init.zeros(), 2))
                .hasMessageContaining("FLOAT");
    }

    @Test
    void namesAreValidatedAndUnique() {
        Scope s = Scope.create(DataType.FLOAT, 1, true);
        s.param("w", Init.zeros(), 1);
        assertThatThrownBy(() -> s.param("w", Init.zeros(), 1))
                .hasMessageContaining("created twice");
        assertThatThrownBy(() -> s.child("a/b")).hasMessageContaining("'a/b'");
        assertThatThrownBy(() -> s.param("x", Init.zeros(), 0, 2))
                .hasMessageContaining("positive dims");
        assertThatThrownBy(() -> Scope.create(DataType.INT, 1, true)).hasMessageContaining("INT");
    }

    @Test
    void kaimingUniformHasTorchBounds() {
        // PyTorch conv default: bound = 1/sqrt(fanIn) (kaiming_uniform_ with a = sqrt(5)).
        double[] v = new double[200_000];
        Init.torchDefaultWeight(27).fill(v, new SplittableRandom(3));
        double b = 1 / Math.sqrt(27);
        double sumSq = 0;
        for (double x : v) {
            assertThat(Math.abs(x)).isLessThanOrEqualTo(b);
            sumSq += x * x;
        }
        // Variance of U(-b, b) is b²/3.
        assertThat(sumSq / v.length)
                .isCloseTo(b * b / 3, org.assertj.core.data.Percentage.withPercentage(1));
    }

    @Test
    void xavierAndKaimingNormalHaveTheirVariances() {
        double[] v = new double[200_000];
        Init.kaimingNormal(50, 0).fill(v, new SplittableRandom(5));
        assertThat(variance(v))
                .isCloseTo(2.0 / 50, org.assertj.core.data.Percentage.withPercentage(1.5));
        Init.xavierUniform(30, 70, 1.0).fill(v, new SplittableRandom(5));
        assertThat(variance(v))
                .isCloseTo(2.0 / 100, org.assertj.core.data.Percentage.withPercentage(1.5));
        Init.truncatedNormal(0.02).fill(v, new SplittableRandom(5));
        for (double x : v) {
            assertThat(Math.abs(x)).isLessThanOrEqualTo(0.04);
        }
    }

    private static double variance(double[] v) {
        double m = 0;
        for (double x : v) {
            m += x;
        }
        m /= v.length;
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return s / v.length;
    }

    @Test
    void parameterCountsExcludeBuffers() {
        Scope s = Scope.create(DataType.FLOAT, 1, true);
        s.param("w", Init.zeros(), 4, 5);
        s.buffer("running_mean", Init.zeros(), 5);
        INDArray rm = s.store().get("running_mean");
        assertThat(rm.length()).isEqualTo(5);
        assertThat(s.store().parameterCount()).isEqualTo(20);
        assertThat(s.store().bufferNames()).containsExactly("running_mean");
        assertThat(s.store().freeze(n -> n.equals("w"))).isEqualTo(1);
        assertThat(s.store().trainableNames()).isEmpty();
    }
}
