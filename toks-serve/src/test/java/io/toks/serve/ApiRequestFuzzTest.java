package io.toks.serve;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Coverage-guided fuzzing of toks serve's request parser: any body is a request or a named
 * refusal (an OpenAI-style 400), for completions and chat. In a normal build this runs the seeds
 * in ApiRequestFuzzTestInputs; {@code scripts/fuzz.sh ApiRequestFuzzTest MINUTES} fuzzes.
 */
class ApiRequestFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @FuzzTest(maxDuration = "60s")
    void parsesAnyBodyOrRefusesIt(byte[] body) {
        JsonNode tree;
        try {
            tree = JSON.readTree(body);
        } catch (java.io.IOException e) {
            return; // not JSON (or not decodable): the server answers 400 before the parser, as it does here
        }
        for (boolean chat : new boolean[] {false, true}) {
            try {
                ApiRequest r = ApiRequest.parse(tree, chat, 512);
                if (r.maxTokens() < 0 || r.maxTokens() > 512) throw new AssertionError("max_tokens out of range: " + r.maxTokens());
            } catch (ApiRequest.Invalid refused) {
                // a named refusal
            }
        }
    }
}
