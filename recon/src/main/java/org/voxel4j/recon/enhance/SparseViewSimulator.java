package org.voxel4j.recon.enhance;

import java.util.List;
import org.voxel4j.recon.fbp.Fbp;
import org.voxel4j.recon.fbp.FbpFilter;
import org.voxel4j.recon.geometry.Geometry2d;
import org.voxel4j.recon.geometry.ImageGrid2d;
import org.voxel4j.recon.geometry.ParallelBeam2d;
import org.voxel4j.recon.phantom.Ellipse;
import org.voxel4j.recon.phantom.Phantoms;
import org.voxel4j.recon.project.Projector2d;
import org.voxel4j.recon.project.ProjectorType;
import org.voxel4j.recon.sim.ViewSampling;

/**
 * Makes the network inputs of sparse-view CT enhancement: the FBP reconstruction (ram-lak unless
 * another filter is given) from {@code sparseViews} of the {@code fullGeometry}'s views, evenly
 * spread ({@link ViewSampling#sparse}), and optionally the FBP from {@code teacherViews} views
 * (GloReDi's teacher sees twice the views of the student).
 *
 * <p>Images are {@code [H, W]} on {@code grid}; analytic phantoms are projected exactly, other
 * images with the discrete {@code projector} (Joseph by default). Thread-safe: the FBP and
 * projector objects are immutable.
 */
public final class SparseViewSimulator {
    private final Geometry2d fullGeometry;
    private final ImageGrid2d grid;
    private final int sparseViews;
    private final int teacherViews;
    private final Geometry2d sparse;
    private final Geometry2d teacher;
    private final Fbp sparseFbp;
    private final Fbp teacherFbp;
    private final Projector2d sparseProjector;
    private final Projector2d teacherProjector;

    /**
     * @param fullGeometry the complete scan
     * @param grid the image grid
     * @param sparseViews views kept for the student input (1 ≤ sparseViews ≤ full views)
     * @param teacherViews views of the teacher input, 0 for none
     * @param filter FBP filter
     * @param projector discretisation used for images that are not analytic phantoms
     */
    public SparseViewSimulator(
            Geometry2d fullGeometry,
            ImageGrid2d grid,
            int sparseViews,
            int teacherViews,
            FbpFilter filter,
            ProjectorType projector) {
        if (fullGeometry == null || grid == null || filter == null || projector == null) {
            throw new IllegalArgumentException(
                    "geometry, grid, filter and projector must not be null");
        }
        if (teacherViews < 0 || teacherViews > fullGeometry.views()) {
            throw new IllegalArgumentException(
                    "teacherViews must be in [0, "
                            + fullGeometry.views()
                            + "] (0 = no teacher input), got "
                            + teacherViews);
        }
        this.fullGeometry = fullGeometry;
        this.grid = grid;
        this.sparseViews = sparseViews;
        this.teacherViews = teacherViews;
        this.sparse =
                fullGeometry.withViews(ViewSampling.sparse(fullGeometry.views(), sparseViews));
        this.sparseFbp = new Fbp(sparse, grid, filter);
        this.sparseProjector = new Projector2d(sparse, grid, projector);
        if (teacherViews > 0) {
            this.teacher =
                    fullGeometry.withViews(ViewSampling.sparse(fullGeometry.views(), teacherViews));
            this.teacherFbp = new Fbp(teacher, grid, filter);
            this.teacherProjector = new Projector2d(teacher, grid, projector);
        } else {
            this.teacher = null;
            this.teacherFbp = null;
            this.teacherProjector = null;
        }
    }

    /**
     * Parallel beam over 180° with {@code fullViews} views and {@link
     * ParallelBeam2d#defaultDetectors} detectors on a {@code size × size} unit grid, ram-lak,
     * Joseph.
     */
    public static SparseViewSimulator parallel(
            int size, int fullViews, int sparseViews, int teacherViews) {
        return new SparseViewSimulator(
                ParallelBeam2d.uniform(fullViews, 180, ParallelBeam2d.defaultDetectors(size)),
                ImageGrid2d.square(size),
                sparseViews,
                teacherViews,
                FbpFilter.ramLak(),
                ProjectorType.JOSEPH);
    }

    public Geometry2d fullGeometry() {
        return fullGeometry;
    }

    public ImageGrid2d grid() {
        return grid;
    }

    public int sparseViews() {
        return sparseViews;
    }

    /** Views of the teacher input, 0 if there is none. */
    public int teacherViews() {
        return teacherViews;
    }

    /** The student input (and the teacher input, or null). */
    public record Inputs(double[] sparse, double[] teacher) {}

    /** Inputs for an analytic phantom (exact projections). */
    public Inputs simulate(List<Ellipse> phantom) {
        double[] s = sparseFbp.reconstruct(Phantoms.project(phantom, sparse));
        double[] t =
                teacher == null ? null : teacherFbp.reconstruct(Phantoms.project(phantom, teacher));
        return new Inputs(s, t);
    }

    /** Inputs for an image {@code [H, W]} of the grid's size (discrete projections). */
    public Inputs simulate(double[] image) {
        if (image.length != grid.size()) {
            throw new IllegalArgumentException(
                    "image has "
                            + image.length
                            + " pixels, the simulator's grid is "
                            + grid.rows()
                            + "x"
                            + grid.cols());
        }
        double[] sino = new double[sparseProjector.projectionSize()];
        sparseProjector.forward(image, sino);
        double[] s = sparseFbp.reconstruct(sino);
        double[] t = null;
        if (teacher != null) {
            double[] ts = new double[teacherProjector.projectionSize()];
            teacherProjector.forward(image, ts);
            t = teacherFbp.reconstruct(ts);
        }
        return new Inputs(s, t);
    }
}
