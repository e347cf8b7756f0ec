package io.toks.core.result;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What Jackson says when a result document's tree does not fit the records, said as the user
 * reads the document: the field's path ({@code runs[0].metrics.prefill_tps.samples}), what it
 * should hold and what it holds. Java and Jackson class names never reach the message.
 */
final class MappingErrors {

    /** The name in a helpful NullPointerException: {@code ... because "samplesTs" is null}. */
    private static final Pattern NULL_NAME = Pattern.compile("because \"([A-Za-z][A-Za-z0-9]*)\" is null");

    private MappingErrors() {}

    static String describe(JsonMappingException e, JsonNode root) {
        String path = path(e.getPath());
        String what = switch (e) {
            case InvalidTypeIdException t -> "unknown kind " + shownText(t.getTypeId()) + " (expected " + runKinds() + ")";
            case InvalidFormatException f -> "expected " + words(f.getTargetType()) + ", not " + shownValue(f.getValue());
            case MismatchedInputException m -> "expected " + words(m.getTargetType()) + ", not " + shown(at(root, e.getPath()));
            case ValueInstantiationException v -> missingField(v.getCause());
            default -> "cannot be read: " + withoutLocation(e.getOriginalMessage());
        };
        return path.isEmpty() ? what : path + ": " + what;
    }

    /** A JSON value as it appears in the document, cut short where long. */
    static String shown(JsonNode node) {
        if (node == null || node.isMissingNode()) return "missing";
        String text = node.toString();
        return text.length() > 40 ? text.substring(0, 37) + "..." : text;
    }

    private static String shownValue(Object value) {
        return value instanceof String s ? shownText(s) : String.valueOf(value);
    }

    private static String shownText(String text) {
        return text == null ? "none" : "\"" + text + "\"";
    }

    /** {@code runs[0].metrics.prefill_tps}: JSON names as written, list places in brackets. */
    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : references) {
            if (r.getFieldName() != null) path.append(path.isEmpty() ? "" : ".").append(r.getFieldName());
            else if (r.getIndex() >= 0) path.append('[').append(r.getIndex()).append(']');
        }
        return path.toString();
    }

    private static JsonNode at(JsonNode root, List<JsonMappingException.Reference> references) {
        JsonNode node = root;
        for (JsonMappingException.Reference r : references) {
            if (node == null) return null;
            node = r.getFieldName() != null ? node.get(r.getFieldName()) : node.get(r.getIndex());
        }
        return node;
    }

    /** A record's constructor refused its values: a required field is missing, or a value is out of range. */
    private static String missingField(Throwable cause) {
        if (cause instanceof NullPointerException npe && npe.getMessage() != null) {
            Matcher m = NULL_NAME.matcher(npe.getMessage());
            if (m.find()) return "no \"" + snakeCase(m.group(1)) + "\" field (or it is null)";
        }
        if (cause instanceof IllegalArgumentException && cause.getMessage() != null) return ResultText.firstLine(cause.getMessage());
        return "a required field is missing or null";
    }

    private static String snakeCase(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static String runKinds() {
        return Arrays.stream(Run.class.getAnnotation(JsonSubTypes.class).value()).map(JsonSubTypes.Type::name)
                .collect(Collectors.joining(", "));
    }

    /** What a field of this Java type holds, in the JSON's words. */
    private static String words(Class<?> type) {
        if (type == null) return "another value";
        if (type == double[].class || type == long[].class || type == int[].class) return "a list of numbers";
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) return "a number";
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class || type == short.class) return "a whole number";
        if (type == boolean.class || type == Boolean.class) return "true or false";
        if (type == String.class) return "text";
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(c -> "\"" + c + "\"").collect(Collectors.joining(", "));
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) return "a list";
        if (Map.class.isAssignableFrom(type) || type.isRecord() || type.isInterface()) return "an object";
        return "another value";
    }

    /** Jackson's own message without the " at [Source: ...]" tail, for the few failures named above by kind. */
    private static String withoutLocation(String message) {
        String first = ResultText.firstLine(message);
        int backtick = first.indexOf('`');
        return backtick < 0 ? first : first.substring(0, backtick).strip();
    }
}
