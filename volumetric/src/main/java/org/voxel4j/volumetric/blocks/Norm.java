package org.voxel4j.volumetric.blocks;

import org.voxel4j.nn.Module;
import org.voxel4j.nn.layers.BatchNorm;
import org.voxel4j.nn.layers.GroupNorm;
import org.voxel4j.nn.layers.InstanceNorm;

/**
 * Which normalisation a block uses after each convolution: instance norm (Ulyanov et al. 2016;
 * affine, eps 1e-5, as nnU-Net), batch norm (Ioffe and Szegedy 2015; PyTorch defaults), group norm
 * (Wu and He 2018) with {@code groups} groups, or none.
 *
 * @param kind the normalisation
 * @param groups number of groups for {@link Kind#GROUP} (must divide the channel count); 0
 *     otherwise
 */
public record Norm(Kind kind, int groups) {

    /** Normalisation kinds. */
    public enum Kind {
        NONE,
        INSTANCE,
        BATCH,
        GROUP
    }

    public Norm {
        if (kind == null) {
            throw new IllegalArgumentException("Norm kind must not be null");
        }
        if (kind == Kind.GROUP && groups < 1) {
            throw new IllegalArgumentException("GROUP norm needs groups >= 1, got " + groups);
        }
        if (kind != Kind.GROUP && groups != 0) {
            throw new IllegalArgumentException(
                    kind + " norm takes no groups (0), got groups=" + groups);
        }
    }

    /** Affine instance norm, eps 1e-5 (nnU-Net, STU-Net). */
    public static Norm instance() {
        return new Norm(Kind.INSTANCE, 0);
    }

    /** Batch norm with PyTorch's defaults (Turbolift, Attention U-Net). */
    public static Norm batch() {
        return new Norm(Kind.BATCH, 0);
    }

    /** Group norm with {@code groups} groups. */
    public static Norm group(int groups) {
        return new Norm(Kind.GROUP, groups);
    }

    /** No normalisation. */
    public static Norm none() {
        return new Norm(Kind.NONE, 0);
    }

    /** The layer for {@code channels} channels, or null for {@link Kind#NONE}. */
    public Module layer(int channels) {
        return switch (kind) {
            case NONE -> null;
            case INSTANCE -> InstanceNorm.of(channels);
            case BATCH -> BatchNorm.of(channels);
            case GROUP -> {
                if (channels % groups != 0) {
                    throw new IllegalArgumentException(
                            "GroupNorm with "
                                    + groups
                                    + " groups cannot normalise "
                                    + channels
                                    + " channels (not divisible)");
                }
                yield GroupNorm.of(groups, channels);
            }
        };
    }

    /** Parameters of the layer for {@code channels} channels (weight and bias when affine). */
    public long parameterCount(int channels) {
        return kind == Kind.NONE ? 0 : 2L * channels;
    }
}
