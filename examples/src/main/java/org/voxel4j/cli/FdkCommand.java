package org.voxel4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.voxel4j.recon.fbp.FbpFilter;
import org.voxel4j.recon.fbp.Fdk;
import org.voxel4j.recon.geometry.ConeBeam3d;
import org.voxel4j.recon.geometry.VolumeGrid3d;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code voxel4j recon fdk --in PROJ --sod A --sdd B --size N [--slices S] --out VOL}. */
@Command(
        name = "fdk",
        mixinStandardHelpOptions = true,
        description = {
            "Feldkamp-Davis-Kress reconstruction of cone-beam projections [views, rows, cols]",
            "(flat panel with a pitch of SDD/SOD pixels, i.e. one pixel at the rotation axis;",
            "circular orbit) to a volume [slices, size, size].",
            "Implies --geometry cone; --sod and --sdd are required."
        })
final class FdkCommand implements Callable<Integer> {

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--in", required = true, paramLabel = "PROJ", description = "projections")
    Path in;

    @Option(names = "--out", required = true, paramLabel = "VOL", description = "output volume")
    Path out;

    @Option(names = "--size", required = true, paramLabel = "N", description = "in-plane side")
    int size;

    @Option(names = "--slices", paramLabel = "S", description = "number of slices (default: size)")
    Integer slices;

    @Mixin FbpCommand.FilterOptions filter = new FbpCommand.FilterOptions();

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Mixin GeometryOptions geo = new GeometryOptions();

    @Override
    public Integer call() throws Exception {
        ReconCommand.checkPositive("--size", size);
        int d = slices == null ? size : slices;
        ReconCommand.checkPositive("--slices", d);
        ReconIo.checkOutput(out);
        FbpFilter f = filter.filter();
        geo.geometry = "cone";
        INDArray p = ReconIo.read3d(in, "projection stack [views, rows, cols]");
        ConeBeam3d g = geo.cone((int) p.size(0), (int) p.size(1), (int) p.size(2));
        long t0 = System.nanoTime();
        INDArray vol = new Fdk(g, new VolumeGrid3d(d, size, size, 1, 1, 1), f).reconstruct(p);
        double ms = (System.nanoTime() - t0) / 1e6;
        ReconIo.write(vol, out);
        ObjectNode o = Json.object();
        o.put("command", "fdk");
        o.put("in", in.toString());
        o.put("out", out.toString());
        o.put("views", p.size(0));
        o.put("filter", f.type().cliName());
        var shape = o.putArray("shape");
        shape.add(d);
        shape.add(size);
        shape.add(size);
        o.put("milliseconds", ms);
        Reports.finish(
                spec,
                json,
                o,
                String.format(
                        Locale.ROOT, "wrote %s: %dx%dx%d FDK (%.1f ms)", out, d, size, size, ms));
        return 0;
    }
}
