/**
 * Inference: {@link org.voxel4j.volumetric.inference.SlidingWindow} (MONAI's window placement,
 * Gaussian importance map, batches, mirror TTA, bounded-memory stitching), {@link
 * org.voxel4j.volumetric.inference.SegmentationInference} (2D and 3D networks over whole
 * preprocessed volumes) and {@link org.voxel4j.volumetric.inference.SegmentationPredictor} ({@code
 * predict(checkpoint, volume)}: preprocessing from the checkpoint, prediction mapped back onto the
 * input grid, post-processing, volumes in mL).
 */
package org.voxel4j.volumetric.inference;
