package io.toks.history;

import io.toks.core.result.ResultDocument;

/**
 * A result document as the store holds it.
 *
 * @param id       its id in this store
 * @param complete whether the command ended; an incomplete one holds the runs measured before it stopped
 * @param document the document: its latest manifest and every run stored, in order
 */
public record StoredDocument(long id, boolean complete, ResultDocument document) {}
