package org.voxel4j.nn.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.check.GradientCheck;

/**
 * ND4J 1.0.0-M2.1 defects that the ops layer avoids but that have no replacement op of their own
 * here. Each test asserts the broken behaviour, so it fails (and tells us) once ND4J fixes it. The
 * other regression tests live next to the op that replaces the broken one (pad REFLECT, variance,
 * batchNorm, logSumExp, gather/embeddingLookup, dropout, resize).
 *
 * <p>Not tested here, because they can crash the JVM (SIGSEGV in libnd4j's native assign, seen
 * twice in the test JVM; the bad ops corrupt memory rather than fail cleanly): reductions with
 * {@code keepDims = true} and negative axes ({@code sd.mean(x, true, -1, -2)}), which return wrong
 * values, and the backward of {@code stridedSlice} with a negative stride, which fails with
 * "NDArray::assign: lengths of arrays are mismatched". The ops layer only passes non-negative axes
 * and reverses with {@code sd.reverse}.
 */
class Nd4jKnownBugsTest {
    /**
     * {@code sd.loss().*}: the gradient ignores the upstream gradient (loss * 10 has the gradient
     * of loss).
     */
    @Test
    void lossGradientIgnoresUpstreamGradient() {
        Map<String, INDArray> in = new LinkedHashMap<>();
        in.put("x", Nd4j.randn(DataType.DOUBLE, 3, 4));
        in.put("y", Nd4j.randn(DataType.DOUBLE, 3, 4));
        GradientCheck.Options onlyX = GradientCheck.Options.defaults().withInputs("x");
        GradientCheck.Result plain =
                GradientCheck.check(
                        (sd, v) -> sd.loss().meanSquaredError(v.get("x"), v.get("y"), null),
                        in,
                        onlyX);
        GradientCheck.Result scaled =
                GradientCheck.check(
                        (sd, v) -> sd.loss().meanSquaredError(v.get("x"), v.get("y"), null).mul(10),
                        in,
                        onlyX);
        // A scalar loss times the checker's random weight w: the analytic gradient lacks the factor
        // w (and 10), so the unscaled loss checks only if w happens to be 1, the scaled one never.
        assertThat(scaled.passes(1e-3)).as(scaled.toString()).isFalse();
        assertThat(scaled.worstNumeric() / scaled.worstAnalytic())
                .isCloseTo(
                        10 * plain.worstNumeric() / plain.worstAnalytic(),
                        org.assertj.core.data.Offset.offset(1e-4));
    }

    /** {@code cumsum} along a non-leading axis: its backward treats the array as flat. */
    @Test
    void cumsumOnNonLeadingAxisHasWrongGradient() {
        INDArray x = Nd4j.randn(DataType.DOUBLE, 3, 4);
        GradientCheck.Result r =
                GradientCheck.check(
                        (sd, v) -> sd.cumsum(v.get("x"), false, false, 1), Map.of("x", x));
        assertThat(r.passes(1e-2)).as(r.toString()).isFalse();
    }
}
