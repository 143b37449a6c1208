package org.voxel4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.voxel4j.recon.geometry.ConeBeam3d;
import org.voxel4j.recon.geometry.Geometry2d;
import org.voxel4j.recon.geometry.ImageGrid2d;
import org.voxel4j.recon.geometry.VolumeGrid3d;
import org.voxel4j.recon.project.Projector;
import org.voxel4j.recon.project.ProjectorType;
import org.voxel4j.recon.project.Projectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code voxel4j recon radon --in IMG --views N [--arc] [--detectors M] [--geometry] --out S}. */
@Command(
        name = "radon",
        mixinStandardHelpOptions = true,
        description = {
            "Forward-projects a 2D image [H, W] to a sinogram [views, detectors] (parallel or",
            "fan beam), or a 3D volume [D, H, W] to cone-beam projections [views, rows, cols].",
            "Default detectors: ceil(sqrt(2) * size) made odd, 1 pixel apart at the axis",
            "(SDD/SOD pixels apart on a fan- or cone-beam detector)."
        })
final class RadonCommand implements Callable<Integer> {

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--in", required = true, paramLabel = "IMG", description = "image .npy/.nii")
    Path in;

    @Option(names = "--out", required = true, paramLabel = "SINO", description = "output file")
    Path out;

    @Option(names = "--views", required = true, paramLabel = "N", description = "number of views")
    int views;

    @Option(names = "--detectors", paramLabel = "M", description = "detector elements (columns)")
    Integer detectors;

    @Option(names = "--rows", paramLabel = "R", description = "cone beam: detector rows")
    Integer rows;

    @Mixin ProjectorOption projector = new ProjectorOption();

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Mixin GeometryOptions geo = new GeometryOptions();

    @Override
    public Integer call() throws Exception {
        ReconCommand.checkPositive("--views", views);
        ReconIo.checkOutput(out);
        ProjectorType type = projector.type();
        boolean cone = geo.kind().equals("cone");
        INDArray img = cone ? ReconIo.read3d(in, "volume") : ReconIo.read2d(in, "image");
        long t0 = System.nanoTime();
        Projector p;
        if (cone) {
            long[] s = img.shape();
            int size = (int) Math.max(s[0], Math.max(s[1], s[2]));
            int cols = detectors != null ? detectors : ReconCommand.defaultDetectors(size);
            int rws = rows != null ? rows : ReconCommand.defaultDetectors(size);
            ReconCommand.checkPositive("--detectors", cols);
            ReconCommand.checkPositive("--rows", rws);
            ConeBeam3d g = geo.cone(views, rws, cols);
            VolumeGrid3d grid = new VolumeGrid3d((int) s[0], (int) s[1], (int) s[2], 1, 1, 1);
            p =
                    type == ProjectorType.JOSEPH
                            ? Projectors.joseph(g, grid)
                            : Projectors.siddon(g, grid);
        } else {
            if (rows != null) {
                throw new UserError("--rows applies to --geometry cone only");
            }
            long[] s = img.shape();
            int size = (int) Math.max(s[0], s[1]);
            int dets = detectors != null ? detectors : ReconCommand.defaultDetectors(size);
            ReconCommand.checkPositive("--detectors", dets);
            Geometry2d g = geo.geometry2d(views, dets);
            ImageGrid2d grid = new ImageGrid2d((int) s[0], (int) s[1], 1.0);
            p =
                    type == ProjectorType.JOSEPH
                            ? Projectors.joseph(g, grid)
                            : Projectors.siddon(g, grid);
        }
        INDArray sino = p.forward(img);
        double ms = (System.nanoTime() - t0) / 1e6;
        ReconIo.write(sino, out);
        ObjectNode o = Json.object();
        o.put("command", "radon");
        o.put("in", in.toString());
        o.put("out", out.toString());
        o.put("geometry", geo.kind());
        o.put("projector", type.name().toLowerCase(Locale.ROOT));
        var shape = o.putArray("shape");
        for (long d : sino.shape()) {
            shape.add(d);
        }
        o.put("milliseconds", ms);
        Reports.finish(
                spec,
                json,
                o,
                String.format(
                        Locale.ROOT,
                        "wrote %s: %s projections %s (%.1f ms)",
                        out,
                        geo.kind(),
                        java.util.Arrays.toString(sino.shape()),
                        ms));
        return 0;
    }
}
