package org.voxel4j.volumetric.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.voxel4j.volumetric.data.Preprocessing;
import org.voxel4j.volumetric.data.SegmentationCase;
import org.voxel4j.volumetric.data.SegmentationData;
import org.voxel4j.volumetric.transforms.VoxelArrays;

/**
 * A learnable toy task: noisy volumes with a bright ball (label 1) and, with three classes, a
 * dimmer box (label 2).
 */
final class Toy {
    private Toy() {}

    static SegmentationCase ball(int[] shape, int classes, long seed) {
        Random r = new Random(seed);
        int n = shape[0] * shape[1] * shape[2];
        float[] img = new float[n];
        int[] lab = new int[n];
        double[] c = new double[3];
        for (int a = 0; a < 3; a++) {
            c[a] = shape[a] * (0.3 + 0.4 * r.nextDouble());
        }
        double rad =
                Math.min(shape[0], Math.min(shape[1], shape[2])) * (0.2 + 0.1 * r.nextDouble());
        int[] b0 = {r.nextInt(shape[0] / 2), r.nextInt(shape[1] / 2), r.nextInt(shape[2] / 2)};
        for (int z = 0, i = 0; z < shape[0]; z++) {
            for (int y = 0; y < shape[1]; y++) {
                for (int x = 0; x < shape[2]; x++, i++) {
                    double d2 = sq(z - c[0]) + sq(y - c[1]) + sq(x - c[2]);
                    float v = (float) (0.25 * r.nextGaussian());
                    if (d2 <= rad * rad) {
                        v += 1;
                        lab[i] = 1;
                    } else if (classes > 2
                            && z >= b0[0]
                            && z < b0[0] + 3
                            && y >= b0[1]
                            && y < b0[1] + 4
                            && x >= b0[2]
                            && x < b0[2] + 4) {
                        v -= 0.8;
                        lab[i] = 2;
                    }
                    img[i] = v;
                }
            }
        }
        return new SegmentationCase(
                "toy" + seed,
                VoxelArrays.fromFloats(img, new int[] {1, shape[0], shape[1], shape[2]}),
                VoxelArrays.fromInts(lab, shape),
                new double[] {1, 1, 1});
    }

    static SegmentationData data(int[] shape, int classes, int train, int val, long seed) {
        List<SegmentationCase> tr = new ArrayList<>();
        List<SegmentationCase> va = new ArrayList<>();
        for (int i = 0; i < train + val; i++) {
            (i < train ? tr : va).add(ball(shape, classes, seed + i));
        }
        List<String> names = new ArrayList<>(List.of("background", "ball", "box"));
        return new SegmentationData(
                new Preprocessing(Preprocessing.Intensity.NONE, -1, 1, 0, 1, null, false),
                names.subList(0, classes),
                tr,
                va);
    }

    static double sq(double v) {
        return v * v;
    }
}
