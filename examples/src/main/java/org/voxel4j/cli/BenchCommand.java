package org.voxel4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.voxel4j.bench.BenchRunner;
import org.voxel4j.bench.Workload;
import org.voxel4j.bench.Workloads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code voxel4j bench [--workload NAME] [--json]}. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the fixed benchmark workloads and prints the median milliseconds of each.",
            "Compare with PyTorch on the same machine: benchmarks/compare/compare.py;",
            "with scikit-image (fbp-256-180, ssim3d-256): benchmarks/compare/recon_compare.py."
        })
final class BenchCommand implements Callable<Integer> {

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--workload",
            paramLabel = "NAME",
            description = "one workload (default: all): ${COMPLETION-CANDIDATES}",
            completionCandidates = Names.class)
    String workload;

    @Option(
            names = "--runs",
            defaultValue = "10",
            description = "timed repetitions (default ${DEFAULT-VALUE})")
    int runs;

    @Option(
            names = "--warmup",
            defaultValue = "3",
            description = "untimed repetitions first (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Option(names = "--list", description = "list the workloads and exit")
    boolean list;

    @Option(
            names = "--inputs",
            paramLabel = "DIR",
            description =
                    "also write each workload's inputs as .npy into DIR (for peer comparisons)")
    java.nio.file.Path inputs;

    static final class Names extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        Names() {
            super(Workloads.all().keySet());
        }
    }

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        if (list) {
            for (String n : Workloads.all().keySet()) {
                try (Workload w = Workloads.create(n)) {
                    out.printf("%-20s %s%n", n, w.description());
                }
            }
            out.flush();
            return 0;
        }
        if (runs <= 0 || warmup < 0) {
            throw new UserError(
                    "--runs must be > 0 and --warmup >= 0, got " + runs + " and " + warmup);
        }
        List<String> names =
                workload == null ? List.copyOf(Workloads.all().keySet()) : List.of(workload);
        List<BenchRunner.Result> results = new ArrayList<>();
        for (String n : names) {
            Workload w;
            try {
                w = Workloads.create(n);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            if (inputs != null) {
                try (Workload e = Workloads.create(n)) {
                    e.setUp();
                    e.exportInputs(inputs);
                }
            }
            try (ProgressBar pb = Reports.progressBar(n).setInitialMax(warmup + runs).build()) {
                results.add(BenchRunner.measure(w, warmup, runs, (done, total) -> pb.stepTo(done)));
            }
        }
        if (json) {
            if (results.size() == 1) {
                Json.print(out, toJson(results.get(0)));
            } else {
                ObjectNode o = Json.object();
                ArrayNode a = o.putArray("workloads");
                results.forEach(r -> a.add(toJson(r)));
                Json.print(out, o);
            }
            return 0;
        }
        for (BenchRunner.Result r : results) {
            StringBuilder extra = new StringBuilder();
            r.metrics()
                    .forEach((k, v) -> extra.append(String.format(Locale.ROOT, "  %s %.6g", k, v)));
            out.printf(
                    Locale.ROOT,
                    "%-20s median %10.1f ms  (%d runs, peak RSS %d MB)%s%n",
                    r.workload(),
                    r.medianMs(),
                    r.runs(),
                    r.peakRssMb(),
                    extra);
        }
        out.flush();
        return 0;
    }

    private static ObjectNode toJson(BenchRunner.Result r) {
        ObjectNode o = Json.object();
        o.put("workload", r.workload());
        o.put("median_ms", r.medianMs());
        o.put("runs", r.runs());
        o.put("peak_rss_mb", r.peakRssMb());
        if (!r.metrics().isEmpty()) {
            ObjectNode m = o.putObject("metrics");
            r.metrics().forEach((k, v) -> Json.put(m, k, v));
        }
        return o;
    }
}
