package io.toks.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextAssemblyTest {

    @Test
    void aCharacterSplitAcrossTokensIsHeldUntilComplete() {
        Utf8Assembler a = new Utf8Assembler();
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8); // 3 bytes
        assertThat(a.push(new byte[] {'a', euro[0]})).isEqualTo("a");
        assertThat(a.push(new byte[] {euro[1]})).isEmpty();
        assertThat(a.push(new byte[] {euro[2], 'b'})).isEqualTo("€b");
        byte[] emoji = "😀".getBytes(StandardCharsets.UTF_8); // 4 bytes
        assertThat(a.push(new byte[] {emoji[0], emoji[1], emoji[2]})).isEmpty();
        assertThat(a.push(new byte[] {emoji[3]})).isEqualTo("😀");
        assertThat(a.push(new byte[] {(byte) 0xE2})).isEmpty();
        assertThat(a.flush()).isEqualTo("\uFFFD"); // an unfinished character at the end is replaced, not lost silently
    }

    @Test
    void stopStringsEndTheTextAndAreNotSent() {
        StopStrings s = new StopStrings(List.of("END", "\n\n"));
        StringBuilder sent = new StringBuilder();
        for (String piece : new String[] {"Once", " up", "on E", "N", "D more"}) sent.append(s.push(piece));
        assertThat(s.stopped()).isTrue();
        assertThat(sent.toString() + s.flush()).isEqualTo("Once upon ");
    }

    @Test
    void textThatOnlyLooksLikeAStopStringIsReleased() {
        StopStrings s = new StopStrings(List.of("END"));
        StringBuilder sent = new StringBuilder();
        for (String piece : new String[] {"the E", "N", "d is near"}) sent.append(s.push(piece));
        sent.append(s.flush());
        assertThat(s.stopped()).isFalse();
        assertThat(sent.toString()).isEqualTo("the ENd is near");
    }
}
