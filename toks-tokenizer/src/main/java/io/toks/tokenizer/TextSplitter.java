package io.toks.tokenizer;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Splits text into the pieces a BPE merges within, reporting char ranges instead of making strings. */
interface TextSplitter {

    /** Receives each piece as a char range of the text, in order; the ranges cover the text. */
    interface Sink {
        void piece(int start, int end);
    }

    void split(String text, Sink sink);

    /** Pieces by a regular expression (Unicode classes); text between matches is a piece of its own. */
    static TextSplitter regex(String expression) {
        Pattern pattern = Pattern.compile(expression, Pattern.UNICODE_CHARACTER_CLASS);
        return (text, sink) -> {
            Matcher m = pattern.matcher(text);
            int last = 0;
            while (m.find()) {
                if (m.start() > last) sink.piece(last, m.start());
                if (m.end() > m.start()) sink.piece(m.start(), m.end());
                last = m.end();
            }
            if (last < text.length()) sink.piece(last, text.length());
        };
    }
}
