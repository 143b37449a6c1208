package org.voxel4j.volumetric.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.io.Volume;
import org.voxel4j.nn.io.VolumeIO;

/**
 * A segmentation dataset in the Medical Segmentation Decathlon / nnU-Net layout:
 *
 * <pre>
 *   dataset.json   name, labels, channels; optionally "training": [{"image", "label"}], "test"
 *   imagesTr/      training images: MSD one file per case (channels as a 4th dimension), or
 *                  nnU-Net v2 one file per channel, CASE_0000.nii.gz, CASE_0001.nii.gz, ...
 *   labelsTr/      label maps CASE.nii.gz
 *   imagesTs/      optional test images
 * </pre>
 *
 * With a {@code "training"} list (MSD) the pairs are taken from it; otherwise (nnU-Net v2) cases
 * are found by scanning {@code imagesTr/} for {@code _0000} files with the {@code "file_ending"}
 * (default {@code .nii.gz}). Labels are read from {@code "labels"} in either form: MSD {@code {"0":
 * "background", "1": "liver"}} or nnU-Net v2 {@code {"background": 0, "liver": 1}}.
 *
 * <p>Opening checks that every listed file exists and that images and labels pair up (naming the
 * missing files); {@link #load} checks that an image and its label agree in spatial shape and
 * geometry (affine within 1e-3 mm), naming both files and the differing values.
 */
public final class DecathlonDataset {

    /** One case: its id, image files (one per channel, or one multi-channel file), label file. */
    public record Entry(String id, List<Path> images, Path label) {
        public Entry {
            images = List.copyOf(images);
        }
    }

    /** A loaded case: image {@code [C, D, H, W]} (or {@code [D, H, W]}) and label map. */
    public record LabeledCase(String id, Volume image, Volume label) {}

    private static final double AFFINE_TOLERANCE_MM = 1e-3;

    private final Path root;
    private final String name;
    private final SortedMap<Integer, String> labels;
    private final List<String> channels;
    private final List<Entry> training;
    private final List<Entry> test;

    private DecathlonDataset(
            Path root,
            String name,
            SortedMap<Integer, String> labels,
            List<String> channels,
            List<Entry> training,
            List<Entry> test) {
        this.root = root;
        this.name = name;
        this.labels = Collections.unmodifiableSortedMap(labels);
        this.channels = List.copyOf(channels);
        this.training = List.copyOf(training);
        this.test = List.copyOf(test);
    }

    public Path root() {
        return root;
    }

    public String name() {
        return name;
    }

    /** Label value to name, including 0 (background). */
    public SortedMap<Integer, String> labels() {
        return labels;
    }

    /** Number of classes (the largest label value + 1). */
    public int numClasses() {
        return labels.lastKey() + 1;
    }

    /** Channel (modality) names, e.g. ["CT"]. */
    public List<String> channels() {
        return channels;
    }

    public List<Entry> training() {
        return training;
    }

    public List<Entry> test() {
        return test;
    }

    /** Reads and checks {@code dir/dataset.json} and the file layout. */
    public static DecathlonDataset open(Path dir) throws IOException {
        Path json = dir.resolve("dataset.json");
        if (!Files.isRegularFile(json)) {
            throw new NoSuchFileException(
                    json.toString(), null, "not a Decathlon/nnU-Net dataset: no dataset.json");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json.toFile());
        } catch (IOException e) {
            throw new IOException(json + ": invalid JSON: " + e.getMessage(), e);
        }
        String name = root.path("name").asText(dir.getFileName().toString());
        SortedMap<Integer, String> labels = parseLabels(json, root.get("labels"));
        List<String> channels = parseChannels(root);
        String ending = root.path("file_ending").asText(".nii.gz");
        List<Entry> training;
        List<Entry> test = new ArrayList<>();
        if (root.has("training")) {
            training = new ArrayList<>();
            for (JsonNode t : root.get("training")) {
                String img = t.path("image").asText(null);
                String lab = t.path("label").asText(null);
                if (img == null || lab == null) {
                    throw new IOException(
                            json
                                    + ": every \"training\" entry needs \"image\" and \"label\", got "
                                    + t);
                }
                Path ip = dir.resolve(img).normalize();
                Path lp = dir.resolve(lab).normalize();
                requireFile(json, ip, "image");
                requireFile(json, lp, "label");
                training.add(new Entry(caseId(ip, ending), List.of(ip), lp));
            }
            for (JsonNode t : root.path("test")) {
                String img = t.isTextual() ? t.asText() : t.path("image").asText(null);
                if (img != null) {
                    Path ip = dir.resolve(img).normalize();
                    requireFile(json, ip, "test image");
                    test.add(new Entry(caseId(ip, ending), List.of(ip), null));
                }
            }
        } else {
            training = scanV2(dir, json, ending, channels.size(), true);
            if (Files.isDirectory(dir.resolve("imagesTs"))) {
                test = scanV2(dir, json, ending, channels.size(), false);
            }
        }
        if (training.isEmpty()) {
            throw new IOException(json + ": the dataset has no training cases");
        }
        int expected = root.path("numTraining").asInt(training.size());
        if (expected != training.size()) {
            throw new IOException(
                    json
                            + ": \"numTraining\" is "
                            + expected
                            + " but "
                            + training.size()
                            + " training cases were found");
        }
        return new DecathlonDataset(dir, name, labels, channels, training, test);
    }

    private static List<Entry> scanV2(
            Path dir, Path json, String ending, int channels, boolean train) throws IOException {
        Path images = dir.resolve(train ? "imagesTr" : "imagesTs");
        Path labelsDir = dir.resolve("labelsTr");
        if (!Files.isDirectory(images)) {
            throw new NoSuchFileException(images.toString(), null, "missing image folder");
        }
        TreeSet<String> ids = new TreeSet<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(images)) {
            for (Path p : s) {
                String n = p.getFileName().toString();
                if (n.endsWith("_0000" + ending)) {
                    ids.add(n.substring(0, n.length() - ("_0000" + ending).length()));
                }
            }
        }
        List<Entry> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String id : ids) {
            List<Path> files = new ArrayList<>();
            for (int c = 0; c < channels; c++) {
                Path f = images.resolve(String.format("%s_%04d%s", id, c, ending));
                if (!Files.isRegularFile(f)) {
                    problems.add("missing channel file " + f);
                }
                files.add(f);
            }
            Path label = train ? labelsDir.resolve(id + ending) : null;
            if (train && !Files.isRegularFile(label)) {
                problems.add("image " + files.get(0) + " has no label " + label);
            }
            out.add(new Entry(id, files, label));
        }
        if (train && Files.isDirectory(labelsDir)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(labelsDir)) {
                for (Path p : s) {
                    String n = p.getFileName().toString();
                    if (n.endsWith(ending)) {
                        String id = n.substring(0, n.length() - ending.length());
                        if (!ids.contains(id)) {
                            problems.add(
                                    "label "
                                            + p
                                            + " has no image "
                                            + images.resolve(id + "_0000" + ending));
                        }
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IOException(
                    json.getParent() + ": unpaired files: " + String.join("; ", problems));
        }
        return out;
    }

    private static String caseId(Path image, String ending) {
        String n = image.getFileName().toString();
        for (String e : new String[] {ending, ".nii.gz", ".nii", ".mha", ".nrrd"}) {
            if (n.endsWith(e)) {
                n = n.substring(0, n.length() - e.length());
                break;
            }
        }
        return n.endsWith("_0000") ? n.substring(0, n.length() - 5) : n;
    }

    private static void requireFile(Path json, Path p, String what) throws IOException {
        if (!Files.isRegularFile(p)) {
            throw new NoSuchFileException(
                    p.toString(), null, what + " listed in " + json + " does not exist");
        }
    }

    private static SortedMap<Integer, String> parseLabels(Path json, JsonNode node)
            throws IOException {
        if (node == null || !node.isObject() || node.size() == 0) {
            throw new IOException(json + ": \"labels\" must be a non-empty object");
        }
        SortedMap<Integer, String> out = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            int value;
            String label;
            if (e.getValue().isInt()) { // nnU-Net v2: name -> value
                value = e.getValue().asInt();
                label = e.getKey();
            } else if (e.getValue().isTextual()) { // MSD: "value" -> name
                try {
                    value = Integer.parseInt(e.getKey().trim());
                } catch (NumberFormatException ex) {
                    throw new IOException(
                            json + ": label key '" + e.getKey() + "' is not an integer value");
                }
                label = e.getValue().asText();
            } else {
                throw new IOException(
                        json
                                + ": label '"
                                + e.getKey()
                                + "' maps to "
                                + e.getValue()
                                + "; expected an integer (nnU-Net v2) or a name (MSD); region"
                                + " labels are not supported");
            }
            if (value < 0 || out.put(value, label) != null) {
                throw new IOException(json + ": label value " + value + " is negative or repeated");
            }
        }
        if (!out.containsKey(0)) {
            throw new IOException(json + ": \"labels\" has no background (0): " + out);
        }
        return out;
    }

    private static List<String> parseChannels(JsonNode root) {
        JsonNode ch = root.has("channel_names") ? root.get("channel_names") : root.get("modality");
        List<String> out = new ArrayList<>();
        if (ch != null && ch.isObject()) {
            TreeMap<Integer, String> sorted = new TreeMap<>();
            ch.fields()
                    .forEachRemaining(
                            e -> sorted.put(Integer.parseInt(e.getKey()), e.getValue().asText()));
            out.addAll(sorted.values());
        }
        if (out.isEmpty()) {
            out.add("CT");
        }
        return out;
    }

    /**
     * Reads a case and checks that image and label fit: same spatial shape, affines equal within
     * 1e-3 mm, label values listed in {@code dataset.json}.
     */
    public LabeledCase load(Entry e) throws IOException {
        List<Volume> vols = new ArrayList<>();
        for (Path p : e.images()) {
            vols.add(VolumeIO.read(p));
        }
        Volume image = vols.get(0);
        for (int c = 1; c < vols.size(); c++) {
            checkGeometry(e.images().get(0), image, e.images().get(c), vols.get(c));
        }
        if (vols.size() > 1) {
            INDArray[] parts = new INDArray[vols.size()];
            for (int c = 0; c < parts.length; c++) {
                INDArray d = vols.get(c).data();
                parts[c] = d.reshape(1, d.size(0), d.size(1), d.size(2));
            }
            image = image.withData(Nd4j.concat(0, parts));
        }
        Volume label = null;
        if (e.label() != null) {
            label = VolumeIO.read(e.label());
            checkGeometry(e.images().get(0), image, e.label(), label);
            int[] values = org.voxel4j.volumetric.transforms.VoxelArrays.toLabels(label.data());
            TreeSet<Integer> bad = new TreeSet<>();
            for (int v : values) {
                if (!labels.containsKey(v)) {
                    bad.add(v);
                }
            }
            if (!bad.isEmpty()) {
                throw new IOException(
                        e.label()
                                + ": label values "
                                + bad
                                + " are not among the labels of dataset.json "
                                + labels.keySet());
            }
        }
        return new LabeledCase(e.id(), image, label);
    }

    /** Loads every training case. */
    public List<LabeledCase> loadTraining() throws IOException {
        List<LabeledCase> out = new ArrayList<>();
        for (Entry e : training) {
            out.add(load(e));
        }
        return out;
    }

    private static void checkGeometry(Path pa, Volume a, Path pb, Volume b) throws IOException {
        long[] sa = spatial(a);
        long[] sb = spatial(b);
        if (!Arrays.equals(sa, sb)) {
            throw new IOException(
                    "shape mismatch: "
                            + pa
                            + " has spatial shape "
                            + Arrays.toString(sa)
                            + " but "
                            + pb
                            + " has "
                            + Arrays.toString(sb));
        }
        double[][] x = a.affine();
        double[][] y = b.affine();
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                if (Math.abs(x[r][c] - y[r][c]) > AFFINE_TOLERANCE_MM) {
                    throw new IOException(
                            "geometry mismatch: the affine of "
                                    + pa
                                    + " is "
                                    + Arrays.deepToString(x)
                                    + " but that of "
                                    + pb
                                    + " is "
                                    + Arrays.deepToString(y)
                                    + " (element ["
                                    + r
                                    + "]["
                                    + c
                                    + "] differs by more than "
                                    + AFFINE_TOLERANCE_MM
                                    + " mm)");
                }
            }
        }
    }

    private static long[] spatial(Volume v) {
        long[] s = v.data().shape();
        return Arrays.copyOfRange(s, Math.max(0, s.length - 3), s.length);
    }
}
