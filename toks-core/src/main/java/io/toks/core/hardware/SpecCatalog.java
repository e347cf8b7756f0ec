package io.toks.core.hardware;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The spec sheets toks knows ({@code catalog.json} beside this class): GPUs, accelerators, Apple
 * SoCs and common server CPUs, each with its source. Lookup is by id or alias, case-insensitive.
 */
public final class SpecCatalog {

    private static final String RESOURCE = "catalog.json";

    private final Map<String, HardwareSpec> byName = new LinkedHashMap<>();
    private final List<HardwareSpec> entries;

    private SpecCatalog(List<HardwareSpec> entries) {
        this.entries = List.copyOf(entries);
        for (HardwareSpec e : entries) {
            register(e.id(), e);
            for (String alias : e.aliases()) register(alias, e);
        }
    }

    private void register(String name, HardwareSpec e) {
        HardwareSpec before = byName.putIfAbsent(normalize(name), e);
        if (before != null && before != e) {
            throw new IllegalStateException("catalog name '" + name + "' is used by both " + before.id() + " and " + e.id());
        }
    }

    /** The catalog shipped with toks. */
    public static SpecCatalog builtIn() {
        try (InputStream in = SpecCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("the hardware catalog is missing from this build");
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SpecCatalog parse(InputStream in) throws IOException {
        JsonNode root = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readTree(in);
        List<HardwareSpec> list = new ArrayList<>();
        for (JsonNode n : root.path("entries")) list.add(entry(n));
        return new SpecCatalog(list);
    }

    private static HardwareSpec entry(JsonNode n) {
        String id = n.path("id").asText(null);
        EnumMap<Precision, Double> peaks = new EnumMap<>(Precision.class);
        n.path("peak_tera").properties().forEach(p -> peaks.put(Precision.ofKey(p.getKey()), p.getValue().asDouble()));
        List<String> aliases = new ArrayList<>();
        n.path("aliases").forEach(a -> aliases.add(a.asText()));
        HardwareSpec.Kind kind = HardwareSpec.Kind.valueOf(n.path("kind").asText("gpu").toUpperCase(Locale.ROOT));
        return new HardwareSpec(id, n.path("name").asText(id), kind, n.path("vendor").asText(""), aliases,
                n.path("memory_gb").asDouble(0), n.path("memory_bandwidth_gbs").asDouble(0), peaks,
                n.path("tdp_w").asDouble(0), n.path("source").asText(null), n.path("notes").asText(""));
    }

    /** Every entry, in catalog order. */
    public List<HardwareSpec> all() {
        return entries;
    }

    /** The entry whose id or alias is {@code name} (case, spaces, dashes and underscores ignored). */
    public Optional<HardwareSpec> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(byName.get(normalize(name)));
    }

    /** Like {@link #find} but fails with the known ids listed. */
    public HardwareSpec named(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("unknown hardware '" + name + "' (known: "
                + String.join(", ", entries.stream().map(HardwareSpec::id).toList()) + ")"));
    }

    static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[\\s_\\-]+", "");
    }
}
