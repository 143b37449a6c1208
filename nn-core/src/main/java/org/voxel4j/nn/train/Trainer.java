package org.voxel4j.nn.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxel4j.nn.Checkpoint;
import org.voxel4j.nn.CheckpointException;
import org.voxel4j.nn.Graphs;
import org.voxel4j.nn.Model;
import org.voxel4j.nn.ModuleTypes;
import org.voxel4j.nn.OffHeapMemory;
import org.voxel4j.nn.ParameterStore;
import org.voxel4j.nn.engine.Engine;
import org.voxel4j.nn.optim.GradientClipping;
import org.voxel4j.nn.optim.LrSchedule;
import org.voxel4j.nn.optim.Optimizer;

/**
 * Fits a {@link Model} to a {@link Dataset}: shuffled mini-batches, an {@link Objective} built into
 * the training graph, an {@link Optimizer} with an {@link LrSchedule}, gradient accumulation and
 * clipping, validation with early stopping, periodic checkpoints and exact resume.
 *
 * <p>Determinism: the epoch permutation, each sample's generator and the ND4J random stream of each
 * step (dropout masks) derive from the seed, the epoch, the index and the step alone. A run of k
 * steps, saved, loaded and continued for m steps therefore equals a run of k + m steps.
 */
public final class Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    private final Model model;
    private final Objective objective;
    private final Optimizer optimizer;
    private final LrSchedule schedule;
    private final int batchSize;
    private final int epochs;
    private final long maxSteps;
    private final int accumulate;
    private final double clipNorm;
    private final long seed;
    private final boolean shuffle;
    private final Validator validator;
    private final int validateEvery;
    private final String monitor;
    private final boolean higherIsBetter;
    private final int patience;
    private final long checkpointEvery;
    private final Path checkpointFile;
    private final Path bestFile;
    private final boolean progressBar;
    private final List<TrainingListener> listeners;

    private long step;
    private int epoch;
    private int batchInEpoch;
    private double bestMetric = Double.NaN;
    private int badEpochs;
    private boolean stopped;
    private TrainingHistory history = new TrainingHistory();
    private final Map<String, Map<String, INDArray>> optState = new LinkedHashMap<>();
    private TrainGraph graph;

    /** Receives a call after every optimiser step and every epoch. */
    public interface TrainingListener {
        default void onStep(TrainingHistory.StepRecord r) {}

        default void onEpoch(TrainingHistory.EpochRecord r) {}
    }

    private Trainer(Builder b) {
        this.model = b.model;
        this.objective = b.objective;
        this.optimizer = b.optimizer;
        this.schedule = b.schedule;
        this.batchSize = b.batchSize;
        this.epochs = b.epochs;
        this.maxSteps = b.maxSteps;
        this.accumulate = b.accumulate;
        this.clipNorm = b.clipNorm;
        this.seed = b.seed;
        this.shuffle = b.shuffle;
        this.validator = b.validator;
        this.validateEvery = b.validateEvery;
        this.monitor = b.monitor;
        this.higherIsBetter = b.higherIsBetter;
        this.patience = b.patience;
        this.checkpointEvery = b.checkpointEvery;
        this.checkpointFile = b.checkpointFile;
        this.bestFile = b.bestFile;
        this.progressBar = b.progressBar;
        this.listeners = List.copyOf(b.listeners);
    }

    public static Builder builder(Model model) {
        return new Builder(model);
    }

    public Model model() {
        return model;
    }

    /** Optimiser steps done so far. */
    public long step() {
        return step;
    }

    /** Completed epochs. */
    public int epoch() {
        return epoch;
    }

    public TrainingHistory history() {
        return history;
    }

    /** Best value of the monitored metric so far (NaN before the first validation). */
    public double bestMetric() {
        return bestMetric;
    }

    /** Whether early stopping ended training. */
    public boolean stoppedEarly() {
        return stopped;
    }

    // ---------------------------------------------------------------- training loop

    /** Trains until the configured epochs or steps are done, or early stopping triggers. */
    public TrainingHistory fit(Dataset data) throws IOException {
        if (data.size() <= 0) {
            throw new IllegalArgumentException("the training dataset is empty");
        }
        int n = data.size();
        int batches = (n + batchSize - 1) / batchSize;
        long optimiserStepsPerEpoch = (batches + accumulate - 1) / accumulate;
        long total =
                Math.min(
                        maxSteps > 0 ? maxSteps : Long.MAX_VALUE,
                        (long) epochs * optimiserStepsPerEpoch);
        ExecutorService loader =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, "voxel4j-loader");
                            t.setDaemon(true);
                            return t;
                        });
        ProgressBar pb = progressBar ? newBar(total) : null;
        try {
            while (epoch < epochs && !stopped && (maxSteps <= 0 || step < maxSteps)) {
                int[] perm = permutation(n, epoch);
                double lossSum = 0;
                int lossCount = 0;
                int micro = 0;
                double microLoss = 0;
                Map<String, INDArray> acc = null;
                Future<Batch> next = loader.submit(loadTask(data, perm, epoch, batchInEpoch));
                int b = batchInEpoch;
                while (b < batches) {
                    Batch batch = get(next);
                    if (b + 1 < batches) {
                        next = loader.submit(loadTask(data, perm, epoch, b + 1));
                    }
                    Nd4j.getRandom().setSeed(mix(seed, 0x5EEDL, step * accumulate + micro));
                    StepOutput out = forwardBackward(batch);
                    microLoss += out.loss;
                    acc = accumulateInto(acc, out.grads, micro == 0);
                    micro++;
                    b++;
                    if (micro == accumulate || b == batches) {
                        double loss = microLoss / micro;
                        double gnorm = apply(acc, micro);
                        batchInEpoch = b;
                        OffHeapMemory.maybeCollect();
                        TrainingHistory.StepRecord rec =
                                new TrainingHistory.StepRecord(
                                        step, epoch, loss, schedule.at(step - 1), gnorm);
                        history.add(rec);
                        listeners.forEach(l -> l.onStep(rec));
                        lossSum += loss;
                        lossCount++;
                        micro = 0;
                        microLoss = 0;
                        acc = null;
                        if (pb != null) {
                            pb.stepTo(Math.min(step, total));
                            pb.setExtraMessage(
                                    String.format(
                                            Locale.ROOT, "epoch %d loss %.4f", epoch + 1, loss));
                        }
                        if (!Double.isFinite(loss)) {
                            throw new IllegalStateException(
                                    "training diverged: loss is " + loss + " at step " + step);
                        }
                        if (checkpointEvery > 0 && step % checkpointEvery == 0) {
                            save(checkpointFile);
                        }
                        if (maxSteps > 0 && step >= maxSteps) {
                            break;
                        }
                    }
                }
                if (batchInEpoch >= batches) {
                    finishEpoch(lossCount == 0 ? Double.NaN : lossSum / lossCount);
                }
            }
        } finally {
            loader.shutdownNow();
            if (pb != null) {
                pb.close();
            }
        }
        return history;
    }

    private void finishEpoch(double meanLoss) throws IOException {
        epoch++;
        batchInEpoch = 0;
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (validator != null && epoch % validateEvery == 0) {
            metrics.putAll(validator.validate(model, epoch));
        }
        TrainingHistory.EpochRecord rec =
                new TrainingHistory.EpochRecord(epoch, step, meanLoss, metrics);
        history.add(rec);
        listeners.forEach(l -> l.onEpoch(rec));
        LOG.info("epoch {} step {} loss {} {}", epoch, step, meanLoss, metrics);
        if (monitor != null && metrics.containsKey(monitor)) {
            double v = metrics.get(monitor);
            boolean better =
                    Double.isNaN(bestMetric) || (higherIsBetter ? v > bestMetric : v < bestMetric);
            if (better) {
                bestMetric = v;
                badEpochs = 0;
                if (bestFile != null) {
                    save(bestFile);
                }
            } else if (++badEpochs >= patience && patience > 0) {
                stopped = true;
                LOG.info(
                        "early stopping at epoch {}: {} did not improve for {} epochs (best {})",
                        epoch,
                        monitor,
                        badEpochs,
                        bestMetric);
            }
        }
    }

    /**
     * One optimiser step on one batch (inputs and targets with a batch axis), outside {@link #fit}:
     * for benchmarks and custom loops. Returns the loss.
     */
    public double trainStep(INDArray[] inputs, INDArray[] targets) {
        Nd4j.getRandom().setSeed(mix(seed, 0x5EEDL, step * accumulate));
        StepOutput out = forwardBackward(new Batch(inputs, targets));
        apply(out.grads, 1);
        OffHeapMemory.maybeCollect();
        TrainingHistory.StepRecord rec =
                new TrainingHistory.StepRecord(
                        step, epoch, out.loss, schedule.at(step - 1), Double.NaN);
        history.add(rec);
        return out.loss;
    }

    private record Batch(INDArray[] inputs, INDArray[] targets) {}

    private record StepOutput(double loss, Map<String, INDArray> grads) {}

    private java.util.concurrent.Callable<Batch> loadTask(Dataset data, int[] perm, int ep, int b) {
        return () -> {
            int from = b * batchSize;
            int to = Math.min(perm.length, from + batchSize);
            List<Sample> samples = new ArrayList<>();
            for (int i = from; i < to; i++) {
                samples.add(data.get(perm[i], new SplittableRandom(mix(seed, ep, perm[i]))));
            }
            return collate(samples);
        };
    }

    private static Batch get(Future<Batch> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while loading a batch", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException("loading a batch failed: " + c, c);
        }
    }

    static Batch collate(List<Sample> samples) {
        Sample first = samples.get(0);
        INDArray[] in = new INDArray[first.inputs().size()];
        INDArray[] tg = new INDArray[first.targets().size()];
        for (int k = 0; k < in.length; k++) {
            in[k] = stack(samples, k, true);
        }
        for (int k = 0; k < tg.length; k++) {
            tg[k] = stack(samples, k, false);
        }
        return new Batch(in, tg);
    }

    private static INDArray stack(List<Sample> samples, int k, boolean input) {
        INDArray[] parts = new INDArray[samples.size()];
        for (int i = 0; i < parts.length; i++) {
            List<INDArray> l = input ? samples.get(i).inputs() : samples.get(i).targets();
            if (l.size() <= k) {
                throw new IllegalArgumentException(
                        "sample "
                                + i
                                + " of the batch has "
                                + l.size()
                                + " "
                                + (input ? "inputs" : "targets"));
            }
            parts[i] = l.get(k);
            if (!Arrays.equals(parts[i].shape(), parts[0].shape())) {
                throw new IllegalArgumentException(
                        "samples of one batch must have equal shapes: "
                                + Arrays.toString(parts[0].shape())
                                + " vs "
                                + Arrays.toString(parts[i].shape())
                                + " ("
                                + (input ? "input " : "target ")
                                + k
                                + ")");
            }
        }
        return Nd4j.stack(0, parts);
    }

    private StepOutput forwardBackward(Batch batch) {
        if (graph == null) {
            graph = new TrainGraph(batch.targets);
        }
        Map<String, INDArray> feed = new LinkedHashMap<>();
        for (int i = 0; i < batch.inputs.length; i++) {
            model.inputs().get(i).check(batch.inputs[i]);
            feed.put(model.inputs().get(i).name(), batch.inputs[i].castTo(model.dataType()));
        }
        if (batch.targets.length != graph.targets.size()) {
            throw new IllegalArgumentException(
                    "expected " + graph.targets.size() + " target(s), got " + batch.targets.length);
        }
        for (int i = 0; i < batch.targets.length; i++) {
            feed.put(graph.targets.get(i).name(), batch.targets[i].castTo(model.dataType()));
        }
        List<String> outputs = new ArrayList<>();
        outputs.add(graph.loss.name());
        graph.bufferUpdates.values().forEach(v -> outputs.add(v.name()));
        List<String> trainable = model.parameters().trainableNames();
        // The engine keeps SameDiff's array cache on (calculateGradientsAndOutputs turns it off),
        // so activations and gradients are reused across ops and steps instead of reallocated.
        Engine.Gradients r = Engine.gradients(graph.sd, feed, outputs, trainable);
        double loss = r.outputs().get(graph.loss.name()).getDouble(0);
        ParameterStore store = model.parameters();
        graph.bufferUpdates.forEach((name, v) -> store.get(name).assign(r.outputs().get(v.name())));
        return new StepOutput(loss, r.gradients());
    }

    private static Map<String, INDArray> accumulateInto(
            Map<String, INDArray> acc, Map<String, INDArray> grads, boolean first) {
        if (first || acc == null) {
            Map<String, INDArray> copy = new LinkedHashMap<>();
            grads.forEach((k, v) -> copy.put(k, v.dup()));
            return copy;
        }
        grads.forEach((k, v) -> acc.get(k).addi(v));
        return acc;
    }

    /** Averages accumulated gradients, clips, and updates every trainable parameter. */
    private double apply(Map<String, INDArray> grads, int micro) {
        if (micro > 1) {
            grads.values().forEach(g -> g.divi(micro));
        }
        double norm =
                clipNorm > 0
                        ? GradientClipping.clipByGlobalNorm(grads.values(), clipNorm)
                        : Double.NaN;
        double lr = schedule.at(step);
        step++;
        ParameterStore store = model.parameters();
        for (String name : store.trainableNames()) {
            INDArray g = grads.get(name);
            if (g == null) {
                // A parameter the loss does not depend on: PyTorch skips it (grad is None).
                continue;
            }
            optimizer.update(store.get(name), g, stateOf(name), lr, step);
        }
        return norm;
    }

    private Map<String, INDArray> stateOf(String name) {
        return optState.computeIfAbsent(
                name,
                k -> {
                    Map<String, INDArray> m = new LinkedHashMap<>();
                    INDArray p = model.parameters().get(k);
                    for (String s : optimizer.stateNames()) {
                        m.put(s, Nd4j.zeros(p.dataType(), p.shape()));
                    }
                    return m;
                });
    }

    private int[] permutation(int n, int ep) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        if (shuffle) {
            SplittableRandom r = new SplittableRandom(mix(seed, 0xE90C4L, ep));
            for (int i = n - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
        }
        return p;
    }

    static long mix(long a, long b, long c) {
        long z = a * 0x9E3779B97F4A7C15L + b * 0xC2B2AE3D27D4EB4FL + c * 0x165667B19E3779F9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private ProgressBar newBar(long total) {
        return new ProgressBarBuilder()
                .setTaskName("train")
                .setInitialMax(total == Long.MAX_VALUE ? -1 : total)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" steps", 1)
                .showSpeed()
                .setUpdateIntervalMillis(250)
                .startsFrom(step, java.time.Duration.ZERO)
                .build();
    }

    /** The training graph: network in train mode, target placeholders and the loss. */
    private final class TrainGraph {
        final SameDiff sd = SameDiff.create();
        final List<SDVariable> targets = new ArrayList<>();
        final SDVariable loss;
        final Map<String, SDVariable> bufferUpdates;

        TrainGraph(INDArray[] exampleTargets) {
            Model.Graph g = model.build(sd, true);
            for (int i = 0; i < exampleTargets.length; i++) {
                long[] shape = new long[exampleTargets[i].rank()];
                Arrays.fill(shape, -1);
                targets.add(sd.placeHolder("target" + i, model.dataType(), shape));
            }
            loss = objective.loss(g.scope(), g.output(), targets.toArray(SDVariable[]::new));
            if (loss == null) {
                throw new IllegalStateException("the objective returned no loss variable");
            }
            sd.setLossVariables(loss);
            Graphs.prepareGradients(sd);
            bufferUpdates = new LinkedHashMap<>(g.scope().bufferUpdates());
        }
    }

    // ---------------------------------------------------------------- checkpoints

    /** Writes model, optimiser state and trainer position to one {@code .v4j} file. */
    public void save(Path file) throws IOException {
        ObjectNode h = model.header();
        ObjectNode t = h.putObject("trainer");
        t.put("step", step);
        t.put("epoch", epoch);
        t.put("batchInEpoch", batchInEpoch);
        t.put("seed", seed);
        t.put("batchSize", batchSize);
        t.put("accumulate", accumulate);
        t.set("optimizer", ModuleTypes.mapper().valueToTree(optimizer));
        t.put("bestMetric", bestMetric);
        t.put("badEpochs", badEpochs);
        t.set("history", history.toJson());
        Map<String, INDArray> tensors = model.tensors();
        optState.forEach((p, m) -> m.forEach((s, a) -> tensors.put("optim/" + p + "/" + s, a)));
        Checkpoint.write(file, h, tensors);
    }

    /**
     * Restores weights, optimiser state, step, epoch, position in the epoch and history from a
     * checkpoint written by {@link #save} for the same model configuration, so that training
     * continues exactly where it stopped.
     */
    public void resume(Path file) throws IOException {
        Checkpoint.Contents c = Checkpoint.read(file);
        JsonNode t = c.header().get("trainer");
        if (t == null || !t.isObject()) {
            throw new CheckpointException(
                    file,
                    "holds weights only (no trainer state); use Model.loadWeights to fine-tune");
        }
        Model stored = Model.fromCheckpoint(c);
        if (!stored.network().equals(model.network())) {
            throw new CheckpointException(
                    file,
                    "was written for a different network: "
                            + stored.network()
                            + " but this trainer's model is "
                            + model.network());
        }
        Optimizer storedOpt = ModuleTypes.mapper().treeToValue(t.get("optimizer"), Optimizer.class);
        if (!storedOpt.equals(optimizer)) {
            throw new CheckpointException(
                    file, "was trained with " + storedOpt + ", this trainer uses " + optimizer);
        }
        if (t.path("batchSize").asInt() != batchSize
                || t.path("accumulate").asInt() != accumulate
                || t.path("seed").asLong() != seed) {
            throw new CheckpointException(
                    file,
                    "exact resume needs the same batch size, accumulation and seed: stored "
                            + t.path("batchSize")
                            + "/"
                            + t.path("accumulate")
                            + "/"
                            + t.path("seed")
                            + ", given "
                            + batchSize
                            + "/"
                            + accumulate
                            + "/"
                            + seed);
        }
        model.copyWeights(c, n -> true, true);
        optState.clear();
        for (Map.Entry<String, INDArray> e : c.tensors().entrySet()) {
            String k = e.getKey();
            if (k.startsWith("optim/")) {
                int cut = k.lastIndexOf('/');
                String param = k.substring(6, cut);
                String state = k.substring(cut + 1);
                if (!model.parameters().contains(param)) {
                    throw new CheckpointException(
                            file, "optimiser state for unknown parameter '" + param + "'");
                }
                optState.computeIfAbsent(param, x -> new LinkedHashMap<>())
                        .put(state, e.getValue().castTo(model.dataType()));
            }
        }
        step = t.path("step").asLong();
        epoch = t.path("epoch").asInt();
        batchInEpoch = t.path("batchInEpoch").asInt();
        bestMetric = t.path("bestMetric").asDouble(Double.NaN);
        badEpochs = t.path("badEpochs").asInt();
        history = TrainingHistory.fromJson(t.path("history"));
        LOG.info("resumed from {} at step {}, epoch {}", file, step, epoch);
    }

    // ---------------------------------------------------------------- builder

    /** Configuration of a {@link Trainer}; {@code objective} and {@code optimizer} are required. */
    public static final class Builder {
        private final Model model;
        private Objective objective;
        private Optimizer optimizer;
        private LrSchedule schedule = LrSchedule.constant(1e-3);
        private int batchSize = 1;
        private int epochs = 1;
        private long maxSteps = -1;
        private int accumulate = 1;
        private double clipNorm = -1;
        private long seed = 42;
        private boolean shuffle = true;
        private Validator validator;
        private int validateEvery = 1;
        private String monitor;
        private boolean higherIsBetter = true;
        private int patience = 0;
        private long checkpointEvery = 0;
        private Path checkpointFile;
        private Path bestFile;
        private boolean progressBar = false;
        private final List<TrainingListener> listeners = new ArrayList<>();

        private Builder(Model model) {
            if (model == null) {
                throw new IllegalArgumentException("model must not be null");
            }
            this.model = model;
        }

        public Builder objective(Objective o) {
            this.objective = o;
            return this;
        }

        public Builder optimizer(Optimizer o) {
            this.optimizer = o;
            return this;
        }

        public Builder schedule(LrSchedule s) {
            this.schedule = s;
            return this;
        }

        /** Constant learning rate. */
        public Builder learningRate(double lr) {
            return schedule(LrSchedule.constant(lr));
        }

        public Builder batchSize(int b) {
            if (b <= 0) {
                throw new IllegalArgumentException("batchSize must be > 0, got " + b);
            }
            this.batchSize = b;
            return this;
        }

        public Builder epochs(int e) {
            if (e <= 0) {
                throw new IllegalArgumentException("epochs must be > 0, got " + e);
            }
            this.epochs = e;
            return this;
        }

        /** Stops after this many optimiser steps in total (across resumes). */
        public Builder maxSteps(long s) {
            if (s <= 0) {
                throw new IllegalArgumentException("maxSteps must be > 0, got " + s);
            }
            this.maxSteps = s;
            return this;
        }

        /** Averages gradients over {@code k} mini-batches per optimiser step. */
        public Builder accumulate(int k) {
            if (k <= 0) {
                throw new IllegalArgumentException("accumulate must be > 0, got " + k);
            }
            this.accumulate = k;
            return this;
        }

        public Builder clipGradNorm(double maxNorm) {
            if (!(maxNorm > 0)) {
                throw new IllegalArgumentException("clipGradNorm must be > 0, got " + maxNorm);
            }
            this.clipNorm = maxNorm;
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public Builder shuffle(boolean s) {
            this.shuffle = s;
            return this;
        }

        /** Runs {@code v} after every {@code everyEpochs} epochs. */
        public Builder validation(Validator v, int everyEpochs) {
            if (everyEpochs <= 0) {
                throw new IllegalArgumentException("everyEpochs must be > 0, got " + everyEpochs);
            }
            this.validator = v;
            this.validateEvery = everyEpochs;
            return this;
        }

        /**
         * Watches a validation metric: keeps the best value, writes {@code bestFile} (if not null)
         * when it improves, and stops after {@code patience} validations without improvement (0 =
         * never stop).
         */
        public Builder monitor(String metric, boolean higherIsBetter, int patience, Path bestFile) {
            if (patience < 0) {
                throw new IllegalArgumentException("patience must be >= 0, got " + patience);
            }
            this.monitor = metric;
            this.higherIsBetter = higherIsBetter;
            this.patience = patience;
            this.bestFile = bestFile;
            return this;
        }

        /** Writes a full checkpoint (for {@link #resume}) every {@code steps} optimiser steps. */
        public Builder checkpointEvery(long steps, Path file) {
            if (steps <= 0 || file == null) {
                throw new IllegalArgumentException(
                        "checkpointEvery needs steps > 0 and a file, got " + steps + ", " + file);
            }
            this.checkpointEvery = steps;
            this.checkpointFile = file;
            return this;
        }

        /** Shows a progress bar (rate, ETA, loss) on standard error. */
        public Builder progressBar(boolean show) {
            this.progressBar = show;
            return this;
        }

        public Builder listener(TrainingListener l) {
            listeners.add(l);
            return this;
        }

        public Trainer build() {
            if (objective == null) {
                throw new IllegalArgumentException("a Trainer needs an objective (loss)");
            }
            if (optimizer == null) {
                throw new IllegalArgumentException("a Trainer needs an optimizer");
            }
            return new Trainer(this);
        }
    }
}
