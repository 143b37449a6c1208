package org.voxel4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.voxel4j.recon.fbp.Fbp;
import org.voxel4j.recon.fbp.FbpFilter;
import org.voxel4j.recon.fbp.FilterType;
import org.voxel4j.recon.geometry.Geometry2d;
import org.voxel4j.recon.geometry.ImageGrid2d;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code voxel4j recon fbp --in SINO --arc 180|360 --size N [--filter F] --out IMG}. */
@Command(
        name = "fbp",
        mixinStandardHelpOptions = true,
        description = {
            "Filtered back-projection of a sinogram [views, detectors] (parallel or fan",
            "beam) to an image [size, size]."
        })
final class FbpCommand implements Callable<Integer> {

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Mixin SinogramImageOptions io = new SinogramImageOptions();

    @Mixin FilterOptions filter = new FilterOptions();

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Mixin GeometryOptions geo = new GeometryOptions();

    @Override
    public Integer call() throws Exception {
        int size = io.size;
        Path out = io.out;
        ReconCommand.checkPositive("--size", size);
        ReconIo.checkOutput(out);
        FbpFilter f = filter.filter();
        INDArray sino = ReconIo.read2d(io.in, "sinogram [views, detectors]");
        Geometry2d g = geo.geometry2d((int) sino.size(0), (int) sino.size(1));
        long t0 = System.nanoTime();
        INDArray img = new Fbp(g, ImageGrid2d.square(size), f).reconstruct(sino);
        double ms = (System.nanoTime() - t0) / 1e6;
        ReconIo.write(img, out);
        ObjectNode o = Json.object();
        o.put("command", "fbp");
        o.put("in", io.in.toString());
        o.put("out", out.toString());
        o.put("geometry", geo.kind());
        o.put("views", sino.size(0));
        o.put("detectors", sino.size(1));
        o.put("filter", f.type().cliName());
        o.put("cutoff", f.cutoff());
        var shape = o.putArray("shape");
        shape.add(size);
        shape.add(size);
        o.put("milliseconds", ms);
        Reports.finish(
                spec,
                json,
                o,
                String.format(
                        Locale.ROOT,
                        "wrote %s: %dx%d FBP (%s, %.1f ms)",
                        out,
                        size,
                        size,
                        f.type().cliName(),
                        ms));
        return 0;
    }

    /** {@code --filter} and {@code --cutoff}. */
    static final class FilterOptions {
        @Option(
                names = "--filter",
                defaultValue = "ram-lak",
                paramLabel = "F",
                description =
                        "ram-lak, shepp-logan, cosine, hamming or hann (default ${DEFAULT-VALUE})")
        String name;

        @Option(
                names = "--cutoff",
                defaultValue = "1",
                paramLabel = "C",
                description =
                        "frequency cutoff as a fraction of Nyquist, in (0, 1] (default ${DEFAULT-VALUE})")
        double cutoff;

        FbpFilter filter() {
            FilterType t;
            try {
                t = FilterType.parse(name);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            if (!(cutoff > 0 && cutoff <= 1)) {
                throw new UserError("--cutoff must be in (0, 1], got " + cutoff);
            }
            return new FbpFilter(t, cutoff);
        }
    }
}
