package org.voxel4j.recon.project;

import org.voxel4j.recon.geometry.ConeBeam3d;
import org.voxel4j.recon.geometry.Geometry2d;
import org.voxel4j.recon.geometry.ImageGrid2d;
import org.voxel4j.recon.geometry.VolumeGrid3d;

/** Factories for the projectors. */
public final class Projectors {
    private Projectors() {}

    /** Joseph (linear interpolation) projector for a 2D geometry. */
    public static Projector2d joseph(Geometry2d geometry, ImageGrid2d grid) {
        return new Projector2d(geometry, grid, ProjectorType.JOSEPH);
    }

    /** Siddon (exact intersection length) projector for a 2D geometry. */
    public static Projector2d siddon(Geometry2d geometry, ImageGrid2d grid) {
        return new Projector2d(geometry, grid, ProjectorType.SIDDON);
    }

    /** Joseph (bilinear interpolation) cone-beam projector. */
    public static ConeProjector joseph(ConeBeam3d geometry, VolumeGrid3d grid) {
        return new ConeProjector(geometry, grid, ProjectorType.JOSEPH);
    }

    /** Siddon cone-beam projector. */
    public static ConeProjector siddon(ConeBeam3d geometry, VolumeGrid3d grid) {
        return new ConeProjector(geometry, grid, ProjectorType.SIDDON);
    }
}
