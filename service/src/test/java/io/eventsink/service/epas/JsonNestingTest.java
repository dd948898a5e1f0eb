package io.eventsink.service.epas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.stream.JsonParsingException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The depth walker as the /cmcd JSON route uses it before an object reader (which recurses) may read a body. */
class JsonNestingTest {

    private final JsonNesting nesting = new JsonNesting(3);

    private boolean exceeded(String json) {
        return nesting.exceededBy(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void countsObjectsAndArraysAlikeFromOneAtTheTop() {
        assertThat(exceeded("{\"a\":[{\"b\":1}]}")).isFalse();
        assertThat(exceeded("[[[]]]")).isFalse();
        assertThat(exceeded("{\"a\":[{\"b\":[]}]}")).isTrue();
        assertThat(exceeded("[[[[]]]]")).isTrue();
        assertThat(exceeded("\"a scalar\"")).isFalse();
    }

    @Test
    void stopsAtTheLimitWithoutReadingTheRest() {
        // a million opening brackets never closed: refused at the fourth
        assertThat(exceeded("[".repeat(1_000_000))).isTrue();
    }

    @Test
    void malformedJsonOrATextCutShortIsTheParsersException() {
        assertThatThrownBy(() -> exceeded("{\"a\" 1}")).isInstanceOf(JsonParsingException.class);
        assertThatThrownBy(() -> exceeded("{\"a\":[1,")).isInstanceOf(JsonParsingException.class);
        assertThatThrownBy(() -> exceeded("[[")).isInstanceOf(JsonParsingException.class);
    }
}
