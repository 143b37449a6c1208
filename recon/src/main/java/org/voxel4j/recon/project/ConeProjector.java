package org.voxel4j.recon.project;

import org.voxel4j.recon.geometry.ConeBeam3d;
import org.voxel4j.recon.geometry.VolumeGrid3d;

/**
 * Ray-driven cone-beam projector for a {@link ConeBeam3d} geometry over a {@link VolumeGrid3d}
 * (Joseph with bilinear interpolation, or Siddon), with the matched adjoint. Volume {@code [D, H,
 * W]}, projections {@code [views, rows, cols]}.
 */
public final class ConeProjector extends RayProjector {
    private final ConeBeam3d geometry;
    private final VolumeGrid3d grid;
    private final ProjectorType type;

    public ConeProjector(ConeBeam3d geometry, VolumeGrid3d grid, ProjectorType type) {
        super(
                new int[] {grid.slices(), grid.rows(), grid.cols()},
                new int[] {geometry.views(), geometry.detectorRows(), geometry.detectorCols()});
        if (type == null) {
            throw new IllegalArgumentException("projector type is null");
        }
        this.geometry = geometry;
        this.grid = grid;
        this.type = type;
    }

    public ConeBeam3d geometry() {
        return geometry;
    }

    public VolumeGrid3d grid() {
        return grid;
    }

    public ProjectorType type() {
        return type;
    }

    @Override
    Tracer newTracer() {
        int nz = grid.slices();
        int ny = grid.rows();
        int nx = grid.cols();
        int cols = geometry.detectorCols();
        double ix = 1.0 / grid.spacingX();
        double iy = 1.0 / grid.spacingY();
        double iz = 1.0 / grid.spacingZ();
        // index of the grid centre: voxel-centre space for Joseph, boundary space for Siddon
        double shift = type == ProjectorType.JOSEPH ? 0.0 : 0.5;
        double cz = 0.5 * (nz - 1) + shift;
        double cy = 0.5 * (ny - 1) + shift;
        double cx = 0.5 * (nx - 1) + shift;
        int maxDim = Math.max(nz, Math.max(ny, nx));
        if (type == ProjectorType.JOSEPH) {
            return new Tracer(4 * maxDim + 8) {
                private final double[] ray = new double[6];
                private final int[] range = new int[2];

                @Override
                int trace(int view, int r) {
                    geometry.ray(view, r / cols, r % cols, ray);
                    return Joseph.trace3d(
                            ray[2] * iz + cz,
                            cy - ray[1] * iy,
                            ray[0] * ix + cx,
                            ray[5] * iz,
                            -ray[4] * iy,
                            ray[3] * ix,
                            nz,
                            ny,
                            nx,
                            range,
                            idx,
                            w);
                }
            };
        }
        return new Tracer(nz + ny + nx + 4) {
            private final double[] ray = new double[6];
            private final double[] t = new double[2];

            @Override
            int trace(int view, int r) {
                geometry.ray(view, r / cols, r % cols, ray);
                return Siddon.trace3d(
                        ray[2] * iz + cz,
                        cy - ray[1] * iy,
                        ray[0] * ix + cx,
                        ray[5] * iz,
                        -ray[4] * iy,
                        ray[3] * ix,
                        nz,
                        ny,
                        nx,
                        t,
                        idx,
                        w);
            }
        };
    }
}
