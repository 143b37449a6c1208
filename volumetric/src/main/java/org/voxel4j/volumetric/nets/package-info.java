/**
 * Segmentation networks assembled from {@link org.voxel4j.volumetric.blocks}: {@link
 * org.voxel4j.volumetric.nets.UNet} (configurable 2D/3D U-Net, nnU-Net style), {@link
 * org.voxel4j.volumetric.nets.AttentionUnet} (Turbolift's attention U-Net with input pyramid and
 * four heads), {@link org.voxel4j.volumetric.nets.StuNet} (residual U-Net with the S/B/L/H
 * presets), {@link org.voxel4j.volumetric.nets.SaliencyGuidedUnet} (SDL-Seg's extra saliency
 * channel). All implement {@link org.voxel4j.volumetric.nets.SegmentationNetwork} and follow the
 * head and deep-supervision naming of {@link org.voxel4j.volumetric.nets.SegmentationNets}.
 * Parameter counts are tested against PyTorch re-implementations.
 */
package org.voxel4j.volumetric.nets;
