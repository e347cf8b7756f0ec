package io.toks.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DegenerateTextTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "the the the the the the the the the the the the the the the the",
            "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
            "ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab",
            "Once upon a time, there was a cat. cat cat cat cat cat cat cat cat cat cat cat cat cat cat cat cat cat",
            "\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n",
            "好的好的好的好的好的好的好的好的好的好的好的好的好的好的好的好的好的好的"})
    void repeatedPiecesAreDegenerate(String text) {
        assertThat(DegenerateText.isDegenerate(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Once upon a time, there was a little girl named Lily. She loved to play outside in the sunshine. One day, she saw a big, red ball.",
            "It is a truth universally acknowledged, that a single man in possession of a good fortune, must be in want of a wife.",
            "Der schnelle braune Fuchs springt über den faulen Hund, und die Katze schläft auf dem warmen Sofa.",
            "我们今天去公园散步，天气很好，孩子们在草地上玩耍，老人们在树下下棋。",
            "def add(a, b):\n    return a + b\n\nprint(add(2, 3))\nfor i in range(10):\n    print(i * i)\n",
            "short: no no no", // too short to judge
            "Item 1\nItem 2\nItem 3\nItem 4\nItem 5\nItem 6\nItem 7\nItem 8\nItem 9\n", // a list repeats a frame, not itself
            "xq7 Vb2 lorem 9z kk ap0 Zeta plm ootr wq2 zn8 rr1 t0p"})
    void naturalOrRandomTextIsNot(String text) {
        assertThat(DegenerateText.isDegenerate(text)).isFalse();
    }
}
