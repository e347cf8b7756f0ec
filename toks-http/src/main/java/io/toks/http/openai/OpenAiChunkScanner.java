package io.toks.http.openai;

import io.toks.core.events.Usage;

/**
 * Reads the common shape of an OpenAI streamed chunk straight from its text: {@code choices} (an
 * array; of its first element the text and the finish reason) and {@code usage}, every other
 * value checked for well-formedness and skipped. It allocates only the strings it returns.
 *
 * <p>Why not a JSON library: a load generator reads tens of thousands of chunks a second, and
 * Jackson builds a parser and its contexts per message (with its token stream, those were the
 * client's largest allocation at 50,000 events/s; garbage means collections, and a collection's
 * pause lands on every event in flight). Anything this reader does not expect (an error, a
 * missing {@code choices}, a value of another type, escaped field names, malformed JSON) makes it
 * return null, and the caller reads the message as a Jackson tree, the reference for every case;
 * a differential test holds the two together.
 */
final class OpenAiChunkScanner {

    /** Off the common shape: the caller falls back to the tree reading. No stack trace: it is control flow. */
    private static final class OffShape extends Exception {
        OffShape() {
            super(null, null, false, false);
        }
    }

    private static final OffShape OFF_SHAPE = new OffShape();

    /** Nesting deeper than this is off shape (the tree reading has its own limit): no stack overflow on hostile input. */
    private static final int MAX_DEPTH = 64;

    private final String s;
    private final boolean chat;
    /** The next character to read. */
    private int at;
    /** Where the last field name read ends (its closing quote). */
    private int nameEnd;
    /** Containers open while skipping a value. */
    private int depth;

    private OpenAiChunkScanner(String s, boolean chat) {
        this.s = s;
        this.chat = chat;
    }

    /** The chunk, or null when the message is off the common shape (or not JSON). */
    static StreamChunk read(String json, ApiFlavor flavor) {
        try {
            return new OpenAiChunkScanner(json, flavor == ApiFlavor.CHAT).chunk();
        } catch (OffShape e) {
            return null;
        }
    }

    private StreamChunk chunk() throws OffShape {
        String text = "", finish = null;
        Usage usage = null;
        boolean choices = false;
        expect('{');
        if (!tryConsume('}')) {
            do {
                int name = fieldName();
                if (nameIs(name, "error")) {
                    if (!tryLiteral("null")) throw OFF_SHAPE;
                } else if (nameIs(name, "usage")) {
                    usage = skipWs() == '{' ? usage() : skipValueAnd((Usage) null); // the tree ignores a usage that is not an object
                } else if (nameIs(name, "choices")) {
                    expect('[');
                    choices = true;
                    text = "";
                    finish = null;
                    if (!tryConsume(']')) {
                        if (skipWs() == '{') {
                            Choice first = choice();
                            text = first.text();
                            finish = first.finishReason();
                        } else {
                            skipValue();
                        }
                        while (tryConsume(',')) skipValue();
                        expect(']');
                    }
                } else {
                    skipValue();
                }
            } while (tryConsume(','));
            expect('}');
        }
        if (skipWs() != -1 || !choices) throw OFF_SHAPE;
        return new StreamChunk(text, finish, usage, null, false);
    }

    /** What a chunk keeps of its first choice. */
    private record Choice(String text, String finishReason) {}

    /** A choice object: its text (chat: delta.content; completions: text) and finish_reason. */
    private Choice choice() throws OffShape {
        String text = "", finish = null;
        expect('{');
        if (!tryConsume('}')) {
            do {
                int name = fieldName();
                if (nameIs(name, "finish_reason")) {
                    finish = tryLiteral("null") ? null : string();
                } else if (chat && nameIs(name, "delta")) {
                    text = skipWs() == '{' ? deltaContent() : skipValueAnd("");
                } else if (!chat && nameIs(name, "text")) {
                    text = tryLiteral("null") ? "" : string();
                } else {
                    skipValue();
                }
            } while (tryConsume(','));
            expect('}');
        }
        return new Choice(text, finish);
    }

    private String deltaContent() throws OffShape {
        String text = "";
        expect('{');
        if (!tryConsume('}')) {
            do {
                int name = fieldName();
                if (nameIs(name, "content")) text = tryLiteral("null") ? "" : string();
                else skipValue();
            } while (tryConsume(','));
            expect('}');
        }
        return text;
    }

    private Usage usage() throws OffShape {
        int prompt = -1, completion = -1;
        expect('{');
        if (!tryConsume('}')) {
            do {
                int name = fieldName();
                if (nameIs(name, "prompt_tokens")) prompt = plainInt();
                else if (nameIs(name, "completion_tokens")) completion = plainInt();
                else skipValue();
            } while (tryConsume(','));
            expect('}');
        }
        return new Usage(prompt, completion);
    }

    // ---- JSON pieces ----

    /** A field name and its colon; returns where the name's characters start (they contain no escape). */
    private int fieldName() throws OffShape {
        expect('"');
        int start = at;
        while (at < s.length()) {
            char c = s.charAt(at);
            if (c == '"') break;
            if (c == '\\' || c < 0x20) throw OFF_SHAPE;
            at++;
        }
        if (at >= s.length()) throw OFF_SHAPE;
        nameEnd = at;
        at++;
        expect(':');
        return start;
    }

    private boolean nameIs(int start, String name) {
        return nameEnd - start == name.length() && s.regionMatches(start, name, 0, name.length());
    }

    /** A string value, unescaped. */
    private String string() throws OffShape {
        expect('"');
        int start = at;
        while (at < s.length()) {
            char c = s.charAt(at);
            if (c == '"') return s.substring(start, at++);
            if (c == '\\') return escapedString(start);
            if (c < 0x20) throw OFF_SHAPE;
            at++;
        }
        throw OFF_SHAPE;
    }

    private String escapedString(int start) throws OffShape {
        StringBuilder b = new StringBuilder(s.length() - start).append(s, start, at);
        while (at < s.length()) {
            char c = s.charAt(at++);
            if (c == '"') return b.toString();
            if (c < 0x20) throw OFF_SHAPE;
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (at >= s.length()) throw OFF_SHAPE;
            char e = s.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> b.append(hex4());
                default -> throw OFF_SHAPE;
            }
        }
        throw OFF_SHAPE;
    }

    private char hex4() throws OffShape {
        if (at + 4 > s.length()) throw OFF_SHAPE;
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(s.charAt(at++), 16);
            if (d < 0) throw OFF_SHAPE;
            v = v * 16 + d;
        }
        return (char) v;
    }

    /** A non-negative integer written as plain digits that fits an int; anything else is off shape (the tree coerces it). */
    private int plainInt() throws OffShape {
        skipWs();
        int start = at;
        long v = 0;
        while (at < s.length() && s.charAt(at) >= '0' && s.charAt(at) <= '9') {
            v = v * 10 + (s.charAt(at++) - '0');
            if (v > Integer.MAX_VALUE) throw OFF_SHAPE;
        }
        int digits = at - start;
        if (digits == 0 || (digits > 1 && s.charAt(start) == '0')) throw OFF_SHAPE;
        if (at < s.length() && (s.charAt(at) == '.' || s.charAt(at) == 'e' || s.charAt(at) == 'E')) throw OFF_SHAPE;
        return (int) v;
    }

    private <T> T skipValueAnd(T result) throws OffShape {
        skipValue();
        return result;
    }

    /** Any JSON value, checked for well-formedness. */
    private void skipValue() throws OffShape {
        int c = skipWs();
        switch (c) {
            case '{' -> {
                enter();
                if (!tryConsume('}')) {
                    do {
                        fieldName();
                        skipValue();
                    } while (tryConsume(','));
                    expect('}');
                }
                depth--;
            }
            case '[' -> {
                enter();
                if (!tryConsume(']')) {
                    do skipValue();
                    while (tryConsume(','));
                    expect(']');
                }
                depth--;
            }
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        }
    }

    private void enter() throws OffShape {
        if (++depth > MAX_DEPTH) throw OFF_SHAPE;
        at++;
    }

    /** -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
    private void number() throws OffShape {
        if (peek() == '-') at++;
        if (peek() == '0') {
            at++;
        } else if (digits() == 0) {
            throw OFF_SHAPE;
        }
        if (peek() == '.') {
            at++;
            if (digits() == 0) throw OFF_SHAPE;
        }
        if (peek() == 'e' || peek() == 'E') {
            at++;
            if (peek() == '+' || peek() == '-') at++;
            if (digits() == 0) throw OFF_SHAPE;
        }
        int next = peek();
        if (next >= '0' && next <= '9') throw OFF_SHAPE; // a leading zero followed by digits
    }

    private int digits() {
        int start = at;
        while (at < s.length() && s.charAt(at) >= '0' && s.charAt(at) <= '9') at++;
        return at - start;
    }

    private int peek() {
        return at < s.length() ? s.charAt(at) : -1;
    }

    private void literal(String word) throws OffShape {
        if (!s.startsWith(word, at)) throw OFF_SHAPE;
        at += word.length();
    }

    private boolean tryLiteral(String word) {
        skipWs();
        if (!s.startsWith(word, at)) return false;
        at += word.length();
        return true;
    }

    /** Skips JSON whitespace; returns the next character, or -1 at the end. */
    private int skipWs() {
        while (at < s.length()) {
            char c = s.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return c;
            at++;
        }
        return -1;
    }

    private void expect(char c) throws OffShape {
        if (skipWs() != c) throw OFF_SHAPE;
        at++;
    }

    private boolean tryConsume(char c) {
        if (skipWs() != c) return false;
        at++;
        return true;
    }
}
