package org.voxel4j.recon.geometry;

/** Shape of a fan-beam detector. */
public enum DetectorShape {
    /** Elements equally spaced on a line perpendicular to the central ray (equispaced fan). */
    FLAT,
    /**
     * Elements equally spaced on a circular arc centred on the source (equiangular fan, the usual
     * shape of clinical CT detectors); the spacing is the arc length at the detector radius.
     */
    ARC
}
