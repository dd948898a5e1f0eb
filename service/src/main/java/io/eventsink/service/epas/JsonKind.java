package io.eventsink.service.epas;

import jakarta.json.stream.JsonParser;

/** The kinds of JSON value the EPAS rules tell apart, named as error messages name them. */
enum JsonKind {
    STRING("string"),
    NUMBER("number"),
    BOOLEAN("boolean"),
    NULL("null"),
    OBJECT("object"),
    ARRAY("array");

    final String label;

    JsonKind(String label) {
        this.label = label;
    }

    /** The kind of the value a parser event starts. */
    static JsonKind of(JsonParser.Event value) {
        return switch (value) {
            case VALUE_STRING -> STRING;
            case VALUE_NUMBER -> NUMBER;
            case VALUE_TRUE, VALUE_FALSE -> BOOLEAN;
            case VALUE_NULL -> NULL;
            case START_OBJECT -> OBJECT;
            case START_ARRAY -> ARRAY;
            default -> throw new IllegalStateException("not a value: " + value);
        };
    }
}
