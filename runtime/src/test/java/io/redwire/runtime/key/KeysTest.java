package io.redwire.runtime.key;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeysTest {

    @Test
    void withSuffixConcatenates() {
        assertArrayEquals("a:{b}:lease".getBytes(UTF_8), Keys.withSuffix("a:{b}".getBytes(UTF_8), ":lease".getBytes(UTF_8)));
        assertArrayEquals("ab".getBytes(UTF_8), Keys.withSuffix("ab".getBytes(UTF_8), new byte[0]));
    }

    @Test
    void toStringDecodesUtf8() {
        assertEquals("app:{é😀}", Keys.toString("app:{é😀}".getBytes(UTF_8)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"app", "product-cache", "v1.2_beta", "日本", "😀", "A/B", "x|y"})
    void acceptsOrdinaryNames(String name) {
        assertEquals(name, Keys.checkName("cache name", name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a:b", "a{b", "a}b", "a%b", "a b", "a\tb", "a\nb", "a\u0000b", "a\u007fb",
            "a\u00a0b", "a\u2028b", "a\u3000b", "a\uD800b", "\uDC00"})
    void rejectsSeparatorsBracesPercentWhitespaceAndControls(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Keys.checkName("namespace", name));
        assertTrue(e.getMessage().startsWith("namespace "), e.getMessage());
        int bad = name.length() == 1 ? 0 : 1;
        assertTrue(e.getMessage().contains(String.format("U+%04X", (int) name.charAt(bad))), e.getMessage());
    }

    @Test
    void rejectsEmptyAndNull() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Keys.checkName("lock name", ""))
                .getMessage().contains("lock name"));
        assertThrows(IllegalArgumentException.class, () -> Keys.checkName("lock name", null));
    }

    @Test
    void messageNamesTheCharacter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Keys.checkName("kind", "x:y"));
        assertEquals("kind \"x:y\" must not contain ':' (U+003A at index 1)", e.getMessage());
    }
}
