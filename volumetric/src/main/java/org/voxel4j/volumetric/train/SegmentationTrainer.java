package org.voxel4j.volumetric.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxel4j.nn.Checkpoint;
import org.voxel4j.nn.InputSpec;
import org.voxel4j.nn.Model;
import org.voxel4j.nn.Module;
import org.voxel4j.nn.losses.DiceCeLoss;
import org.voxel4j.nn.optim.Adam;
import org.voxel4j.nn.optim.LrSchedule;
import org.voxel4j.nn.optim.Optimizer;
import org.voxel4j.nn.optim.Sgd;
import org.voxel4j.nn.train.Objective;
import org.voxel4j.nn.train.Trainer;
import org.voxel4j.nn.train.TrainingHistory;
import org.voxel4j.volumetric.data.PatchDataset;
import org.voxel4j.volumetric.data.Preprocessing;
import org.voxel4j.volumetric.data.SegmentationCase;
import org.voxel4j.volumetric.data.SegmentationData;
import org.voxel4j.volumetric.inference.SegmentationInference;
import org.voxel4j.volumetric.inference.SlidingWindow;
import org.voxel4j.volumetric.metrics.CaseMetrics;
import org.voxel4j.volumetric.metrics.LabelMetrics;
import org.voxel4j.volumetric.metrics.SegmentationMetrics;
import org.voxel4j.volumetric.metrics.SegmentationMetricsConfig;
import org.voxel4j.volumetric.nets.AttentionUnet;
import org.voxel4j.volumetric.nets.SaliencyGuidedUnet;
import org.voxel4j.volumetric.nets.SegmentationNets;
import org.voxel4j.volumetric.nets.SegmentationNetwork;
import org.voxel4j.volumetric.transforms.Augmentation;
import org.voxel4j.volumetric.transforms.LabelOps;

/**
 * Trains a segmentation network on preprocessed cases ({@link SegmentationData}) and writes a run
 * folder:
 *
 * <pre>
 *   model.v4j    final weights + configuration + "segmentation" section (preprocessing, patch size,
 *                label names): what {@code SegmentationPredictor.load} reads
 *   best.v4j     the same for the epoch with the best validation Dice (with validation cases)
 *   last.v4j     full trainer state after the latest epoch, for {@code resume}
 *   loss.csv     loss per optimiser step;  epochs.csv  mean loss and validation Dice per epoch
 *   loss.png     loss curve with validation Dice
 * </pre>
 *
 * Training samples are random patches ({@link PatchDataset}: foreground oversampling, seeded
 * augmentation); the objective is a loss module (default {@link DiceCeLoss#nnUNet nnU-Net's Dice +
 * CE} with batch Dice) wrapped in {@link DeepSupervision} (heads halved per level for U-Net and
 * STU-Net, mean over heads for the attention U-Net), or any {@link Objective}. Validation runs
 * sliding-window inference on the held-out cases (preprocessed grid) and reports the mean
 * foreground Dice ({@code "dice"}) through the metrics package.
 *
 * <p>Defaults follow the papers: {@link #nnUNet} (SGD, Nesterov momentum 0.99, lr 1e-2, poly decay
 * with exponent 0.9, weight decay 3e-5, foreground probability 0.33; STU-Net uses the same) and
 * {@link #turbolift} (Adam, lr 1e-3, constant). Serial transfer (Turbolift's "continue on the next
 * task from the previous weights", STU-Net fine-tuning) is {@link #continueFrom}.
 */
public final class SegmentationTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentationTrainer.class);

    /** Learning-rate schedule kinds. */
    public enum Schedule {
        CONSTANT,
        /** nnU-Net's {@code lr · (1 − step/total)^0.9}. */
        POLY
    }

    /** What a run produced. */
    public record Result(
            Path model,
            Path best,
            TrainingHistory history,
            double bestDice,
            double seconds,
            long steps) {}

    private final Builder b;

    private SegmentationTrainer(Builder b) {
        this.b = b;
    }

    /** A builder with nnU-Net's optimiser and schedule. */
    public static Builder nnUNet(SegmentationNetwork net) {
        return new Builder(net)
                .optimizer(Sgd.nesterov(0.99).withWeightDecay(3e-5))
                .learningRate(1e-2)
                .schedule(Schedule.POLY)
                .foregroundProbability(0.33);
    }

    /** A builder with Turbolift's optimiser (Adam 1e-3, constant) and mean-over-heads loss. */
    public static Builder turbolift(SegmentationNetwork net) {
        return new Builder(net)
                .optimizer(Adam.defaults())
                .learningRate(1e-3)
                .schedule(Schedule.CONSTANT)
                .headWeighting(DeepSupervision.Weighting.MEAN);
    }

    /**
     * The paper defaults of the network's family: Turbolift for the attention U-Net, else nnU-Net.
     */
    public static Builder defaults(SegmentationNetwork net) {
        return net instanceof AttentionUnet ? turbolift(net) : nnUNet(net);
    }

    /**
     * A builder that continues from a segmentation checkpoint: its network (with a new head if
     * {@code numClasses} differs), preprocessing and patch size, all weights loaded except the
     * segmentation heads when the class count changes (STU-Net's fine-tuning rule); optimiser
     * defaults of the family with STU-Net's fine-tuning learning rate (1e-3) for SGD.
     */
    public static Builder continueFrom(Path checkpoint, int numClasses) throws IOException {
        SegmentationCheckpoint.Loaded l = SegmentationCheckpoint.read(checkpoint);
        SegmentationNetwork net = l.network();
        boolean sameHeads = net.numClasses() == numClasses;
        if (!sameHeads) {
            net = net.withNumClasses(numClasses);
        }
        Builder b = defaults(net);
        if (b.optimizer instanceof Sgd) {
            b.learningRate(1e-3);
        }
        b.patchSize(l.spec().patchSize().stream().mapToInt(Integer::intValue).toArray());
        b.initialWeights(checkpoint, sameHeads ? n -> true : SegmentationNets.HEADS.negate());
        b.expectedPreprocessing = l.spec().preprocessing();
        return b;
    }

    /**
     * Serial transfer in one call (Turbolift): continue from {@code checkpoint} on {@code data} for
     * {@code epochs} epochs, optionally freezing the parameters {@code freeze} selects (null =
     * none), writing the run to {@code outDir}.
     */
    public static Result continueFrom(
            Path checkpoint,
            SegmentationData data,
            int epochs,
            Predicate<String> freeze,
            Path outDir)
            throws IOException {
        Builder b = continueFrom(checkpoint, data.numClasses()).epochs(epochs);
        if (freeze != null) {
            b.freeze(freeze);
        }
        return b.build().fit(data, outDir);
    }

    /** The model (fresh or with initial weights) this trainer will train, without training. */
    public Model createModel(int imageChannels) throws IOException {
        SegmentationNetwork net = b.network;
        int expected = net.inChannels() - (net instanceof SaliencyGuidedUnet ? 1 : 0);
        if (imageChannels != expected) {
            throw new IllegalArgumentException(
                    net.getClass().getSimpleName()
                            + " expects "
                            + expected
                            + " image channel(s), the data has "
                            + imageChannels);
        }
        long[] shape = new long[2 + net.spatialDims()];
        Arrays.fill(shape, -1);
        shape[1] = net.inChannels();
        Model m = Model.create(net, b.seed, InputSpec.of("image", shape));
        if (b.initialWeights != null) {
            Model.LoadReport r = m.loadWeights(b.initialWeights, b.initialFilter);
            LOG.info(
                    "initial weights from {}: {} loaded, {} skipped, {} not in the checkpoint",
                    b.initialWeights,
                    r.loaded().size(),
                    r.skipped().size(),
                    r.missing().size());
            if (r.loaded().isEmpty()) {
                throw new IllegalArgumentException(
                        b.initialWeights + " holds no weight this network can use");
            }
        }
        if (b.freeze != null) {
            int n = m.parameters().freeze(b.freeze);
            LOG.info("froze {} parameter arrays", n);
        }
        return m;
    }

    /** Trains on {@code data} and writes the run folder {@code outDir}. */
    public Result fit(SegmentationData data, Path outDir) throws IOException {
        SegmentationNetwork net = b.network;
        if (data.numClasses() != net.numClasses()) {
            throw new IllegalArgumentException(
                    "the network predicts "
                            + net.numClasses()
                            + " classes, the data has "
                            + data.numClasses()
                            + " labels "
                            + data.labelNames());
        }
        if (b.expectedPreprocessing != null
                && !b.expectedPreprocessing.equals(data.preprocessing())) {
            LOG.warn(
                    "the data was preprocessed with {} but the checkpoint used {}",
                    data.preprocessing(),
                    b.expectedPreprocessing);
        }
        int[] patch = b.patchSize;
        if (patch == null) {
            throw new IllegalArgumentException("set a patch size");
        }
        net.checkInputSize(patch);
        Files.createDirectories(outDir);
        Model model = createModel(data.imageChannels());
        SegmentationCheckpoint.Spec spec =
                new SegmentationCheckpoint.Spec(
                        data.preprocessing(),
                        Arrays.stream(patch).boxed().toList(),
                        data.labelNames());
        PatchDataset train =
                new PatchDataset(
                        data.training(),
                        patch,
                        b.samplesPerEpoch > 0 ? b.samplesPerEpoch : data.training().size(),
                        b.foregroundProbability,
                        b.augmentation,
                        net instanceof SaliencyGuidedUnet s ? s : null,
                        data.preprocessing().airValue());
        int batches = (train.size() + b.batchSize - 1) / b.batchSize;
        long totalSteps = (long) b.epochs * batches;
        LrSchedule schedule =
                b.schedule == Schedule.POLY
                        ? LrSchedule.poly(b.learningRate, totalSteps, 0.9)
                        : LrSchedule.constant(b.learningRate);
        Objective objective = b.objective;
        if (objective == null) {
            Module loss = b.loss != null ? b.loss : DiceCeLoss.nnUNet(true);
            DeepSupervision.Weighting w =
                    b.headWeighting != null
                            ? b.headWeighting
                            : net instanceof AttentionUnet
                                    ? DeepSupervision.Weighting.MEAN
                                    : DeepSupervision.Weighting.HALVING;
            objective =
                    new DeepSupervision(
                            Objective.of(loss), w, false, DeepSupervision.Downsampling.NEAREST, 0);
        }
        Path last = outDir.resolve("last.v4j");
        Path best = outDir.resolve("best.v4j");
        Path finalModel = outDir.resolve("model.v4j");
        SlidingWindow window =
                SlidingWindow.of(spec.patchSize())
                        .withPadValue(data.preprocessing().airValue())
                        .withBatchSize(1);
        double[] bestDice = {Double.NaN};
        Trainer[] holder = new Trainer[1];
        Trainer.Builder tb =
                Trainer.builder(model)
                        .objective(objective)
                        .optimizer(b.optimizer)
                        .schedule(schedule)
                        .batchSize(b.batchSize)
                        .epochs(b.epochs)
                        .seed(b.seed)
                        .progressBar(b.progressBar)
                        .listener(
                                new Trainer.TrainingListener() {
                                    @Override
                                    public void onEpoch(TrainingHistory.EpochRecord r) {
                                        try {
                                            holder[0].save(last);
                                            SegmentationCheckpoint.addSpec(last, spec);
                                            Double dice = r.metrics().get("dice");
                                            if (dice != null
                                                    && (Double.isNaN(bestDice[0])
                                                            || dice > bestDice[0])) {
                                                bestDice[0] = dice;
                                                SegmentationCheckpoint.writeModel(
                                                        best, model, spec);
                                            }
                                            if (b.epochListener != null) {
                                                b.epochListener.onEpoch(r);
                                            }
                                        } catch (IOException e) {
                                            throw new java.io.UncheckedIOException(e);
                                        }
                                    }
                                });
        if (!data.validation().isEmpty() && b.validateEvery > 0) {
            tb.validation(
                    (m, epoch) -> validate(m, net, data.validation(), window), b.validateEvery);
        }
        Trainer trainer = tb.build();
        holder[0] = trainer;
        if (b.resume && Files.isRegularFile(last)) {
            trainer.resume(last);
            for (TrainingHistory.EpochRecord e : trainer.history().epochs()) {
                Double d = e.metrics().get("dice");
                if (d != null && (Double.isNaN(bestDice[0]) || d > bestDice[0])) {
                    bestDice[0] = d;
                }
            }
        }
        long t0 = System.nanoTime();
        TrainingHistory h;
        try {
            h = trainer.fit(train);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        SegmentationCheckpoint.writeModel(finalModel, model, spec);
        h.writeStepsCsv(outDir.resolve("loss.csv"));
        h.writeEpochsCsv(outDir.resolve("epochs.csv"));
        h.writeLossPlot(outDir.resolve("loss.png"), net.getClass().getSimpleName() + " training");
        return new Result(
                finalModel,
                Files.isRegularFile(best) ? best : null,
                h,
                bestDice[0],
                seconds,
                trainer.step());
    }

    /**
     * Mean foreground Dice of {@code model} on preprocessed cases (sliding window, argmax), over
     * cases and the labels 1..K-1. A saliency-guided network gets markers simulated from each
     * case's reference (one per structure, seeded by the case index).
     */
    public static Map<String, Double> validate(
            Model model,
            SegmentationNetwork net,
            List<SegmentationCase> cases,
            SlidingWindow window) {
        double sum = 0;
        int n = 0;
        int[] labels = new int[net.numClasses() - 1];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i + 1;
        }
        SegmentationMetricsConfig cfg = SegmentationMetricsConfig.defaults().withLabels(labels);
        for (int ci = 0; ci < cases.size(); ci++) {
            SegmentationCase c = cases.get(ci);
            INDArray x = c.image();
            if (net instanceof SaliencyGuidedUnet s) {
                List<int[]> markers =
                        s.simulateMarkers(
                                org.voxel4j.volumetric.transforms.VoxelArrays.toLabels(c.label()),
                                c.shape(),
                                new java.util.Random(ci));
                x = s.input(x, markers, c.spacingMm());
            }
            INDArray out = SegmentationInference.outputs(model, net, x, window, null);
            INDArray pred = LabelOps.argmax(out, 0);
            CaseMetrics m =
                    SegmentationMetrics.labelMaps(c.id(), pred, c.label(), c.spacingMm(), cfg);
            for (LabelMetrics lm : m.labels()) {
                sum += lm.dice();
                n++;
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("dice", n == 0 ? Double.NaN : sum / n);
        return out;
    }

    /** Builder of a {@link SegmentationTrainer}; {@link #defaults} picks the family's settings. */
    public static final class Builder {
        private final SegmentationNetwork network;
        private int[] patchSize;
        private int epochs = 1;
        private int samplesPerEpoch = -1;
        private int batchSize = 2;
        private Optimizer optimizer = Adam.defaults();
        private double learningRate = 1e-3;
        private Schedule schedule = Schedule.CONSTANT;
        private Module loss;
        private Objective objective;
        private DeepSupervision.Weighting headWeighting;
        private double foregroundProbability = 0.33;
        private Augmentation augmentation = Augmentation.defaults();
        private long seed = 42;
        private int validateEvery = 1;
        private boolean progressBar = false;
        private boolean resume = false;
        private Path initialWeights;
        private Predicate<String> initialFilter = n -> true;
        private Predicate<String> freeze;
        private Preprocessing expectedPreprocessing;
        private Trainer.TrainingListener epochListener;

        private Builder(SegmentationNetwork network) {
            if (network == null) {
                throw new IllegalArgumentException("network must not be null");
            }
            this.network = network;
        }

        public SegmentationNetwork network() {
            return network;
        }

        /** Training patch size (also the inference window), one entry per network axis. */
        public Builder patchSize(int... p) {
            if (p.length != network.spatialDims()) {
                throw new IllegalArgumentException(
                        "patch size "
                                + Arrays.toString(p)
                                + " needs "
                                + network.spatialDims()
                                + " entries for a "
                                + network.spatialDims()
                                + "D network");
            }
            network.checkInputSize(p);
            this.patchSize = p.clone();
            return this;
        }

        public Builder epochs(int e) {
            if (e < 1) {
                throw new IllegalArgumentException("epochs must be >= 1, got " + e);
            }
            this.epochs = e;
            return this;
        }

        /** Patches per epoch (default: one per training case). */
        public Builder samplesPerEpoch(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("samplesPerEpoch must be >= 1, got " + n);
            }
            this.samplesPerEpoch = n;
            return this;
        }

        public Builder batchSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, got " + n);
            }
            this.batchSize = n;
            return this;
        }

        public Builder optimizer(Optimizer o) {
            if (o == null) {
                throw new IllegalArgumentException("optimizer must not be null");
            }
            this.optimizer = o;
            return this;
        }

        public Builder learningRate(double lr) {
            if (!(lr > 0) || Double.isInfinite(lr)) {
                throw new IllegalArgumentException("learningRate must be > 0, got " + lr);
            }
            this.learningRate = lr;
            return this;
        }

        public Builder schedule(Schedule s) {
            this.schedule = s;
            return this;
        }

        /**
         * A loss module {@code (logits, labels) → scalar}, wrapped in deep supervision (default
         * {@code DiceCeLoss.nnUNet(true)}).
         */
        public Builder loss(Module l) {
            this.loss = l;
            return this;
        }

        /** A complete objective (replaces loss and deep-supervision settings). */
        public Builder objective(Objective o) {
            this.objective = o;
            return this;
        }

        /** How deep-supervision heads are weighted (default by family). */
        public Builder headWeighting(DeepSupervision.Weighting w) {
            this.headWeighting = w;
            return this;
        }

        public Builder foregroundProbability(double p) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("foregroundProbability must be in [0, 1]");
            }
            this.foregroundProbability = p;
            return this;
        }

        public Builder augmentation(Augmentation a) {
            this.augmentation = a == null ? Augmentation.none() : a;
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** Validate every {@code n} epochs (0 = never). */
        public Builder validateEvery(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("validateEvery must be >= 0, got " + n);
            }
            this.validateEvery = n;
            return this;
        }

        public Builder progressBar(boolean p) {
            this.progressBar = p;
            return this;
        }

        /** Continue from {@code outDir/last.v4j} if it exists. */
        public Builder resume(boolean r) {
            this.resume = r;
            return this;
        }

        /** Start from the weights of a checkpoint whose names pass {@code filter}. */
        public Builder initialWeights(Path checkpoint, Predicate<String> filter) {
            this.initialWeights = checkpoint;
            this.initialFilter = filter == null ? n -> true : filter;
            return this;
        }

        /** Freeze the parameters whose names match (e.g. {@code n -> n.startsWith("enc")}). */
        public Builder freeze(Predicate<String> names) {
            this.freeze = names;
            return this;
        }

        /** Called after every epoch (after the checkpoints are written). */
        public Builder onEpoch(Trainer.TrainingListener l) {
            this.epochListener = l;
            return this;
        }

        public SegmentationTrainer build() {
            if (patchSize == null) {
                throw new IllegalArgumentException("a segmentation trainer needs a patch size");
            }
            return new SegmentationTrainer(this);
        }
    }

    /** Checkpoint files of a run directory, for tools. */
    public static List<Path> checkpoints(Path outDir) {
        List<Path> out = new ArrayList<>();
        for (String n : new String[] {"model.v4j", "best.v4j", "last.v4j"}) {
            if (Files.isRegularFile(outDir.resolve(n))) {
                out.add(outDir.resolve(n));
            }
        }
        return out;
    }

    /** True if {@code file} is a checkpoint with trainer state (resumable). */
    public static boolean hasTrainerState(Path file) throws IOException {
        return Checkpoint.read(file).header().has("trainer");
    }
}
