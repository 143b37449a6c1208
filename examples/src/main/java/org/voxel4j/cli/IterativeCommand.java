package org.voxel4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.recon.geometry.Geometry2d;
import org.voxel4j.recon.geometry.ImageGrid2d;
import org.voxel4j.recon.iterative.IterativeOptions;
import org.voxel4j.recon.iterative.IterativeReconstruction;
import org.voxel4j.recon.iterative.IterativeResult;
import org.voxel4j.recon.project.Projector;
import org.voxel4j.recon.project.ProjectorType;
import org.voxel4j.recon.project.Projectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code voxel4j recon sirt|cgls --in SINO --size N --iterations K ... --out IMG}. */
abstract class IterativeCommand implements Callable<Integer> {

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Mixin SinogramImageOptions io = new SinogramImageOptions();

    @Option(
            names = "--iterations",
            required = true,
            paramLabel = "K",
            description = "iteration budget")
    int iterations;

    @Option(names = "--nonneg", description = "clamp the image to >= 0 after every iteration")
    boolean nonNegative;

    @Option(
            names = "--tolerance",
            defaultValue = "0",
            paramLabel = "T",
            description =
                    "stop when the relative residual changes by less than T (default: run all)")
    double tolerance;

    @Mixin ProjectorOption projector = new ProjectorOption();

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Option(names = "--no-progress", description = "no progress bar on stderr")
    boolean noProgress;

    @Mixin GeometryOptions geo = new GeometryOptions();

    abstract String method();

    IterativeOptions tune(IterativeOptions o) {
        return o;
    }

    @Override
    public Integer call() throws Exception {
        int size = io.size;
        Path out = io.out;
        ReconCommand.checkPositive("--size", size);
        ReconCommand.checkPositive("--iterations", iterations);
        if (!(tolerance >= 0 && tolerance < 1)) {
            throw new UserError("--tolerance must be in [0, 1), got " + tolerance);
        }
        ReconIo.checkOutput(out);
        INDArray sino = ReconIo.read2d(io.in, "sinogram [views, detectors]");
        Geometry2d g = geo.geometry2d((int) sino.size(0), (int) sino.size(1));
        Projector a =
                projector.type() == ProjectorType.JOSEPH
                        ? Projectors.joseph(g, ImageGrid2d.square(size))
                        : Projectors.siddon(g, ImageGrid2d.square(size));
        IterativeOptions o =
                tune(
                        IterativeOptions.of(iterations)
                                .withNonNegative(nonNegative)
                                .withTolerance(tolerance));
        long t0 = System.nanoTime();
        IterativeResult r;
        double[] b = sino.data().asDouble();
        if (noProgress) {
            r = run(a, b, o);
        } else {
            try (ProgressBar pb = Reports.progressBar(method()).setInitialMax(iterations).build()) {
                r =
                        run(
                                a,
                                b,
                                o.withListener(
                                        (it, total, res) -> {
                                            pb.stepTo(it);
                                            pb.setExtraMessage(
                                                    String.format(
                                                            Locale.ROOT, "residual %.3g", res));
                                        }));
            }
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        ReconIo.write(Nd4j.create(r.image(), new long[] {size, size}, 'c'), out);
        ObjectNode o2 = Json.object();
        o2.put("command", method());
        o2.put("in", io.in.toString());
        o2.put("out", out.toString());
        o2.put("geometry", geo.kind());
        o2.put("iterations", r.iterations());
        o2.put("converged", r.converged());
        Json.put(
                o2,
                "residual",
                r.residuals().length == 0 ? Double.NaN : r.residuals()[r.residuals().length - 1]);
        var shape = o2.putArray("shape");
        shape.add(size);
        shape.add(size);
        o2.put("milliseconds", ms);
        Reports.finish(
                spec,
                json,
                o2,
                String.format(
                        Locale.ROOT,
                        "wrote %s: %dx%d %s, %d iterations, residual %.4g (%.1f ms)",
                        out,
                        size,
                        size,
                        method(),
                        r.iterations(),
                        r.residuals().length == 0
                                ? Double.NaN
                                : r.residuals()[r.residuals().length - 1],
                        ms));
        return 0;
    }

    private IterativeResult run(Projector a, double[] b, IterativeOptions o) {
        return method().equals("sirt")
                ? IterativeReconstruction.sirt(a, b, o)
                : IterativeReconstruction.cgls(a, b, o);
    }

    /** {@code voxel4j recon sirt}. */
    @Command(
            name = "sirt",
            mixinStandardHelpOptions = true,
            description = {
                "SIRT reconstruction of a sinogram [views, detectors] to an image [size, size]",
                "(optional non-negativity and TV step); progress bar on stderr."
            })
    static final class Sirt extends IterativeCommand {
        @Option(
                names = "--relaxation",
                defaultValue = "1",
                paramLabel = "L",
                description = "relaxation in (0, 2) (default ${DEFAULT-VALUE})")
        double relaxation;

        @Option(
                names = "--tv",
                defaultValue = "0",
                paramLabel = "W",
                description = "weight of a TV denoising step after each iteration (default 0)")
        double tv;

        @Override
        String method() {
            return "sirt";
        }

        @Override
        IterativeOptions tune(IterativeOptions o) {
            if (!(relaxation > 0 && relaxation < 2)) {
                throw new UserError("--relaxation must be in (0, 2), got " + relaxation);
            }
            if (!(tv >= 0) || Double.isInfinite(tv)) {
                throw new UserError("--tv must be >= 0, got " + tv);
            }
            return o.withRelaxation(relaxation).withTv(tv);
        }
    }

    /** {@code voxel4j recon cgls}. */
    @Command(
            name = "cgls",
            mixinStandardHelpOptions = true,
            description = {
                "CGLS (conjugate gradients on the normal equations) reconstruction of a sinogram",
                "[views, detectors] to an image [size, size]; progress bar on stderr."
            })
    static final class Cgls extends IterativeCommand {
        @Override
        String method() {
            return "cgls";
        }
    }
}
