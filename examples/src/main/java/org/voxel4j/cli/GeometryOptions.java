package org.voxel4j.cli;

import java.util.Locale;
import org.voxel4j.recon.geometry.Angles;
import org.voxel4j.recon.geometry.ConeBeam3d;
import org.voxel4j.recon.geometry.DetectorShape;
import org.voxel4j.recon.geometry.FanBeam2d;
import org.voxel4j.recon.geometry.Geometry2d;
import org.voxel4j.recon.geometry.ParallelBeam2d;
import picocli.CommandLine.Option;

/**
 * Scan geometry options shared by the {@code recon} commands. View {@code i} is at θ = i·arc/views
 * degrees; detector elements are centred on the rotation axis with a spacing of one pixel measured
 * at the axis: 1 for parallel beams, SDD/SOD on the fan- or cone-beam detector (so the default
 * count {@code ⌈√2·size⌉} covers the image for every geometry).
 */
final class GeometryOptions {

    @Option(
            names = "--arc",
            defaultValue = "180",
            paramLabel = "DEG",
            description =
                    "angular range in degrees covered by the views (default ${DEFAULT-VALUE})")
    double arc;

    @Option(
            names = "--geometry",
            defaultValue = "parallel",
            paramLabel = "G",
            description = "parallel, fan or cone (default ${DEFAULT-VALUE})")
    String geometry;

    @Option(
            names = "--sod",
            paramLabel = "A",
            description = "source-to-rotation-axis distance in pixels (fan, cone)")
    Double sod;

    @Option(
            names = "--sdd",
            paramLabel = "B",
            description = "source-to-detector distance in pixels (fan, cone)")
    Double sdd;

    @Option(
            names = "--detector-shape",
            defaultValue = "flat",
            paramLabel = "S",
            description = "fan-beam detector: flat or arc (default ${DEFAULT-VALUE})")
    String detectorShape;

    String kind() {
        String g = geometry.toLowerCase(Locale.ROOT);
        if (!g.equals("parallel") && !g.equals("fan") && !g.equals("cone")) {
            throw new UserError(
                    "unknown --geometry '" + geometry + "', expected parallel, fan or cone");
        }
        return g;
    }

    void checkArc() {
        if (!(arc > 0 && arc <= 360)) {
            throw new UserError("--arc must be in (0, 360] degrees, got " + arc);
        }
    }

    private void checkDistances() {
        if (sod == null || sdd == null) {
            throw new UserError("--geometry " + kind() + " needs --sod and --sdd (in pixels)");
        }
        if (!(sod > 0) || !(sdd > sod)) {
            throw new UserError("need 0 < --sod < --sdd, got --sod " + sod + " and --sdd " + sdd);
        }
    }

    /** The 2D geometry for {@code views} views and {@code detectors} elements. */
    Geometry2d geometry2d(int views, int detectors) {
        checkArc();
        if (views < 1 || detectors < 1) {
            throw new UserError(
                    "need at least one view and one detector, got " + views + " x " + detectors);
        }
        return switch (kind()) {
            case "parallel" -> ParallelBeam2d.uniform(views, arc, detectors);
            case "fan" -> {
                checkDistances();
                DetectorShape shape =
                        switch (detectorShape.toLowerCase(Locale.ROOT)) {
                            case "flat" -> DetectorShape.FLAT;
                            case "arc" -> DetectorShape.ARC;
                            default ->
                                    throw new UserError(
                                            "unknown --detector-shape '"
                                                    + detectorShape
                                                    + "', expected flat or arc");
                        };
                yield new FanBeam2d(
                        Angles.uniform(views, arc), detectors, sdd / sod, 0.0, sod, sdd, shape);
            }
            default ->
                    throw new UserError(
                            "--geometry cone needs a 3D volume (use it with 3D input or fdk)");
        };
    }

    /** The cone-beam geometry with a {@code rows × cols} flat panel. */
    ConeBeam3d cone(int views, int rows, int cols) {
        checkArc();
        if (!kind().equals("cone")) {
            throw new UserError("3D data needs --geometry cone, got --geometry " + geometry);
        }
        checkDistances();
        if (views < 1 || rows < 1 || cols < 1) {
            throw new UserError(
                    "need at least one view, row and column, got "
                            + views
                            + " x "
                            + rows
                            + " x "
                            + cols);
        }
        return ConeBeam3d.uniform(views, arc, rows, cols, sdd / sod, sod, sdd);
    }
}
