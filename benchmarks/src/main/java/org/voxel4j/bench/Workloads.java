package org.voxel4j.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The registry of named workloads. Modules add theirs in {@link #all()}. */
public final class Workloads {
    private Workloads() {}

    /** Workload factories by name, in display order. */
    public static Map<String, Supplier<Workload>> all() {
        Map<String, Supplier<Workload>> m = new LinkedHashMap<>();
        m.put("conv3d-fb-64", Conv3dForwardBackward::new);
        m.put("unet3d-step-64", UNet3dStep::new);
        m.put("sliding-window-256", SlidingWindow256::new);
        m.put("fbp-256-180", FbpWorkload::new);
        m.put("ssim3d-256", Ssim3dWorkload::new);
        return m;
    }

    /** A new instance of workload {@code name}; throws with the known names if absent. */
    public static Workload create(String name) {
        Supplier<Workload> s = all().get(name);
        if (s == null) {
            throw new IllegalArgumentException(
                    "unknown workload '" + name + "', expected one of " + all().keySet());
        }
        return s.get();
    }
}
