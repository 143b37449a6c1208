package org.voxel4j.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The arrays of a model, by path name, in creation order: trainable parameters, frozen parameters
 * and buffers (state that is saved but not trained, such as BatchNorm running statistics). Graphs
 * built for training and for inference share these arrays, so an optimiser step updates both.
 */
public final class ParameterStore {

    /** What an entry is. */
    public enum Kind {
        PARAMETER,
        BUFFER
    }

    private record Entry(INDArray value, Kind kind) {}

    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
    private final java.util.Set<String> frozen = new java.util.HashSet<>();

    /** Adds a new entry; fails if the name exists. */
    public void add(String name, INDArray value, Kind kind) {
        if (entries.containsKey(name)) {
            throw new IllegalArgumentException("duplicate parameter name '" + name + "'");
        }
        entries.put(name, new Entry(value, kind));
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** The array of {@code name}; fails with the known names if absent. */
    public INDArray get(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no parameter or buffer named '" + name + "'");
        }
        return e.value();
    }

    public Kind kind(String name) {
        get(name);
        return entries.get(name).kind();
    }

    /** All names (parameters and buffers), in creation order. */
    public List<String> names() {
        return List.copyOf(entries.keySet());
    }

    /** Parameter names (trainable or frozen), in creation order. */
    public List<String> parameterNames() {
        return select(e -> e.getValue().kind() == Kind.PARAMETER);
    }

    /** Buffer names, in creation order. */
    public List<String> bufferNames() {
        return select(e -> e.getValue().kind() == Kind.BUFFER);
    }

    /** Parameters that the optimiser updates: not frozen, in creation order. */
    public List<String> trainableNames() {
        return select(e -> e.getValue().kind() == Kind.PARAMETER && !frozen.contains(e.getKey()));
    }

    private List<String> select(Predicate<Map.Entry<String, Entry>> p) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            if (p.test(e)) {
                out.add(e.getKey());
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** Number of scalar parameters (trainable and frozen; buffers excluded, as PyTorch counts). */
    public long parameterCount() {
        long n = 0;
        for (Entry e : entries.values()) {
            if (e.kind() == Kind.PARAMETER) {
                n += e.value().length();
            }
        }
        return n;
    }

    /** Number of trainable scalar parameters. */
    public long trainableCount() {
        long n = 0;
        for (String name : trainableNames()) {
            n += get(name).length();
        }
        return n;
    }

    /** Freezes every parameter whose name matches; returns how many matched. */
    public int freeze(Predicate<String> names) {
        int n = 0;
        for (String name : parameterNames()) {
            if (names.test(name)) {
                frozen.add(name);
                n++;
            }
        }
        return n;
    }

    /** Unfreezes every parameter. */
    public void unfreezeAll() {
        frozen.clear();
    }

    public boolean isFrozen(String name) {
        return frozen.contains(name);
    }

    /** Replaces the values of {@code name} in place (shapes must match). */
    public void assign(String name, INDArray value) {
        INDArray target = get(name);
        if (!java.util.Arrays.equals(target.shape(), value.shape())) {
            throw new IllegalArgumentException(
                    "shape mismatch for '"
                            + name
                            + "': model has "
                            + java.util.Arrays.toString(target.shape())
                            + ", given "
                            + java.util.Arrays.toString(value.shape()));
        }
        target.assign(value);
    }
}
