package org.voxel4j.nn.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.InputSpec;
import org.voxel4j.nn.Model;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.OffHeapMemory;
import org.voxel4j.nn.Scope;
import org.voxel4j.nn.layers.Activation;
import org.voxel4j.nn.layers.Conv;
import org.voxel4j.nn.layers.ConvTranspose;
import org.voxel4j.nn.layers.InstanceNorm;
import org.voxel4j.nn.layers.Pool;
import org.voxel4j.nn.layers.Sequential;
import org.voxel4j.nn.ops.Activations;
import org.voxel4j.nn.ops.Shapes;
import org.voxel4j.nn.optim.Adam;
import org.voxel4j.nn.train.Trainer;

/**
 * Probe of the {@code unet3d-step-64} benchmark network (issue 3 §6) built from nn-core layers:
 * checks that the engine's training step (fused ops, array cache) computes the same gradients as
 * SameDiff's composite graph. {@link #main} times the full-size step (1×1×64³, channels [16, 32,
 * 64, 128], softmax cross-entropy + soft Dice, Adam) for side-by-side runs with {@code
 * benchmarks/compare/torch_workloads.py --workload unet3d-step-64}.
 */
class UNetStepProbeTest {

    /**
     * The PyTorch twin's {@code UNet3d}: two (conv 3³ → InstanceNorm(affine) → LeakyReLU 0.01) per
     * level, max-pool 2 down, transposed conv k2 s2 up, concatenated skips, 1×1×1 head.
     */
    record ProbeUNet(List<Integer> channels, int inChannels, int classes) implements Module {
        static Sequential doubleConv(int in, int out) {
            return Sequential.of(
                    Conv.conv3d(in, out, 3),
                    InstanceNorm.of(out),
                    Activation.leakyRelu(0.01),
                    Conv.conv3d(out, out, 3),
                    InstanceNorm.of(out),
                    Activation.leakyRelu(0.01));
        }

        @Override
        public SDVariable forward(Scope s, SDVariable... inputs) {
            SDVariable x = inputs[0];
            int c = inChannels;
            List<SDVariable> skips = new ArrayList<>();
            for (int i = 0; i < channels.size(); i++) {
                x = s.call("down" + i, doubleConv(c, channels.get(i)), x);
                c = channels.get(i);
                if (i < channels.size() - 1) {
                    skips.add(x);
                    x = s.call("pool" + i, Pool.max(3, 2), x);
                }
            }
            for (int i = channels.size() - 2, j = 0; i >= 0; i--, j++) {
                x = s.call("up" + j, ConvTranspose.upsampler(3, c, channels.get(i), 2), x);
                x = Shapes.concatChannels(s.sd(), x, skips.remove(skips.size() - 1));
                x = s.call("dec" + j, doubleConv(2 * channels.get(i), channels.get(i)), x);
                c = channels.get(i);
            }
            return s.call("head", Conv.conv3d(c, classes, 1), x);
        }
    }

    /** Softmax cross-entropy + soft Dice (smooth 1e-5) against a one-hot target, as the twin. */
    static SDVariable loss(Scope s, SDVariable logits, SDVariable... targets) {
        SameDiff sd = s.sd();
        SDVariable onehot = targets[0];
        SDVariable ce = sd.mean(sd.sum(Activations.logSoftmax(sd, logits, 1).mul(onehot), 1)).neg();
        SDVariable p = Activations.softmax(sd, logits, 1);
        SDVariable inter = sd.sum(p.mul(onehot), 2, 3, 4);
        SDVariable denom = sd.sum(p, 2, 3, 4).add(sd.sum(onehot, 2, 3, 4));
        SDVariable dice = sd.mean(inter.mul(2).add(1e-5).div(denom.add(1e-5))).rsub(1.0);
        return ce.add(dice);
    }

    static INDArray[] data(DataType t, int size, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 1, size, size, size).castTo(t);
        INDArray label = Nd4j.rand(DataType.FLOAT, 1, 1, size, size, size).gt(0.5).castTo(t);
        INDArray onehot = Nd4j.concat(1, label.rsub(1.0), label);
        return new INDArray[] {x, onehot};
    }

    /** Loss and parameter gradients of one training graph of {@code model}. */
    static Map<String, INDArray> gradients(Model model, INDArray[] d, boolean fused) {
        return Engine.withFusedOps(
                fused,
                () -> {
                    SameDiff sd = SameDiff.create();
                    Model.Graph g = model.build(sd, true);
                    SDVariable target =
                            sd.placeHolder("target", model.dataType(), -1, -1, -1, -1, -1);
                    SDVariable l = loss(g.scope(), g.output(), target);
                    sd.setLossVariables(l);
                    Map<String, INDArray> feed = Map.of("x", d[0], "target", d[1]);
                    List<String> params = model.parameters().trainableNames();
                    Map<String, INDArray> out = new LinkedHashMap<>();
                    if (fused) {
                        Engine.Gradients r = Engine.gradients(sd, feed, List.of(l.name()), params);
                        out.put("loss", r.outputs().get(l.name()));
                        out.putAll(r.gradients());
                    } else {
                        // SameDiff's own path: composite ops, array cache off.
                        var r = sd.calculateGradientsAndOutputs(feed, List.of(l.name()), params);
                        out.put("loss", r.getOutputs().get(l.name()));
                        out.putAll(r.getGradients());
                    }
                    return out;
                });
    }

    @Test
    void engineStepEqualsCompositeStepInDouble() {
        Model m =
                Model.create(
                        new ProbeUNet(List.of(4, 8, 8), 1, 2),
                        3,
                        DataType.DOUBLE,
                        InputSpec.of("x", -1, 1, -1, -1, -1));
        INDArray[] d = data(DataType.DOUBLE, 8, 5);
        Map<String, INDArray> fused = gradients(m, d, true);
        Map<String, INDArray> composite = gradients(m, d, false);
        assertThat(fused.keySet()).containsExactlyInAnyOrderElementsOf(composite.keySet());
        assertThat(fused).hasSize(1 + m.parameters().trainableNames().size());
        for (String k : composite.keySet()) {
            INDArray e = composite.get(k);
            double scale = 1e-3 + e.amaxNumber().doubleValue();
            double err = fused.get(k).sub(e).amaxNumber().doubleValue();
            // LeakyReLU's slope 0.01 is applied in float by ND4J's composite op (~1e-10 here).
            assertThat(err).as(k + " (scale " + scale + ")").isLessThan(1e-8 * scale);
        }
    }

    /**
     * Trainer steps in float: the first losses agree with the composite graph's (later steps drift
     * apart as float training trajectories do: Adam turns tiny gradient differences of near-zero
     * components into full-size steps), and the loss falls.
     */
    @Test
    void trainerStepsMatchCompositeInFloatAndLossFalls() {
        INDArray[] d = data(DataType.FLOAT, 12, 6);
        double[][] losses = new double[2][];
        for (int variant = 0; variant < 2; variant++) {
            boolean fused = variant == 0;
            int steps = fused ? 6 : 2;
            losses[variant] =
                    Engine.withFusedOps(
                            fused,
                            () -> {
                                Model m =
                                        Model.create(
                                                new ProbeUNet(List.of(8, 16), 1, 2),
                                                11,
                                                InputSpec.of("x", -1, 1, -1, -1, -1));
                                Trainer t =
                                        Trainer.builder(m)
                                                .objective(UNetStepProbeTest::loss)
                                                .optimizer(Adam.defaults())
                                                .learningRate(1e-2)
                                                .build();
                                double[] l = new double[steps];
                                for (int i = 0; i < l.length; i++) {
                                    l[i] =
                                            t.trainStep(
                                                    new INDArray[] {d[0]}, new INDArray[] {d[1]});
                                }
                                if (fused) {
                                    // The eval graph (built before training) shares the trained
                                    // weights; it must agree with a composite graph built now.
                                    INDArray p = m.predict(d[0]);
                                    INDArray q =
                                            Engine.withFusedOps(
                                                    false,
                                                    () -> {
                                                        Model.Graph g =
                                                                m.build(SameDiff.create(), false);
                                                        return g.sd().output(
                                                                        Map.of("x", d[0]),
                                                                        g.output().name())
                                                                .get(g.output().name());
                                                    });
                                    assertThat(p.shape()).containsExactly(1, 2, 12, 12, 12);
                                    assertThat(p.sub(q).amaxNumber().doubleValue())
                                            .isLessThan(1e-4);
                                }
                                return l;
                            });
        }
        String all = Arrays.toString(losses[0]) + " vs composite " + Arrays.toString(losses[1]);
        assertThat(losses[0][0]).as(all).isCloseTo(losses[1][0], withinPercentage(1e-4));
        assertThat(losses[0][1]).as(all).isCloseTo(losses[1][1], withinPercentage(1e-2));
        assertThat(losses[0][5]).as(all).isLessThan(losses[0][0] - 0.05);
    }

    /** Peak resident set ({@code VmHWM} of {@code /proc/self/status}), or -1 if unavailable. */
    static long peakRssMb() {
        try {
            for (String line :
                    java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Times the full-size step: {@code [runs] [composite]}; prints median wall and process CPU
     * milliseconds and the resident set size. Run with the same malloc settings as the twin ({@code
     * MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=68719476736 MALLOC_TOP_PAD_=268435456}).
     */
    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        boolean fused = args.length < 2 || !args[1].equals("composite");
        var os =
                (com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        Engine.withFusedOps(
                fused,
                () -> {
                    Model m =
                            Model.create(
                                    new ProbeUNet(List.of(16, 32, 64, 128), 1, 2),
                                    1,
                                    InputSpec.of("x", -1, 1, -1, -1, -1));
                    Trainer t =
                            Trainer.builder(m)
                                    .objective(UNetStepProbeTest::loss)
                                    .optimizer(Adam.defaults())
                                    .learningRate(1e-3)
                                    .build();
                    INDArray[] d = data(DataType.FLOAT, 64, 1);
                    double[] wall = new double[runs];
                    double[] cpu = new double[runs];
                    for (int i = -3; i < runs; i++) {
                        long t0 = System.nanoTime();
                        long c0 = os.getProcessCpuTime();
                        t.trainStep(new INDArray[] {d[0]}, new INDArray[] {d[1]});
                        if (i >= 0) {
                            wall[i] = (System.nanoTime() - t0) / 1e6;
                            cpu[i] = (os.getProcessCpuTime() - c0) / 1e6;
                        }
                    }
                    Arrays.sort(wall);
                    Arrays.sort(cpu);
                    System.out.printf(
                            "{\"workload\": \"unet3d-step-64\", \"fused\": %b, \"median_ms\": %.1f,"
                                    + " \"cpu_ms\": %.1f, \"rss_mb\": %d, \"peak_rss_mb\": %d,"
                                    + " \"params\": %d}%n",
                            fused,
                            wall[runs / 2],
                            cpu[runs / 2],
                            OffHeapMemory.residentBytes() >> 20,
                            peakRssMb(),
                            m.parameterCount());
                    return null;
                });
    }
}
