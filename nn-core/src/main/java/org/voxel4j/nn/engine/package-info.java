/**
 * voxel4j's execution engine: fused ops with hand-written gradients and buffer reuse on top of
 * SameDiff 1.0.0-M2.1.
 *
 * <p><b>How it hooks into SameDiff.</b> {@link org.voxel4j.nn.engine.Engine#install()} binds a
 * process-wide {@code InferenceFactory} so that every SameDiff graph executes in an {@link
 * org.voxel4j.nn.engine.EngineSession}: SameDiff's own session, except that ops extending {@link
 * org.voxel4j.nn.engine.JavaOp} run their {@code compute} method (Java loops, or native ND4J ops
 * called with arguments SameDiff cannot express). A {@code JavaOp} is an ordinary {@code
 * DynamicCustomOp} for graph building and differentiation: SameDiff calls its {@code doDiff}, and
 * clones it into the gradient function through its flat-buffer form (hence public no-arg
 * constructors, configuration in the argument lists, and registration by name).
 *
 * <p><b>What is fused</b> (graphs built while {@link org.voxel4j.nn.engine.Engine#enabled()}):
 * instance, group and batch norm and layer norm ({@link org.voxel4j.nn.engine.NormOps}; forward in
 * two passes, backward in two, with a following (leaky) ReLU folded in), leaky ReLU / ReLU, softmax
 * and log-softmax, max pooling, channel concatenation, and 2D/3D (transposed) convolution on ND4J's
 * native kernels with PyTorch's weight layout (no weight permutes). {@link
 * org.voxel4j.nn.engine.Engine#gradients} runs a training step with SameDiff's array cache on,
 * which {@code SameDiff.calculateGradients} switches off. {@link
 * org.voxel4j.nn.engine.OptimKernels} updates parameters in one pass.
 *
 * <p><b>Measured</b> (unet3d-step-64 of issue 3, 2 threads, tuned malloc, shared and loaded
 * machine): the composite SameDiff step took ~2.5–3× PyTorch 1.13's CPU time with 6.4 GB RSS; the
 * engine step is on par with PyTorch (ratio ~1.0 ± noise, RSS ~0.9–1.2 GB vs 0.9 GB). About 85 % of
 * the remaining time is ND4J's oneDNN convolutions including their layout reorders.
 *
 * <p>Correctness: every engine op is compared with the SameDiff form it replaces (forward and
 * gradients, float and double) in {@code FusedNormsTest} / {@code FusedOpsTest}, and the existing
 * PyTorch-fixture and central-difference tests of the ops and layers run through the engine.
 */
package org.voxel4j.nn.engine;
