/**
 * Building blocks of the segmentation networks, dimension-generic (2D and 3D) as MONAI's {@code
 * blocks}: {@link org.voxel4j.volumetric.blocks.ConvNormAct} (conv → norm → act), {@link
 * org.voxel4j.volumetric.blocks.ConvBlock} (units in a row), {@link
 * org.voxel4j.volumetric.blocks.ResidualBlock} (STU-Net's residual unit), {@link
 * org.voxel4j.volumetric.blocks.AttentionGate} (Oktay et al. 2018), {@link
 * org.voxel4j.volumetric.blocks.Upsampler} (transposed conv or interpolation + 1×1 conv), the
 * choices {@link org.voxel4j.volumetric.blocks.Norm} and {@link org.voxel4j.volumetric.blocks.Act},
 * and rank-aware fast forms of norms, PReLU and ×2 linear up-sampling ({@link
 * org.voxel4j.volumetric.blocks.FastOps}). Every block is a record (its configuration) with a
 * gradient-checked {@code forward} and a {@code parameterCount()} from the configuration alone.
 */
package org.voxel4j.volumetric.blocks;
