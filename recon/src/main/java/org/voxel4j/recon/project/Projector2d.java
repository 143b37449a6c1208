package org.voxel4j.recon.project;

import org.voxel4j.recon.geometry.Geometry2d;
import org.voxel4j.recon.geometry.ImageGrid2d;

/**
 * Ray-driven 2D projector for a {@link Geometry2d} (parallel or fan) over an {@link ImageGrid2d},
 * with Joseph or Siddon weights and the matched adjoint. Image {@code [H, W]}, sinogram {@code
 * [views, detectors]}.
 */
public final class Projector2d extends RayProjector {
    private final Geometry2d geometry;
    private final ImageGrid2d grid;
    private final ProjectorType type;

    public Projector2d(Geometry2d geometry, ImageGrid2d grid, ProjectorType type) {
        super(
                new int[] {grid.rows(), grid.cols()},
                new int[] {geometry.views(), geometry.detectors()});
        if (type == null) {
            throw new IllegalArgumentException("projector type is null");
        }
        this.geometry = geometry;
        this.grid = grid;
        this.type = type;
    }

    public Geometry2d geometry() {
        return geometry;
    }

    public ImageGrid2d grid() {
        return grid;
    }

    public ProjectorType type() {
        return type;
    }

    @Override
    Tracer newTracer() {
        int rows = grid.rows();
        int cols = grid.cols();
        double inv = 1.0 / grid.pixelSize();
        double rc = 0.5 * (rows - 1);
        double cc = 0.5 * (cols - 1);
        double ox = grid.centerX();
        double oy = grid.centerY();
        if (type == ProjectorType.JOSEPH) {
            return new Tracer(2 * Math.max(rows, cols) + 4) {
                private final double[] ray = new double[4];
                private final int[] range = new int[2];

                @Override
                int trace(int view, int det) {
                    geometry.ray(view, det, ray);
                    return Joseph.trace2d(
                            rc - (ray[1] - oy) * inv,
                            (ray[0] - ox) * inv + cc,
                            -ray[3] * inv,
                            ray[2] * inv,
                            rows,
                            cols,
                            range,
                            idx,
                            w);
                }
            };
        }
        return new Tracer(rows + cols + 4) {
            private final double[] ray = new double[4];
            private final double[] t = new double[2];

            @Override
            int trace(int view, int det) {
                geometry.ray(view, det, ray);
                // boundary index space: pixel k spans [k, k+1]
                return Siddon.trace2d(
                        rc + 0.5 - (ray[1] - oy) * inv,
                        (ray[0] - ox) * inv + cc + 0.5,
                        -ray[3] * inv,
                        ray[2] * inv,
                        rows,
                        cols,
                        t,
                        idx,
                        w);
            }
        };
    }
}
