package org.voxel4j.nn.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.InferenceFactory;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.imports.converters.ImportClassMapping;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * voxel4j's execution engine on top of SameDiff 1.0.0-M2.1.
 *
 * <p>It does two things SameDiff does not:
 *
 * <ul>
 *   <li>runs {@link JavaOp}s — fused ops with hand-written gradients whose kernels are Java loops
 *       (normalisations, ...) — by binding an {@link InferenceFactory} that creates {@link
 *       EngineSession}s for every graph ({@code SameDiff.bindInferenceFactory}, a process-wide
 *       setting; the session behaves exactly like SameDiff's own for every other op);
 *   <li>computes gradients with SameDiff's array cache enabled ({@link #gradients}). {@code
 *       SameDiff.calculateGradients} switches the cache off for the gradient function, so every
 *       activation and gradient of a training step is a fresh allocation that only the garbage
 *       collector frees; with the cache, arrays whose last consumer has run are reused for later
 *       ops and later steps.
 * </ul>
 *
 * <p>Set {@code -Dvoxel4j.engine=off} to build graphs from SameDiff's composite ops instead of the
 * fused ones (for comparisons).
 */
public final class Engine {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private static final InferenceFactory FACTORY = EngineSession::new;
    private static final boolean ENABLED =
            !"off".equalsIgnoreCase(System.getProperty("voxel4j.engine", "on"));
    private static final ThreadLocal<Boolean> OVERRIDE = new ThreadLocal<>();
    private static volatile boolean installed;

    private Engine() {}

    /**
     * Whether graphs built on this thread use the engine's fused ops ({@code -Dvoxel4j.engine=off}
     * disables them process-wide, {@link #withFusedOps} per build).
     */
    public static boolean enabled() {
        Boolean o = OVERRIDE.get();
        return o != null ? o : ENABLED;
    }

    /**
     * Runs {@code build} with the fused ops switched on or off for graphs built on this thread (to
     * compare both forms of a network, or to build a graph for native-only export).
     */
    public static <T> T withFusedOps(boolean fused, java.util.function.Supplier<T> build) {
        Boolean before = OVERRIDE.get();
        OVERRIDE.set(fused);
        try {
            return build.get();
        } finally {
            if (before == null) {
                OVERRIDE.remove();
            } else {
                OVERRIDE.set(before);
            }
        }
    }

    /**
     * Binds the engine's session factory (if another factory is bound, it is replaced) and
     * registers the engine's op classes with SameDiff, so that gradient functions can clone them.
     * Idempotent and cheap after the first call.
     */
    public static void install() {
        if (installed && SameDiff.getInferenceFactory() == FACTORY) {
            return;
        }
        synchronized (Engine.class) {
            InferenceFactory current = SameDiff.getInferenceFactory();
            if (current != FACTORY) {
                if (installed) {
                    LOG.warn(
                            "another SameDiff InferenceFactory ({}) replaced voxel4j's; rebinding",
                            current.getClass().getName());
                }
                SameDiff.bindInferenceFactory(FACTORY);
            }
            if (!installed) {
                Map<String, org.nd4j.autodiff.functions.DifferentialFunction> names =
                        ImportClassMapping.getOpNameMapping();
                for (JavaOp op : Ops.prototypes()) {
                    Ops.checkFieldNames(op.getClass());
                    names.putIfAbsent(op.opName(), op);
                }
                installed = true;
            }
        }
    }

    /** Throws a clear error when a {@link JavaOp} is about to run outside the engine. */
    static void requireInstalled(String opName) {
        if (SameDiff.getInferenceFactory() != FACTORY) {
            throw new IllegalStateException(
                    "op "
                            + opName
                            + " runs only in voxel4j's engine, but SameDiff's inference factory is "
                            + SameDiff.getInferenceFactory().getClass().getName()
                            + "; call org.voxel4j.nn.engine.Engine.install() after binding other"
                            + " factories");
        }
    }

    /**
     * Replaces sessions SameDiff created for {@code sd} before the engine was installed (sessions
     * hold no state between executions that matters here).
     */
    static void adopt(SameDiff sd) {
        Map<Long, InferenceSession> sessions = sd.getSessions();
        for (Map.Entry<Long, InferenceSession> e : sessions.entrySet()) {
            if (!(e.getValue() instanceof EngineSession)) {
                e.setValue(new EngineSession(sd));
            }
        }
    }

    /**
     * Counts of array requests of the engine sessions (all graphs, since start): served from the
     * pool of released arrays, or newly allocated.
     */
    public record MemoryStats(long reused, long allocated) {}

    /** See {@link MemoryStats}. */
    public static MemoryStats memoryStats() {
        return new MemoryStats(PoolMemMgr.HITS.get(), PoolMemMgr.MISSES.get());
    }

    /** Losses/outputs and gradients of one execution of a training graph. */
    public record Gradients(Map<String, INDArray> outputs, Map<String, INDArray> gradients) {}

    /**
     * Computes {@code outputs} and the gradients of {@code sd}'s loss variables with respect to
     * {@code wrt} in one execution, like {@code SameDiff.calculateGradientsAndOutputs}, but with
     * the session's array cache enabled. Variables the loss does not depend on are left out of the
     * gradient map (PyTorch's {@code grad is None}).
     */
    public static Gradients gradients(
            SameDiff sd,
            Map<String, INDArray> placeholders,
            Collection<String> outputs,
            Collection<String> wrt) {
        install();
        prepareGradients(sd);
        SameDiff gf = sd.getFunction("grad");
        adopt(gf);
        gf.setEnableCache(true);
        gf.setListeners(sd.getListeners());
        List<String> names = new ArrayList<>(outputs);
        Map<String, String> gradName = new LinkedHashMap<>();
        for (String v : wrt) {
            SDVariable var = sd.getVariable(v);
            if (var == null) {
                throw new IllegalArgumentException("no variable '" + v + "' in the graph");
            }
            SDVariable g = var.getGradient();
            if (g != null) {
                gradName.put(v, g.name());
                names.add(g.name());
            }
        }
        Map<String, INDArray> r = gf.output(placeholders, names);
        Map<String, INDArray> outs = new LinkedHashMap<>();
        for (String o : outputs) {
            outs.put(o, r.get(o));
        }
        Map<String, INDArray> grads = new LinkedHashMap<>();
        gradName.forEach((v, g) -> grads.put(v, r.get(g)));
        return new Gradients(outs, grads);
    }

    private static void prepareGradients(SameDiff sd) {
        org.voxel4j.nn.Graphs.prepareGradients(sd);
    }
}
