package org.voxel4j.volumetric.inference;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.voxel4j.nn.Model;
import org.voxel4j.nn.io.Volume;
import org.voxel4j.volumetric.data.Preprocessing;
import org.voxel4j.volumetric.nets.SaliencyGuidedUnet;
import org.voxel4j.volumetric.nets.SegmentationNetwork;
import org.voxel4j.volumetric.train.SegmentationCheckpoint;
import org.voxel4j.volumetric.transforms.ConnectedComponents;
import org.voxel4j.volumetric.transforms.LabelOps;
import org.voxel4j.volumetric.transforms.SaliencyMaps;
import org.voxel4j.volumetric.transforms.VoxelArrays;

/**
 * Segments volumes with a trained checkpoint: the checkpoint's preprocessing (reorientation,
 * resampling, normalisation), sliding-window inference with the training patch size (overlap 0.5,
 * Gaussian weighting by default), softmax, mapping of the class probabilities back onto the input
 * grid (linear resampling, inverse reorientation: nnU-Net's order), argmax and optional
 * post-processing (largest connected component per label, 26-connectivity). The label map has the
 * input's spatial shape and affine.
 *
 * <p>For a {@link SaliencyGuidedUnet}, the marker coordinates (voxel indices of the input volume,
 * array order d, h, w) are mapped into the preprocessed grid and turned into the saliency channel
 * there.
 */
public final class SegmentationPredictor {

    private final Model model;
    private final SegmentationNetwork net;
    private final SegmentationCheckpoint.Spec spec;
    private final SlidingWindow window;
    private final boolean largestComponent;
    private final SlidingWindow.Progress progress;

    private SegmentationPredictor(
            Model model,
            SegmentationNetwork net,
            SegmentationCheckpoint.Spec spec,
            SlidingWindow window,
            boolean largestComponent,
            SlidingWindow.Progress progress) {
        this.model = model;
        this.net = net;
        this.spec = spec;
        this.window = window;
        this.largestComponent = largestComponent;
        this.progress = progress;
    }

    /** A predictor for a model and its spec (window: training patch, overlap 0.5, Gaussian). */
    public static SegmentationPredictor of(Model model, SegmentationCheckpoint.Spec spec) {
        if (!(model.network() instanceof SegmentationNetwork net)) {
            throw new IllegalArgumentException(
                    "not a segmentation network: " + model.network().getClass().getSimpleName());
        }
        SlidingWindow w =
                SlidingWindow.of(SegmentationInference.checkedPatch(net, spec.patchSize()))
                        .withPadValue(spec.preprocessing().airValue());
        return new SegmentationPredictor(model, net, spec, w, false, null);
    }

    /** Loads a checkpoint written by the segmentation trainer. */
    public static SegmentationPredictor load(Path checkpoint) throws IOException {
        SegmentationCheckpoint.Loaded l = SegmentationCheckpoint.read(checkpoint);
        return of(l.model(), l.spec());
    }

    /** One call: load the checkpoint and segment {@code image}. */
    public static Volume predict(Path checkpoint, Volume image) throws IOException {
        return load(checkpoint).predict(image);
    }

    public SegmentationPredictor withWindow(SlidingWindow w) {
        SegmentationInference.checkedPatch(net, w.patchSize());
        return new SegmentationPredictor(model, net, spec, w, largestComponent, progress);
    }

    /** Mirror test-time augmentation. */
    public SegmentationPredictor withTta(boolean tta) {
        return withWindow(window.withFlipTta(tta));
    }

    /** Keeps only the largest connected component of every label. */
    public SegmentationPredictor withLargestComponent(boolean keep) {
        return new SegmentationPredictor(model, net, spec, window, keep, progress);
    }

    /** Receives (windows done, windows total). */
    public SegmentationPredictor withProgress(SlidingWindow.Progress p) {
        return new SegmentationPredictor(model, net, spec, window, largestComponent, p);
    }

    public SegmentationCheckpoint.Spec spec() {
        return spec;
    }

    public SegmentationNetwork network() {
        return net;
    }

    public Model model() {
        return model;
    }

    public SlidingWindow window() {
        return window;
    }

    /** Class probabilities {@code [K, D, H, W]} on the input's grid, with the input's affine. */
    public Volume probabilities(Volume image) {
        return probabilities(image, null);
    }

    /**
     * Class probabilities on the input's grid; {@code markers} (input voxel indices d, h, w) are
     * required for a saliency-guided network and ignored otherwise.
     */
    public Volume probabilities(Volume image, List<int[]> markers) {
        Preprocessing p = spec.preprocessing();
        Preprocessing.Prepared prep = p.image(image);
        INDArray x = prep.image();
        if (net instanceof SaliencyGuidedUnet s) {
            if (markers == null) {
                throw new IllegalArgumentException(
                        "a saliency-guided network needs marker coordinates (empty list for none)");
            }
            List<int[]> mapped = new ArrayList<>();
            int[] orig = prep.geometry().originalShape();
            for (int[] m : markers) {
                if (m.length != 3) {
                    throw new IllegalArgumentException(
                            "marker "
                                    + java.util.Arrays.toString(m)
                                    + " needs 3 indices (d, h, w)");
                }
                for (int a = 0; a < 3; a++) {
                    if (m[a] < 0 || m[a] >= orig[a]) {
                        throw new IllegalArgumentException(
                                "marker "
                                        + java.util.Arrays.toString(m)
                                        + " lies outside the volume "
                                        + java.util.Arrays.toString(orig));
                    }
                }
                mapped.add(prep.geometry().toPreprocessedIndex(m));
            }
            int[] shape = prep.geometry().shape();
            INDArray sal =
                    SaliencyMaps.fromMarkersArray(
                            shape, mapped, prep.geometry().spacingMm(), s.sigmaMm());
            x = Nd4j.concat(0, x, sal.reshape(1, shape[0], shape[1], shape[2]));
        }
        INDArray logits = SegmentationInference.outputs(model, net, x, window, progress);
        INDArray probs = SegmentationInference.softmax(logits);
        INDArray back = prep.geometry().toOriginal(probs);
        return image.withData(back);
    }

    /** The label map (INT32, input's spatial shape and affine). */
    public Volume predict(Volume image) {
        return predict(image, null);
    }

    /** The label map; {@code markers} as in {@link #probabilities(Volume, List)}. */
    public Volume predict(Volume image, List<int[]> markers) {
        Volume probs = probabilities(image, markers);
        INDArray labels = LabelOps.argmax(probs.data(), 0);
        if (largestComponent) {
            labels =
                    ConnectedComponents.keepLargestPerLabel(
                            labels, ConnectedComponents.Connectivity.of(26));
        }
        return image.withData(labels);
    }

    /** Volume (mL) of every non-zero label of a label-map volume, from its spacing. */
    public static SortedMap<Integer, Double> volumesMl(Volume labels) {
        INDArray d = labels.data();
        int[] shape = VoxelArrays.shapeOf(d);
        if (shape.length != 3) {
            throw new IllegalArgumentException(
                    "volumes need a [D, H, W] label map, got " + java.util.Arrays.toString(shape));
        }
        return LabelOps.volumesMl(d, labels.spacingDhw());
    }
}
