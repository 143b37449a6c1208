package org.voxel4j.nn;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The JSON form of module configurations, and which classes a file may name. Reading a
 * configuration instantiates only records that implement {@link Module} and live in an admitted
 * package ({@code org.voxel4j.} by default, more via {@link #admitPackage(String)}), so a
 * checkpoint from a stranger cannot make the reader construct arbitrary classes.
 */
public final class ModuleTypes {
    private ModuleTypes() {}

    private static final CopyOnWriteArrayList<String> PACKAGES =
            new CopyOnWriteArrayList<>(List.of("org.voxel4j."));

    /** Admits module records from {@code packagePrefix} (e.g. {@code com.acme.nets.}). */
    public static void admitPackage(String packagePrefix) {
        if (packagePrefix == null || !packagePrefix.endsWith(".") || packagePrefix.length() < 3) {
            throw new IllegalArgumentException(
                    "package prefix must end with '.', e.g. 'com.acme.', got '"
                            + packagePrefix
                            + "'");
        }
        PACKAGES.addIfAbsent(packagePrefix);
    }

    static boolean admitted(Class<?> c) {
        if (!Module.class.isAssignableFrom(c) || !c.isRecord()) {
            return false;
        }
        for (String p : PACKAGES) {
            if (c.getName().startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** A mapper that reads and writes module configurations (and plain JSON). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static final ObjectMapper MAPPER = build();

    private static ObjectMapper build() {
        BasicPolymorphicTypeValidator ptv =
                BasicPolymorphicTypeValidator.builder()
                        .allowIfSubType(
                                new BasicPolymorphicTypeValidator.TypeMatcher() {
                                    @Override
                                    public boolean match(MapperConfig<?> config, Class<?> c) {
                                        return admitted(c);
                                    }
                                })
                        .build();
        ObjectMapper m =
                JsonMapper.builder()
                        .polymorphicTypeValidator(ptv)
                        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                        .build();
        m.getFactory()
                .setStreamReadConstraints(
                        StreamReadConstraints.builder()
                                .maxNestingDepth(200)
                                .maxStringLength(1 << 20)
                                .maxNumberLength(100)
                                .build());
        return m;
    }
}
