package org.voxel4j.volumetric.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.voxel4j.nn.Checkpoint;
import org.voxel4j.nn.CheckpointException;
import org.voxel4j.nn.Model;
import org.voxel4j.nn.ModuleTypes;
import org.voxel4j.volumetric.data.Preprocessing;
import org.voxel4j.volumetric.nets.SegmentationNetwork;

/**
 * A segmentation checkpoint: a {@code .v4j} file (model configuration and weights, optionally
 * trainer state) whose header also has a {@code "segmentation"} section with the preprocessing, the
 * training patch size and the label names, so that prediction repeats the training-time
 * preprocessing from the file alone.
 */
public final class SegmentationCheckpoint {
    private SegmentationCheckpoint() {}

    /** Name of the header section. */
    public static final String SECTION = "segmentation";

    /**
     * What prediction needs besides the network.
     *
     * @param preprocessing applied to every input volume
     * @param patchSize sliding-window size (the training patch size)
     * @param labelNames name of each label value, index 0 = background
     */
    public record Spec(
            Preprocessing preprocessing, List<Integer> patchSize, List<String> labelNames) {
        public Spec {
            if (preprocessing == null || patchSize == null || labelNames == null) {
                throw new IllegalArgumentException(
                        "a segmentation spec needs preprocessing, patchSize and labelNames");
            }
            patchSize = List.copyOf(patchSize);
            labelNames = List.copyOf(labelNames);
        }
    }

    /** A loaded checkpoint. */
    public record Loaded(Model model, SegmentationNetwork network, Spec spec) {}

    /** Writes {@code model} (weights only) with the spec. */
    public static void writeModel(Path file, Model model, Spec spec) throws IOException {
        ObjectNode h = model.header();
        h.set(SECTION, ModuleTypes.mapper().valueToTree(spec));
        Checkpoint.write(file, h, model.tensors());
    }

    /** Adds (or replaces) the spec in an existing checkpoint, e.g. one the Trainer wrote. */
    public static void addSpec(Path file, Spec spec) throws IOException {
        Checkpoint.Contents c = Checkpoint.read(file);
        ObjectNode h = c.header();
        h.remove("tensors");
        h.set(SECTION, ModuleTypes.mapper().valueToTree(spec));
        Checkpoint.write(file, h, c.tensors());
    }

    /** Reads the spec of a checkpoint's contents. */
    public static Spec spec(Checkpoint.Contents c) throws CheckpointException {
        JsonNode s = c.header().get(SECTION);
        if (s == null || !s.isObject()) {
            throw new CheckpointException(
                    c.file(),
                    "is not a segmentation checkpoint: no '"
                            + SECTION
                            + "' section (preprocessing, patch size, labels) in its header");
        }
        try {
            return ModuleTypes.mapper().treeToValue(s, Spec.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new CheckpointException(
                    c.file(), "has an unreadable '" + SECTION + "' section: " + e.getMessage(), e);
        }
    }

    /** Loads model and spec; the network must be a {@link SegmentationNetwork}. */
    public static Loaded read(Path file) throws IOException {
        Checkpoint.Contents c = Checkpoint.read(file);
        Spec spec = spec(c);
        Model m = Model.fromCheckpoint(c);
        if (!(m.network() instanceof SegmentationNetwork net)) {
            throw new CheckpointException(
                    file,
                    "holds a "
                            + m.network().getClass().getSimpleName()
                            + ", not a segmentation network");
        }
        if (net.numClasses() != spec.labelNames().size()) {
            throw new CheckpointException(
                    file,
                    "network has "
                            + net.numClasses()
                            + " classes but the spec names "
                            + spec.labelNames().size()
                            + " labels "
                            + spec.labelNames());
        }
        return new Loaded(m, net, spec);
    }
}
