package org.voxel4j.nn;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where a {@link Module} emits its ops: the SameDiff graph, the current name path, the data type,
 * the seed for parameter initialisation and the train/eval mode. A scope is cheap; {@link
 * #child(String)} and {@link #call(String, Module, SDVariable...)} give a nested one.
 *
 * <p>Parameters live in a {@link ParameterStore}. If the store already holds an array under the
 * requested path (a second graph of the same model, or weights loaded from a checkpoint), that
 * array is used; otherwise a new one is initialised deterministically from the seed and the path.
 */
public final class Scope {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");

    /** State shared by every scope of one graph build. */
    private static final class Build {
        final SameDiff sd;
        final ParameterStore store;
        final DataType dataType;
        final long seed;
        final boolean training;
        final Set<String> used = new HashSet<>();
        final Map<String, SDVariable> bufferUpdates = new LinkedHashMap<>();
        final Map<String, SDVariable> auxOutputs = new LinkedHashMap<>();

        Build(SameDiff sd, ParameterStore store, DataType dataType, long seed, boolean training) {
            this.sd = sd;
            this.store = store;
            this.dataType = dataType;
            this.seed = seed;
            this.training = training;
        }
    }

    private final Build b;
    private final String path;

    private Scope(Build b, String path) {
        this.b = b;
        this.path = path;
    }

    /** A root scope over {@code sd} that takes and puts parameters in {@code store}. */
    public static Scope root(
            SameDiff sd, ParameterStore store, DataType dataType, long seed, boolean training) {
        if (!dataType.isFPType()) {
            throw new IllegalArgumentException(
                    "a model's data type must be floating point, got " + dataType);
        }
        return new Scope(new Build(sd, store, dataType, seed, training), "");
    }

    /** A fresh graph and store, convenient in tests and for one-off graphs. */
    public static Scope create(DataType dataType, long seed, boolean training) {
        return root(SameDiff.create(), new ParameterStore(), dataType, seed, training);
    }

    public SameDiff sd() {
        return b.sd;
    }

    public ParameterStore store() {
        return b.store;
    }

    public DataType dataType() {
        return b.dataType;
    }

    public boolean training() {
        return b.training;
    }

    public long seed() {
        return b.seed;
    }

    /** The path of this scope, {@code ""} at the root, else {@code a/b/c}. */
    public String path() {
        return path;
    }

    /** The scope one level down, under {@code name}. */
    public Scope child(String name) {
        checkName(name);
        return new Scope(b, qualify(name));
    }

    /** Runs {@code module} in the child scope {@code name}. */
    public SDVariable call(String name, Module module, SDVariable... inputs) {
        return module.forward(child(name), inputs);
    }

    /** A trainable parameter {@code path/name} of the given shape. */
    public SDVariable param(String name, Init init, long... shape) {
        return variable(name, init, shape, ParameterStore.Kind.PARAMETER);
    }

    /** A saved but not trained array {@code path/name}, such as a running mean. */
    public SDVariable buffer(String name, Init init, long... shape) {
        return variable(name, init, shape, ParameterStore.Kind.BUFFER);
    }

    /**
     * Asks the trainer to overwrite buffer {@code path/name} with the value of {@code newValue}
     * after each training step (e.g. a BatchNorm running mean). Ignored in eval mode.
     */
    public void updateBuffer(String name, SDVariable newValue) {
        String full = qualify(name);
        if (b.store.kind(full) != ParameterStore.Kind.BUFFER) {
            throw new IllegalArgumentException("'" + full + "' is not a buffer");
        }
        if (b.training) {
            b.bufferUpdates.put(full, newValue);
        }
    }

    /**
     * Publishes an extra output under {@code path/name}, e.g. a deep-supervision head. Training
     * objectives can read these; inference uses the module's return value.
     */
    public void auxOutput(String name, SDVariable value) {
        String full = qualify(name);
        if (b.auxOutputs.putIfAbsent(full, value) != null) {
            throw new IllegalArgumentException("duplicate auxiliary output '" + full + "'");
        }
    }

    /** Buffer updates registered during the build (training only), by buffer name. */
    public Map<String, SDVariable> bufferUpdates() {
        return Collections.unmodifiableMap(b.bufferUpdates);
    }

    /** Auxiliary outputs registered during the build, by full name. */
    public Map<String, SDVariable> auxOutputs() {
        return Collections.unmodifiableMap(b.auxOutputs);
    }

    /** A scalar constant in this graph's data type. */
    public SDVariable scalar(double value) {
        return b.sd.constant(Nd4j.scalar(b.dataType, value));
    }

    /** A constant array, cast to this graph's data type if it is floating point. */
    public SDVariable constant(INDArray value) {
        INDArray v = value.dataType().isFPType() ? value.castTo(b.dataType) : value;
        return b.sd.constant(v);
    }

    private SDVariable variable(String name, Init init, long[] shape, ParameterStore.Kind kind) {
        checkName(name);
        for (long d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException(
                        "parameter '"
                                + qualify(name)
                                + "' must have positive dims, got "
                                + Arrays.toString(shape));
            }
        }
        String full = qualify(name);
        if (!b.used.add(full)) {
            throw new IllegalArgumentException(
                    "parameter '" + full + "' created twice in one graph");
        }
        if (b.sd.hasVariable(full)) {
            // Bound by the caller before the build (e.g. a gradient check owning the arrays).
            SDVariable bound = b.sd.getVariable(full);
            INDArray arr = bound.getArr();
            if (arr == null || !Arrays.equals(arr.shape(), shape)) {
                throw new IllegalArgumentException(
                        "variable '"
                                + full
                                + "' already exists in the graph with shape "
                                + (arr == null ? "unknown" : Arrays.toString(arr.shape()))
                                + ", the module asks for "
                                + Arrays.toString(shape));
            }
            if (!b.store.contains(full)) {
                b.store.add(full, arr, kind);
            }
            return bound;
        }
        INDArray value;
        if (b.store.contains(full)) {
            value = b.store.get(full);
            if (!Arrays.equals(value.shape(), shape)) {
                throw new IllegalArgumentException(
                        "parameter '"
                                + full
                                + "' has shape "
                                + Arrays.toString(value.shape())
                                + " in the store, but the module asks for "
                                + Arrays.toString(shape));
            }
            if (value.dataType() != b.dataType) {
                throw new IllegalArgumentException(
                        "parameter '"
                                + full
                                + "' is "
                                + value.dataType()
                                + " in the store, but the graph is "
                                + b.dataType);
            }
            if (b.store.kind(full) != kind) {
                throw new IllegalArgumentException(
                        "'" + full + "' is a " + b.store.kind(full) + ", not a " + kind);
            }
        } else {
            value = initialise(full, init, shape);
            b.store.add(full, value, kind);
        }
        return b.sd.var(full, value);
    }

    private INDArray initialise(String full, Init init, long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "parameter '" + full + "' is too large: " + Arrays.toString(shape));
        }
        double[] values = new double[(int) n];
        init.fill(values, new SplittableRandom(mix(b.seed, full)));
        return Nd4j.createFromArray(values).reshape('c', shape).castTo(b.dataType);
    }

    /** A 64-bit seed from the model seed and a parameter path (FNV-1a, then SplitMix64). */
    static long mix(long seed, String name) {
        long h = 0xcbf29ce484222325L;
        for (byte c : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= c & 0xff;
            h *= 0x100000001b3L;
        }
        long z = h ^ (seed * 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private String qualify(String name) {
        return path.isEmpty() ? name : path + "/" + name;
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "scope and parameter names must match [A-Za-z0-9_.-]+, got '" + name + "'");
        }
    }
}
