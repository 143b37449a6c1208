package org.voxel4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Times a workload: warm-up repetitions, then {@code runs} timed ones; reports the median. */
public final class BenchRunner {
    private BenchRunner() {}

    /** Result of one measured workload; {@code metrics} from {@link Workload#metrics()}. */
    public record Result(
            String workload,
            double medianMs,
            int runs,
            long peakRssMb,
            double[] timesMs,
            java.util.Map<String, Double> metrics) {}

    /** Called before each repetition with (index, total) for progress display. */
    @FunctionalInterface
    public interface Progress {
        void at(int done, int total);
    }

    public static Result measure(Workload w, int warmup, int runs, Progress progress)
            throws Exception {
        if (runs <= 0 || warmup < 0) {
            throw new IllegalArgumentException(
                    "runs must be > 0 and warmup >= 0, got " + runs + ", " + warmup);
        }
        w.setUp();
        try {
            for (int i = 0; i < warmup; i++) {
                progress.at(i, warmup + runs);
                w.run();
            }
            double[] t = new double[runs];
            for (int i = 0; i < runs; i++) {
                progress.at(warmup + i, warmup + runs);
                long t0 = System.nanoTime();
                w.run();
                t[i] = (System.nanoTime() - t0) / 1e6;
            }
            progress.at(warmup + runs, warmup + runs);
            return new Result(w.name(), median(t), runs, peakRssMb(), t, w.metrics());
        } finally {
            w.close();
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** Peak resident set (VmHWM) of this process in MB, or -1 where /proc is unavailable. */
    public static long peakRssMb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmHWM:")) {
                    return Long.parseLong(l.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
