package org.voxel4j.volumetric.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.voxel4j.nn.io.Volume;

/**
 * Preprocessed training and validation cases with the preprocessing that produced them and the
 * label names: what a segmentation training run consumes.
 *
 * @param preprocessing what was applied to every case
 * @param labelNames name of each label value, index 0 = background
 * @param training training cases
 * @param validation held-out cases (may be empty)
 */
public record SegmentationData(
        Preprocessing preprocessing,
        List<String> labelNames,
        List<SegmentationCase> training,
        List<SegmentationCase> validation) {

    public SegmentationData {
        if (preprocessing == null) {
            throw new IllegalArgumentException("preprocessing must not be null");
        }
        if (labelNames == null || labelNames.size() < 2) {
            throw new IllegalArgumentException(
                    "need at least two label names (background and one class), got " + labelNames);
        }
        if (training == null || training.isEmpty()) {
            throw new IllegalArgumentException("no training cases");
        }
        labelNames = List.copyOf(labelNames);
        training = List.copyOf(training);
        validation = validation == null ? List.of() : List.copyOf(validation);
        int channels = (int) training.get(0).image().size(0);
        for (SegmentationCase c : training) {
            checkChannels(c, channels);
        }
        for (SegmentationCase c : validation) {
            checkChannels(c, channels);
        }
    }

    private static void checkChannels(SegmentationCase c, int channels) {
        if (c.image().size(0) != channels) {
            throw new IllegalArgumentException(
                    "case "
                            + c.id()
                            + " has "
                            + c.image().size(0)
                            + " channel(s), the first training case "
                            + channels);
        }
    }

    /** Classes including background. */
    public int numClasses() {
        return labelNames.size();
    }

    /** Image channels. */
    public int imageChannels() {
        return (int) training.get(0).image().size(0);
    }

    /** Preprocesses one image/label pair. */
    public static SegmentationCase prepare(String id, Volume image, Volume label, Preprocessing p) {
        Preprocessing.Prepared img = p.image(image);
        return new SegmentationCase(
                id, img.image(), p.label(label, img.geometry()), img.geometry().spacingMm());
    }

    /** Preprocesses loaded cases; the last {@code validationCases} become the validation set. */
    public static SegmentationData of(
            List<DecathlonDataset.LabeledCase> cases,
            Preprocessing p,
            List<String> labelNames,
            int validationCases) {
        if (validationCases < 0 || validationCases >= cases.size()) {
            throw new IllegalArgumentException(
                    "validationCases must be in [0, " + cases.size() + "), got " + validationCases);
        }
        List<SegmentationCase> train = new ArrayList<>();
        List<SegmentationCase> val = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            DecathlonDataset.LabeledCase c = cases.get(i);
            SegmentationCase s = prepare(c.id(), c.image(), c.label(), p);
            (i < cases.size() - validationCases ? train : val).add(s);
        }
        return new SegmentationData(p, labelNames, train, val);
    }

    /**
     * Loads and preprocesses a Decathlon / nnU-Net dataset folder; the last {@code validationCases}
     * training cases (in case-id order) are held out.
     */
    public static SegmentationData fromDecathlon(Path dir, Preprocessing p, int validationCases)
            throws IOException {
        DecathlonDataset ds = DecathlonDataset.open(dir);
        List<String> names = new ArrayList<>();
        for (int v = 0; v < ds.numClasses(); v++) {
            names.add(ds.labels().getOrDefault(v, "label" + v));
        }
        return of(ds.loadTraining(), p, names, validationCases);
    }
}
