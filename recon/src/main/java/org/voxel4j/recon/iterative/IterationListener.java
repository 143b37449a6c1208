package org.voxel4j.recon.iterative;

/** Progress callback of the iterative solvers (the CLI hangs a progress bar on it). */
@FunctionalInterface
public interface IterationListener {
    /**
     * Called after each iteration.
     *
     * @param iteration 1-based iteration just finished
     * @param total iteration budget
     * @param residual relative data residual ‖b − Ax‖ / ‖b‖ after it
     */
    void onIteration(int iteration, int total, double residual);
}
