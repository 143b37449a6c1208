package org.voxel4j.recon.geometry;

/**
 * A 2D scan geometry: a set of views, each a fan or a bundle of parallel rays, one ray per detector
 * element. Sinograms for it are stored row-major as {@code [views(), detectors()]}.
 */
public sealed interface Geometry2d permits ParallelBeam2d, FanBeam2d {
    /** Number of views. */
    int views();

    /** Number of detector elements per view. */
    int detectors();

    /** View angle {@code i} in radians. */
    double angle(int view);

    /** A copy of the view angles (radians). */
    double[] angles();

    /**
     * The ray of detector element {@code det} in view {@code view}: {@code out[0..1]} a point on
     * the ray (the source for a fan beam), {@code out[2..3]} the unit direction (towards the
     * detector).
     */
    void ray(int view, int det, double[] out);

    /** The same geometry restricted to the given views, in the given order. */
    Geometry2d withViews(int[] views);

    /** Number of sinogram values, {@code views() · detectors()}. */
    default int sinogramSize() {
        return views() * detectors();
    }
}
