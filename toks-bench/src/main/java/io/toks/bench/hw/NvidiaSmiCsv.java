package io.toks.bench.hw;

import io.toks.core.manifest.TargetFacts.Hardware.Gpu;
import java.util.ArrayList;
import java.util.List;

/**
 * nvidia-smi's CSV query: one line per GPU, the fields below in order, comma + space between
 * them, no header, no units ({@code nounits}: MiB, W, MHz); a value the GPU cannot give is
 * {@code [N/A]} or {@code [Not Supported]}.
 */
final class NvidiaSmiCsv {

    static final List<String> FIELDS = List.of("index", "name", "uuid", "memory.total", "power.limit", "clocks.max.sm",
            "clocks.max.memory", "driver_version", "pci.bus_id");
    static final NvidiaSmi.Form FORM = new NvidiaSmi.Form("csv",
            List.of("--query-gpu=" + String.join(",", FIELDS), "--format=csv,noheader,nounits"), NvidiaSmiCsv::parse);

    private NvidiaSmiCsv() {}

    /** @throws IllegalArgumentException naming the line and field that does not parse */
    static List<Gpu> parse(String output) {
        List<Gpu> gpus = new ArrayList<>();
        String[] lines = output.strip().split("\\R");
        for (int n = 0; n < lines.length; n++) {
            if (lines[n].isBlank()) continue;
            String[] f = lines[n].split(",", -1);
            if (f.length != FIELDS.size()) {
                throw new IllegalArgumentException("line " + (n + 1) + " has " + f.length + " fields, expected " + FIELDS.size() + ": " + lines[n].strip());
            }
            String where = "line " + (n + 1) + ", ";
            double index = NvidiaSmi.number(where + "index", f[0]);
            if (Double.isNaN(index)) throw new IllegalArgumentException(where + "index: '" + f[0].strip() + "'");
            gpus.add(new Gpu((int) index, NvidiaSmi.text(f[1]), NvidiaSmi.text(f[2]), NvidiaSmi.number(where + "memory.total", f[3]),
                    NvidiaSmi.number(where + "power.limit", f[4]), NvidiaSmi.number(where + "clocks.max.sm", f[5]),
                    NvidiaSmi.number(where + "clocks.max.memory", f[6]), NvidiaSmi.text(f[7]), NvidiaSmi.text(f[8]), null));
        }
        return gpus;
    }
}
