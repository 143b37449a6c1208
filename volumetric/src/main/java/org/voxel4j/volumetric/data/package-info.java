/**
 * Data: the Decathlon / nnU-Net layout ({@link org.voxel4j.volumetric.data.DecathlonDataset},
 * {@link org.voxel4j.volumetric.data.DecathlonWriter}), CT preprocessing with geometry tracking
 * ({@link org.voxel4j.volumetric.data.Preprocessing}), preprocessed cases and training patches
 * ({@link org.voxel4j.volumetric.data.SegmentationData}, {@link
 * org.voxel4j.volumetric.data.PatchDataset}) and the synthetic CT phantom generator.
 */
package org.voxel4j.volumetric.data;
