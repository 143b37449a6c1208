package org.voxel4j.nn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network configuration together with its weights: build it with {@link #create}, run it with
 * {@link #predict}, train it with {@code Trainer}, keep it with {@link #save} / {@link #load}.
 *
 * <p>Training and inference use separate SameDiff graphs (train/eval behaviour of dropout and
 * normalisation differs) that share one {@link ParameterStore}.
 */
public final class Model {

    private final Module network;
    private final List<InputSpec> inputs;
    private final DataType dataType;
    private final long seed;
    private final ParameterStore store;
    private Graph evalGraph;

    /** A built graph of this model: placeholders, output, and the root scope used to build it. */
    public record Graph(SameDiff sd, List<SDVariable> inputs, SDVariable output, Scope scope) {}

    private Model(
            Module network,
            List<InputSpec> inputs,
            DataType dataType,
            long seed,
            ParameterStore store) {
        if (network == null) {
            throw new IllegalArgumentException("network must not be null");
        }
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("a model needs at least one input");
        }
        this.network = network;
        this.inputs = List.copyOf(inputs);
        this.dataType = dataType;
        this.seed = seed;
        this.store = store;
    }

    /** A new float32 model with freshly initialised weights. */
    public static Model create(Module network, long seed, InputSpec... inputs) {
        return create(network, seed, DataType.FLOAT, inputs);
    }

    /** A new model of the given floating-point data type with freshly initialised weights. */
    public static Model create(Module network, long seed, DataType dataType, InputSpec... inputs) {
        Model m = new Model(network, List.of(inputs), dataType, seed, new ParameterStore());
        m.evalGraph(); // creates the parameters
        return m;
    }

    public Module network() {
        return network;
    }

    public List<InputSpec> inputs() {
        return inputs;
    }

    public DataType dataType() {
        return dataType;
    }

    public long seed() {
        return seed;
    }

    /** The weights and buffers (live: changes show in every graph of this model). */
    public ParameterStore parameters() {
        return store;
    }

    /** Number of scalar parameters, as PyTorch's {@code sum(p.numel() for p in parameters())}. */
    public long parameterCount() {
        return store.parameterCount();
    }

    /** Builds the network into {@code sd} on new placeholders, sharing this model's weights. */
    public Graph build(SameDiff sd, boolean training) {
        Scope root = Scope.root(sd, store, dataType, seed, training);
        List<SDVariable> ph = new ArrayList<>();
        for (InputSpec in : inputs) {
            ph.add(sd.placeHolder(in.name(), dataType, in.dims()));
        }
        SDVariable out = network.forward(root, ph.toArray(SDVariable[]::new));
        if (out == null) {
            throw new IllegalStateException(
                    network.getClass().getSimpleName() + ".forward returned null");
        }
        return new Graph(sd, ph, out, root);
    }

    private synchronized Graph evalGraph() {
        if (evalGraph == null) {
            evalGraph = build(SameDiff.create(), false);
        }
        return evalGraph;
    }

    /** Runs the network in eval mode. Inputs are checked against the specs and cast. */
    public synchronized INDArray predict(INDArray... x) {
        Graph g = evalGraph();
        Map<String, INDArray> feed = feed(x);
        return g.sd().output(feed, g.output().name()).get(g.output().name());
    }

    Map<String, INDArray> feed(INDArray... x) {
        if (x.length != inputs.size()) {
            throw new IllegalArgumentException(
                    "the model takes " + inputs.size() + " input(s), got " + x.length);
        }
        Map<String, INDArray> feed = new LinkedHashMap<>();
        for (int i = 0; i < x.length; i++) {
            inputs.get(i).check(x[i]);
            feed.put(inputs.get(i).name(), x[i].castTo(dataType));
        }
        return feed;
    }

    // ---------------------------------------------------------------- checkpoints

    /** Writes config and weights as a {@code .v4j} checkpoint (atomically). */
    public void save(Path file) throws IOException {
        Checkpoint.write(file, header(), tensors());
    }

    /** The model part of a checkpoint header. */
    public ObjectNode header() {
        ObjectNode h = ModuleTypes.mapper().createObjectNode();
        ObjectNode m = h.putObject("model");
        m.set("network", ModuleTypes.mapper().valueToTree(network));
        m.set("inputs", ModuleTypes.mapper().valueToTree(inputs));
        m.put("dataType", dataType.name());
        m.put("seed", seed);
        return h;
    }

    /** Parameters ({@code param/...}) and buffers ({@code buffer/...}) by checkpoint name. */
    public Map<String, INDArray> tensors() {
        Map<String, INDArray> t = new LinkedHashMap<>();
        for (String n : store.names()) {
            String prefix = store.kind(n) == ParameterStore.Kind.PARAMETER ? "param/" : "buffer/";
            t.put(prefix + n, store.get(n));
        }
        return t;
    }

    /** Loads a model (configuration and weights) from a checkpoint. */
    public static Model load(Path file) throws IOException {
        return fromCheckpoint(Checkpoint.read(file));
    }

    /** Builds the model a checkpoint describes and copies its weights in. */
    public static Model fromCheckpoint(Checkpoint.Contents c) throws CheckpointException {
        JsonNode m = c.header().get("model");
        if (m == null || !m.isObject()) {
            throw new CheckpointException(c.file(), "no 'model' section in the header");
        }
        Module net;
        List<InputSpec> specs;
        DataType dt;
        try {
            net = ModuleTypes.mapper().treeToValue(m.get("network"), Module.class);
            specs = List.of(ModuleTypes.mapper().treeToValue(m.get("inputs"), InputSpec[].class));
            dt = DataType.valueOf(m.path("dataType").asText());
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            throw new CheckpointException(
                    c.file(),
                    "cannot rebuild the model from its configuration: " + e.getMessage(),
                    e);
        }
        long seed = m.path("seed").asLong();
        Model model;
        try {
            model = create(net, seed, dt, specs.toArray(InputSpec[]::new));
        } catch (RuntimeException e) {
            throw new CheckpointException(
                    c.file(), "the stored configuration does not build: " + e.getMessage(), e);
        }
        model.copyWeights(c, n -> true, true);
        return model;
    }

    /** What {@link #loadWeights} copied and what it left. */
    public record LoadReport(List<String> loaded, List<String> skipped, List<String> missing) {}

    /**
     * Copies weights from a checkpoint of a possibly different configuration (fine-tuning, transfer
     * between tasks): every model parameter or buffer whose name passes {@code include} and exists
     * in the checkpoint with the same shape is loaded; the rest keep their values.
     */
    public LoadReport loadWeights(Path file, Predicate<String> include) throws IOException {
        return copyWeights(Checkpoint.read(file), include, false);
    }

    /** Copies weights from {@code c}; with {@code strict} every name must match exactly. */
    public LoadReport copyWeights(Checkpoint.Contents c, Predicate<String> include, boolean strict)
            throws CheckpointException {
        List<String> loaded = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Map<String, INDArray> stored = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : c.tensors().entrySet()) {
            String k = e.getKey();
            if (k.startsWith("param/")) {
                stored.put(k.substring(6), e.getValue());
            } else if (k.startsWith("buffer/")) {
                stored.put(k.substring(7), e.getValue());
            }
        }
        for (String name : store.names()) {
            INDArray src = stored.remove(name);
            INDArray dst = store.get(name);
            if (src == null) {
                missing.add(name);
            } else if (!include.test(name) || !java.util.Arrays.equals(src.shape(), dst.shape())) {
                if (strict) {
                    throw new CheckpointException(
                            c.file(),
                            "weight '"
                                    + name
                                    + "' has shape "
                                    + java.util.Arrays.toString(src.shape())
                                    + ", the model expects "
                                    + java.util.Arrays.toString(dst.shape()));
                }
                skipped.add(name);
            } else {
                dst.assign(src.castTo(dst.dataType()));
                loaded.add(name);
            }
        }
        if (strict && (!missing.isEmpty() || !stored.isEmpty())) {
            throw new CheckpointException(
                    c.file(),
                    "the checkpoint does not match the model: missing "
                            + missing
                            + ", unexpected "
                            + stored.keySet());
        }
        skipped.addAll(stored.keySet());
        return new LoadReport(List.copyOf(loaded), List.copyOf(skipped), List.copyOf(missing));
    }
}
