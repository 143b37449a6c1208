package org.voxel4j.volumetric.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.voxel4j.nn.io.AtomicFiles;
import org.voxel4j.nn.io.Volume;
import org.voxel4j.nn.io.VolumeIO;

/**
 * Writes synthetic CT phantoms ({@link SyntheticCtPhantom}) as a dataset in the nnU-Net v2 layout
 * that is also a valid Medical Segmentation Decathlon dataset: {@code imagesTr/CASE_0000.nii.gz},
 * {@code labelsTr/CASE.nii.gz}, optional {@code imagesTs/}, and a {@code dataset.json} with {@code
 * channel_names}, {@code labels} (name → value), {@code numTraining}, {@code file_ending} and the
 * MSD {@code training} / {@code test} lists.
 *
 * <p>Phantom geometry: the phantom's W axis runs towards the patient's left and H towards posterior
 * (radiological display), so the affine written is the usual one of CT converted from DICOM, {@code
 * diag(−dx, −dy, dz)} in RAS+, with the origin placing the volume centre at (0, 0, 0). Images are
 * stored as float32 HU, labels as int32.
 */
public final class DecathlonWriter {
    private DecathlonWriter() {}

    /** The RAS+ affine of a phantom case: W → patient left, H → posterior, D → superior. */
    public static double[][] phantomAffine(int[] shape, double[] spacingDhw) {
        double dx = spacingDhw[2];
        double dy = spacingDhw[1];
        double dz = spacingDhw[0];
        return new double[][] {
            {-dx, 0, 0, dx * (shape[2] - 1) / 2.0},
            {0, -dy, 0, dy * (shape[1] - 1) / 2.0},
            {0, 0, dz, -dz * (shape[0] - 1) / 2.0},
            {0, 0, 0, 1}
        };
    }

    /** A phantom case's image (HU) as a volume with {@link #phantomAffine}. */
    public static Volume image(SyntheticCtPhantom.Case c) {
        return Volume.of(c.image(), phantomAffine(c.shape(), c.spacingMm()));
    }

    /** A phantom case's label map as a volume with {@link #phantomAffine}. */
    public static Volume label(SyntheticCtPhantom.Case c) {
        return Volume.of(c.label(), phantomAffine(c.shape(), c.spacingMm()));
    }

    /**
     * Generates {@code train + test} phantoms (seeds {@code seed, seed + 1, ...}) and writes them.
     *
     * @return the case ids written to imagesTr, then imagesTs
     */
    public static List<String> writePhantoms(
            Path dir, String name, SyntheticCtPhantom.Config cfg, int train, int test, long seed)
            throws IOException {
        if (train < 1 || test < 0) {
            throw new IllegalArgumentException(
                    "need train >= 1 and test >= 0 cases, got " + train + ", " + test);
        }
        Files.createDirectories(dir.resolve("imagesTr"));
        Files.createDirectories(dir.resolve("labelsTr"));
        if (test > 0) {
            Files.createDirectories(dir.resolve("imagesTs"));
        }
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode json = m.createObjectNode();
        json.put("name", name);
        json.put("description", "voxel4j synthetic abdominal CT phantoms");
        json.putObject("channel_names").put("0", "CT");
        ObjectNode labels = json.putObject("labels");
        List<String> ids = new java.util.ArrayList<>();
        ArrayNode tr = json.putArray("training");
        ArrayNode ts = json.putArray("test");
        SyntheticCtPhantom.Case first = null;
        for (int i = 0; i < train + test; i++) {
            SyntheticCtPhantom.Case c = SyntheticCtPhantom.generate(cfg, seed + i);
            if (first == null) {
                first = c;
            }
            boolean isTrain = i < train;
            String id = String.format("%s_%03d", isTrain ? "phantom" : "phantomts", i);
            ids.add(id);
            Path img = dir.resolve(isTrain ? "imagesTr" : "imagesTs").resolve(id + "_0000.nii.gz");
            VolumeIO.write(image(c), img);
            if (isTrain) {
                Path lab = dir.resolve("labelsTr").resolve(id + ".nii.gz");
                VolumeIO.write(label(c), lab);
                ObjectNode e = tr.addObject();
                e.put("image", "./imagesTr/" + id + "_0000.nii.gz");
                e.put("label", "./labelsTr/" + id + ".nii.gz");
            } else {
                ts.add("./imagesTs/" + id + "_0000.nii.gz");
            }
        }
        for (int v = 0; v < first.labelNames().size(); v++) {
            labels.put(first.labelNames().get(v), v);
        }
        json.put("numTraining", train);
        json.put("file_ending", ".nii.gz");
        AtomicFiles.write(dir.resolve("dataset.json"), m.writeValueAsBytes(json));
        return ids;
    }
}
