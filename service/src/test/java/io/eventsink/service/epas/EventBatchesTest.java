package io.eventsink.service.epas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventBatchesTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> events(EventBatches.Split split) {
        assertThat(split).isInstanceOf(EventBatches.Events.class);
        return ((EventBatches.Events) split)
                .events().stream()
                        .map(e -> new String(e, StandardCharsets.UTF_8))
                        .toList();
    }

    @Test
    void splitsAnArrayIntoItsElementsExactlyAsWritten() {
        String a = "{\"s\":\"a,]}\\\"\",\"p\":{\"x\":[1,{\"y\":2}]}}";
        String b = "{ \"s\" : \"\u00e5\" }";
        assertThat(events(EventBatches.array(b(" [ " + a + " ,\n" + b + "]\n"), 10)))
                .containsExactly(a, b);
    }

    @Test
    void elementsAreNotJudgedHereOnlyTheArray() {
        assertThat(events(EventBatches.array(b("[1, \"x\", {\"bad\":}]"), 10)))
                .containsExactly("1", "\"x\"", "{\"bad\":}");
    }

    @Test
    void thingsThatAreNotABatch() {
        for (String body : List.of("[", "[{}", "[{},]", "[,{}]", "[{}] x", "[]", "  ", "{}", "[{\"a\":\"]}")) {
            assertThat(EventBatches.array(b(body), 10)).as(body).isInstanceOf(EventBatches.NotABatch.class);
        }
    }

    @Test
    void tooManyEvents() {
        assertThat(EventBatches.array(b("[{},{},{}]"), 2)).isEqualTo(new EventBatches.TooMany(2));
        assertThat(EventBatches.ndjson(b("{}\n{}\n{}\n"), 2)).isEqualTo(new EventBatches.TooMany(2));
        assertThat(events(EventBatches.array(b("[{},{}]"), 2))).hasSize(2);
    }

    @Test
    void ndjsonLinesWithCrLfAndBlankLines() {
        assertThat(events(EventBatches.ndjson(b("{\"a\":1}\r\n\n  {\"b\":2}  \n"), 10)))
                .containsExactly("{\"a\":1}", "{\"b\":2}");
        assertThat(EventBatches.ndjson(b("\n \r\n"), 10)).isInstanceOf(EventBatches.NotABatch.class);
    }

    @Test
    void aDeeplyNestedArrayIsScannedWithoutRecursion() {
        String deep = "[".repeat(200_000) + "]".repeat(200_000);
        assertThat(events(EventBatches.array(b("[" + deep + "]"), 10))).hasSize(1);
    }
}
