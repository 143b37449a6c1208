/**
 * Training of segmentation networks: {@link org.voxel4j.volumetric.train.SegmentationTrainer}
 * (patches, augmentation, paper-default optimisers, validation Dice, run folder, resume, serial
 * transfer / fine-tuning; default loss nnU-Net's Dice + CE, {@link
 * org.voxel4j.nn.losses.DiceCeLoss#nnUNet}), the {@link
 * org.voxel4j.volumetric.train.DeepSupervision} objective and the checkpoint section that makes a
 * checkpoint self-describing for prediction ({@link
 * org.voxel4j.volumetric.train.SegmentationCheckpoint}).
 */
package org.voxel4j.volumetric.train;
