package org.voxel4j.recon.metrics;

/**
 * MAE, PSNR (dB) and SSIM of a prediction against a reference, computed under one {@link
 * SsimPreset}.
 */
public record ImageQuality(double mae, double psnr, double ssim, SsimPreset preset) {}
