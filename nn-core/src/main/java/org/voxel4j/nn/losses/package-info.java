/**
 * Training losses written from elementwise SameDiff ops (never {@code sd.loss()}, whose gradients
 * ignore the upstream gradient in ND4J 1.0.0-M2.1), each a {@link org.voxel4j.nn.Module} record
 * whose components are its configuration, so a loss round-trips through JSON and composes with
 * {@link org.voxel4j.nn.losses.WeightedSum}.
 *
 * <p>Conventions: {@code forward(scope, prediction, target[, weight])} returns a scalar, to be used
 * with {@code Objective.of(loss)}. Predictions are channels-first {@code [N, C, *S]} with any
 * number of spatial dimensions, including none; classification losses take logits. No static shapes
 * are needed (targets arrive as placeholders of unknown shape). Targets are floating point: label
 * maps hold integral class indices ({@code [N, *S]} or {@code [N, 1, *S]}), one-hot or soft targets
 * have the prediction's shape. Elementwise losses accept a third input, a weight or 0/1 mask
 * broadcastable to the prediction, and then average as {@code Σ w l / Σ w}.
 *
 * <p>Peers: {@link org.voxel4j.nn.losses.CrossEntropyLoss}, {@link
 * org.voxel4j.nn.losses.BceWithLogitsLoss}, {@link org.voxel4j.nn.losses.L1Loss}, {@link
 * org.voxel4j.nn.losses.MseLoss}, {@link org.voxel4j.nn.losses.SmoothL1Loss} follow PyTorch; {@link
 * org.voxel4j.nn.losses.DiceLoss} and {@link org.voxel4j.nn.losses.DiceCeLoss} follow MONAI; {@link
 * org.voxel4j.nn.losses.SigmoidFocalLoss} follows torchvision; {@link
 * org.voxel4j.nn.losses.FocalLoss} and {@link org.voxel4j.nn.losses.FocalTverskyLoss} follow their
 * papers. Inputs that can only be checked at run time (labels outside {@code [0, C)}, per-class
 * lists of the wrong length, a single-channel prediction where channels are required) make the loss
 * NaN rather than a silently wrong number; the trainer stops on a non-finite loss.
 */
package org.voxel4j.nn.losses;
