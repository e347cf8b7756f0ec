package io.toks.report;

import io.toks.core.result.ResultDocument;
import java.util.Objects;

/**
 * A result document under the short name a comparison shows it by: one series in every chart
 * of a report, one section of its figures.
 *
 * @param label    the series' name ({@code a}, {@code native}, {@code before}); not blank
 * @param document the document
 */
public record LabeledDocument(String label, ResultDocument document) {

    public LabeledDocument {
        Objects.requireNonNull(document, "document");
        if (label == null || label.isBlank()) throw new IllegalArgumentException("a document's label must not be blank");
    }
}
