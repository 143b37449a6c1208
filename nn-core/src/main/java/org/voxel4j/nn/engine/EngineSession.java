package org.voxel4j.nn.engine;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.config.ExecutionResult;
import org.nd4j.autodiff.samediff.config.SDValue;
import org.nd4j.autodiff.samediff.internal.FrameIter;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.BaseCompatOp;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * SameDiff's inference session, extended to run {@link JavaOp}s in Java. Every other op goes to
 * ND4J exactly as in {@link InferenceSession}; the session is created for every graph once {@link
 * Engine#install()} has bound its factory.
 */
public class EngineSession extends InferenceSession {

    public EngineSession(SameDiff sd) {
        super(sd);
        if (!"off".equals(System.getProperty("voxel4j.engine.pool"))) {
            setMmgr(new PoolMemMgr());
        }
    }

    /**
     * After an execution, arrays SameDiff allocated but did not release go back to the pool unless
     * they share memory with an output (see {@link PoolMemMgr#reclaimExcept}). Only when the graph
     * has SameDiff's cache enabled; an op listener that keeps references to activations sees them
     * overwritten by later executions (as with SameDiff's own cache).
     */
    @Override
    protected Map<String, SDValue> postProcessOutputValues(Map<String, SDValue> output) {
        Map<String, SDValue> r = super.postProcessOutputValues(output);
        if (getMmgr() instanceof PoolMemMgr pool && sameDiff.isEnableCache()) {
            java.util.List<org.nd4j.linalg.api.ndarray.INDArray> keep = new java.util.ArrayList<>();
            for (SDValue v : r.values()) {
                if (v == null) {
                    continue;
                }
                switch (v.getSdValueType()) {
                    case TENSOR -> keep.add(v.getTensorValue());
                    case LIST -> keep.addAll(v.getListValue());
                    default -> {
                        if (v.getDictValue() != null) {
                            keep.addAll(v.getDictValue().values());
                        }
                    }
                }
            }
            pool.reclaimExcept(keep);
        }
        return r;
    }

    /**
     * Early release (inference graphs only, see {@link #earlyRelease}): the requested outputs of
     * the running execution, the consumers each intermediate still has in it, and the arrays
     * produced so far that have not been returned.
     */
    private Set<String> keep;

    private Map<String, Integer> consumersLeft;
    private Map<String, INDArray> live;
    private Boolean inference;

    @Override
    public ExecutionResult output(
            List<String> variables,
            Map<String, INDArray> placeholderValues,
            Map<String, SDValue> otherPlaceholderValues,
            MultiDataSet batch,
            Collection<String> requiredActivations,
            List<Listener> listeners,
            At at) {
        boolean early = earlyRelease();
        if (early) {
            keep = new HashSet<>(variables);
            if (requiredActivations != null) {
                keep.addAll(requiredActivations);
            }
            live = new HashMap<>();
            consumersLeft = null;
        }
        try {
            return super.output(
                    variables,
                    placeholderValues,
                    otherPlaceholderValues,
                    batch,
                    requiredActivations,
                    listeners,
                    at);
        } finally {
            keep = null;
            live = null;
            consumersLeft = null;
        }
    }

    /**
     * Whether arrays go back to the pool as soon as their last consumer has run: SameDiff
     * 1.0.0-M2.1 keeps some intermediates until the end of an execution (see {@link PoolMemMgr}),
     * so a forward pass held more memory at once than it needs (a 3D U-Net at 96³: 442 MB allocated
     * for a 282 MB live set). Only for graphs without gradient variables (inference), with the pool
     * and the cache on; {@code -Dvoxel4j.engine.earlyRelease=false} switches it off.
     */
    private boolean earlyRelease() {
        if (!(getMmgr() instanceof PoolMemMgr)
                || !sameDiff.isEnableCache()
                || "false".equals(System.getProperty("voxel4j.engine.earlyRelease"))) {
            return false;
        }
        if (inference == null) {
            // Consumers are counted once per execution: graphs with control flow (ops that run
            // per loop iteration) or with gradient variables (training) keep SameDiff's release.
            boolean controlFlow =
                    sameDiff.getOps().values().stream()
                            .anyMatch(o -> o.getOp() instanceof BaseCompatOp);
            boolean gradients =
                    sameDiff.getVariables().values().stream()
                            .anyMatch(
                                    v ->
                                            v.getVariable().getVariableType() == VariableType.ARRAY
                                                    && v.getName().endsWith("-grad"));
            inference = !controlFlow && !gradients;
        }
        return inference;
    }

    /** After {@code op} ran: returns the inputs whose last consumer it was to the pool. */
    private void releaseDead(DifferentialFunction op, OpContext oc) {
        if (consumersLeft == null) {
            consumersLeft = new HashMap<>();
            for (String name : subgraphOps) {
                for (String in : new HashSet<>(inputsOf(name))) {
                    if (sameDiff.getVariable(in).getVariableType() == VariableType.ARRAY) {
                        consumersLeft.merge(in, 1, Integer::sum);
                    }
                }
            }
        }
        String[] outs = op.outputVariablesNames();
        List<INDArray> arrays = oc.getOutputArrays();
        for (int i = 0; i < outs.length && i < arrays.size(); i++) {
            live.put(outs[i], arrays.get(i));
        }
        for (String in : new HashSet<>(inputsOf(op.getOwnName()))) {
            Integer left = consumersLeft.computeIfPresent(in, (k, c) -> c - 1);
            if (left == null || left > 0 || keep.contains(in)) {
                continue;
            }
            INDArray a = live.remove(in);
            if (a != null && !sharesMemory(a, live.values())) {
                ((PoolMemMgr) getMmgr()).retire(a);
            }
        }
    }

    private List<String> inputsOf(String opName) {
        List<String> in = sameDiff.getOps().get(opName).getInputsToOp();
        return in == null ? List.of() : in;
    }

    /** Whether {@code a}'s memory overlaps any of {@code others} (views, in-place outputs). */
    private static boolean sharesMemory(INDArray a, Collection<INDArray> others) {
        if (a.data() == null) {
            return true;
        }
        long start = a.data().address();
        long end = start + a.data().length() * a.dataType().width();
        for (INDArray o : others) {
            if (o == null || o.data() == null || o.isEmpty()) {
                continue;
            }
            long s = o.data().address();
            long e = s + o.data().length() * o.dataType().width();
            if (start < e && s < end) {
                return true;
            }
        }
        return false;
    }

    @Override
    public ExecutionResult doExec(
            DifferentialFunction op,
            OpContext oc,
            FrameIter outputFrameIter,
            Set<VarId> opInputs,
            Set<VarId> allIterInputs,
            Set<String> constAndPhInputs,
            Map<String, SDValue> otherPlaceHolders) {
        ExecutionResult r;
        if (op instanceof JavaOp j) {
            j.execute(oc);
            r = ExecutionResult.createFrom(op, oc);
        } else {
            r =
                    super.doExec(
                            op,
                            oc,
                            outputFrameIter,
                            opInputs,
                            allIterInputs,
                            constAndPhInputs,
                            otherPlaceHolders);
        }
        if (live != null && oc != null) {
            releaseDead(op, oc);
        }
        return r;
    }
}
