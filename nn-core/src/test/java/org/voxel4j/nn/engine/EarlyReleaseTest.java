package org.voxel4j.nn.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.InputSpec;
import org.voxel4j.nn.Model;

/**
 * Early release of intermediates in inference executions ({@link EngineSession}): the outputs are
 * bit for bit those of the same graph without it (reused buffers would corrupt later values if an
 * array went back to the pool while still needed, e.g. through a view or as a requested output),
 * and a forward pass allocates fewer arrays.
 */
class EarlyReleaseTest {

    private static <T> T withEarlyRelease(boolean on, Supplier<T> body) {
        String key = "voxel4j.engine.earlyRelease";
        String before = System.getProperty(key);
        System.setProperty(key, String.valueOf(on));
        try {
            return body.get();
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }

    private record Run(INDArray[] outputs, long allocated) {}

    /** Three predictions of a fresh U-Net (same seed) and the arrays its pool had to allocate. */
    private static Run predictions(boolean early, DataType type, INDArray x) {
        return withEarlyRelease(
                early,
                () -> {
                    Model m =
                            Model.create(
                                    new UNetStepProbeTest.ProbeUNet(List.of(4, 8, 16), 1, 2),
                                    7,
                                    type,
                                    InputSpec.of("x", -1, 1, -1, -1, -1));
                    long before = Engine.memoryStats().allocated();
                    INDArray[] out = new INDArray[3];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = m.predict(x).dup();
                    }
                    return new Run(out, Engine.memoryStats().allocated() - before);
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"FLOAT", "DOUBLE"})
    void uNetOutputsAreBitIdenticalAndFewerArraysAreAllocated(String name) {
        DataType type = DataType.valueOf(name);
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 1, 1, 16, 16, 16).castTo(type);
        Run off = predictions(false, type, x);
        long retired = PoolMemMgr.RETIRED.get();
        Run on = predictions(true, type, x);
        for (int i = 0; i < 3; i++) {
            assertThat(on.outputs()[i]).as("prediction " + i).isEqualTo(off.outputs()[0]);
            assertThat(off.outputs()[i]).isEqualTo(off.outputs()[0]);
        }
        assertThat(PoolMemMgr.RETIRED.get()).isGreaterThan(retired);
        assertThat(on.allocated()).as("arrays allocated").isLessThan(off.allocated());
    }

    /**
     * Views and requested intermediates: {@code a} is requested and also consumed, {@code b} is a
     * reshape (a view of {@code a} in ND4J), {@code d} is consumed only after {@code a}'s last
     * other consumer has run.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void viewsAndRequestedIntermediatesSurvive(boolean early) {
        Map<String, INDArray> got =
                withEarlyRelease(
                        early,
                        () -> {
                            SameDiff sd = SameDiff.create();
                            SDVariable x = sd.placeHolder("x", DataType.FLOAT, 2, 6);
                            SDVariable a = x.mul("a", 2.0);
                            SDVariable b = sd.reshape("b", a, 3, 4);
                            SDVariable c = b.add("c", 1.0);
                            SDVariable d = a.mul("d", 3.0);
                            SDVariable e = sd.reshape("e", c, 2, 6).add("f", d);
                            INDArray xv = Nd4j.linspace(1, 12, 12, DataType.FLOAT).reshape(2, 6);
                            Map<String, INDArray> r = null;
                            for (int i = 0; i < 3; i++) {
                                r = sd.output(Map.of("x", xv), "a", "b", "f");
                            }
                            return Map.of(
                                    "a", r.get("a").dup(), "b", r.get("b").dup(), "f", r.get("f"));
                        });
        INDArray xv = Nd4j.linspace(1, 12, 12, DataType.FLOAT).reshape(2, 6);
        // by hand: a = 2x, b = a as 3x4, f = (b + 1) as 2x6 + 3a = 2x + 1 + 6x = 8x + 1
        assertThat(got.get("a")).isEqualTo(xv.mul(2));
        assertThat(got.get("b")).isEqualTo(xv.mul(2).reshape(3, 4));
        assertThat(got.get("f")).isEqualTo(xv.mul(8).add(1));
    }
}
