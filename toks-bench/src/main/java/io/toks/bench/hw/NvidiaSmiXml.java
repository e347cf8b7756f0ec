package io.toks.bench.hw;

import io.toks.core.manifest.TargetFacts.Hardware.Gpu;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * nvidia-smi's XML report ({@code -q -x}, document {@code nvidia_smi_log}): the driver version at
 * the top, then a {@code gpu} element per GPU in index order. Values carry units ({@code 81559 MiB},
 * {@code 700.00 W}, {@code 1980 MHz}) or say {@code N/A}. Element names moved between drivers: the
 * power limit is {@code gpu_power_readings/current_power_limit} from driver 530 on, before that
 * {@code power_readings/power_limit}; both are read.
 */
final class NvidiaSmiXml {

    static final NvidiaSmi.Form FORM = new NvidiaSmi.Form("xml", List.of("-q", "-x"), NvidiaSmiXml::parse);

    private NvidiaSmiXml() {}

    /** @throws IllegalArgumentException where the text is not an nvidia_smi_log or a value does not parse */
    static List<Gpu> parse(String output) {
        Element root = document(output).getDocumentElement();
        if (!root.getTagName().equals("nvidia_smi_log")) throw new IllegalArgumentException("not an nvidia_smi_log but <" + root.getTagName() + ">");
        String driver = NvidiaSmi.text(childText(root, "driver_version"));
        List<Gpu> gpus = new ArrayList<>();
        for (Element gpu : children(root, "gpu")) {
            int index = gpus.size(); // enumeration order is the driver's index (minor_number is Linux-only)
            String where = "gpu " + index + " ";
            String busId = NvidiaSmi.text(path(gpu, "pci", "pci_bus_id"));
            gpus.add(new Gpu(index, NvidiaSmi.text(childText(gpu, "product_name")), NvidiaSmi.text(childText(gpu, "uuid")),
                    NvidiaSmi.number(where + "fb_memory_usage/total", path(gpu, "fb_memory_usage", "total")),
                    NvidiaSmi.number(where + "power limit", powerLimit(gpu)),
                    NvidiaSmi.number(where + "max_clocks/sm_clock", path(gpu, "max_clocks", "sm_clock")),
                    NvidiaSmi.number(where + "max_clocks/mem_clock", path(gpu, "max_clocks", "mem_clock")),
                    driver, busId != null ? busId : NvidiaSmi.text(gpu.getAttribute("id")), null));
        }
        return gpus;
    }

    /** The power limit in force, under the element name of the driver's generation. */
    private static String powerLimit(Element gpu) {
        for (String[] at : new String[][] {{"gpu_power_readings", "current_power_limit"}, {"power_readings", "power_limit"},
                {"gpu_power_readings", "power_limit"}, {"power_readings", "enforced_power_limit"}}) {
            String v = path(gpu, at[0], at[1]);
            if (!NvidiaSmi.unavailable(v)) return v;
        }
        return null;
    }

    /**
     * Parsed without fetching anything: the report names a DTD ({@code nvsmi_device_v12.dtd}) that
     * is not there to load, and no entity of a file must reach out.
     */
    private static Document document(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setExpandEntityReferences(false);
            f.setXIncludeAware(false);
            var builder = f.newDocumentBuilder();
            builder.setErrorHandler(null); // the error comes back as the exception; by default it is also printed to stderr
            return builder.parse(new InputSource(new StringReader(xml.strip())));
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        } catch (SAXException | IOException e) {
            throw new IllegalArgumentException("not XML: " + e.getMessage());
        }
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> list = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) list.add(e);
        }
        return list;
    }

    /** The text of the direct child {@code name}; null when there is none. */
    private static String childText(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.getFirst().getTextContent();
    }

    /** The text of {@code outer/inner} below {@code parent}; null when either is missing. */
    private static String path(Element parent, String outer, String inner) {
        List<Element> found = children(parent, outer);
        return found.isEmpty() ? null : childText(found.getFirst(), inner);
    }
}
