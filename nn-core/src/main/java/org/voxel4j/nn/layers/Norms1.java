package org.voxel4j.nn.layers;

/** Shared validation of the normalisation layers. */
final class Norms1 {
    private Norms1() {}

    static void checkEps(String layer, double eps) {
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException(layer + " eps must be finite and > 0, got " + eps);
        }
    }
}
