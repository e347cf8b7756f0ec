package io.toks.core.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SpecCatalogTest {

    private final SpecCatalog catalog = SpecCatalog.builtIn();

    @Test
    void everyEntryNamesAnHttpsSourceAndAMemoryBandwidth() {
        assertThat(catalog.all()).hasSizeGreaterThanOrEqualTo(20);
        for (HardwareSpec e : catalog.all()) {
            assertThat(e.source()).as(e.id()).startsWith("https://");
            assertThat(e.memoryBandwidthGbs()).as(e.id()).isPositive();
            e.peakTera().values().forEach(v -> assertThat(v).as(e.id()).isPositive());
        }
    }

    @Test
    void findsByIdAndByTheNamesNvidiaSmiPrints() {
        assertThat(catalog.named("h100-sxm").memoryBandwidthGbs()).isEqualTo(3350);
        assertThat(catalog.find("NVIDIA H100 80GB HBM3")).map(HardwareSpec::id).contains("h100-sxm");
        assertThat(catalog.find("NVIDIA A100-SXM4-80GB")).map(HardwareSpec::id).contains("a100-sxm");
        assertThat(catalog.find("H100_PCIE")).map(HardwareSpec::id).contains("h100-pcie");
        assertThat(catalog.named("mi300x").peakPerSecond(Precision.BF16)).contains(1307.4e12);
        assertThat(catalog.named("rtx-5090").peakPerSecond(Precision.BF16)).isEmpty();
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> catalog.named("tpu-v9")).hasMessageContaining("unknown hardware 'tpu-v9'")
                .hasMessageContaining("h100-sxm");
    }

    @Test
    void refusesAnEntryWithoutSourceAndNamesUsedTwice() {
        String noSource = "{\"entries\":[{\"id\":\"x\",\"memory_bandwidth_gbs\":1}]}";
        assertThatThrownBy(() -> SpecCatalog.parse(new ByteArrayInputStream(noSource.getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("has no source");
        String twice = "{\"entries\":[{\"id\":\"a\",\"source\":\"s\",\"aliases\":[\"z\"]},{\"id\":\"b\",\"source\":\"s\",\"aliases\":[\"Z\"]}]}";
        assertThatThrownBy(() -> SpecCatalog.parse(new ByteArrayInputStream(twice.getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("used by both a and b");
    }
}
