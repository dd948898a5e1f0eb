package io.eventsink.service.cmcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Structured Field Values dictionary rules (RFC 8941 section 4.2) as CMCD records use them. */
class SfvTest {

    private static Map<String, Sfv.Item> parse(String s) {
        return Sfv.parseDictionary(s).members();
    }

    @Test
    void readsEveryKindOfValue() {
        Map<String, Sfv.Item> d = parse("bs,bg=?0,sid=\"6e2f-\\\"x\\\\\",e=ps,ts=1767225600000,pr=1.25,"
                + "br=(3000;v 128;a),ec=(\"E1\" \"E2\"),nor=(\"seg6.m4s\";r=\"0-9999\"),b=:aGk=:,neg=-5");
        assertThat(d.get("bs").value()).isEqualTo(true);
        assertThat(d.get("bg").value()).isEqualTo(false);
        assertThat(d.get("sid").value()).isEqualTo("6e2f-\"x\\");
        assertThat(d.get("e").value()).isEqualTo(new Sfv.Token("ps"));
        assertThat(d.get("ts").value()).isEqualTo(1767225600000L);
        assertThat(d.get("pr").value()).isEqualTo(new BigDecimal("1.25"));
        @SuppressWarnings("unchecked")
        List<Sfv.Item> br = (List<Sfv.Item>) d.get("br").value();
        assertThat(br).extracting(Sfv.Item::value).containsExactly(3000L, 128L);
        assertThat(br.get(0).params()).containsKey("v");
        assertThat(br.get(1).params()).containsKey("a");
        assertThat(d.get("nor").value()).asList().hasSize(1);
        assertThat(new String((byte[]) d.get("b").value())).isEqualTo("hi");
        assertThat(d.get("neg").value()).isEqualTo(-5L);
    }

    @Test
    void whitespaceAroundCommasAndTheLastDuplicateWins() {
        Map<String, Sfv.Item> d = parse("pt=111000, sf=d ,sf=h,  v=2");
        assertThat(d.get("pt").value()).isEqualTo(111000L);
        assertThat(d.get("sf").value()).isEqualTo(new Sfv.Token("h"));
        assertThat(d.get("v").value()).isEqualTo(2L);
    }

    @Test
    void aMemberThatDoesNotParseIsSkippedAndTheRestKept() {
        Sfv.Dictionary d = Sfv.parseDictionary("sid=\"ok\",ts=12a,cid=\"a,b\",pr=1.23456,x=@1,e=t,BAD=1,v=2");
        assertThat(d.members()).containsOnlyKeys("sid", "cid", "e", "v");
        assertThat(d.members().get("cid").value()).isEqualTo("a,b"); // a comma inside a string is no separator
        assertThat(d.errors()).isNotEmpty();
    }

    @Test
    void limitsOfNumbersAndStrings() {
        assertThat(parse("a=999999999999999")).containsKey("a");
        assertThat(parse("a=1000000000000000")).doesNotContainKey("a"); // 16 digits
        assertThat(parse("a=123456789012.123")).containsKey("a");
        assertThat(parse("a=1234567890123.1")).doesNotContainKey("a"); // 13 integer digits
        assertThat(parse("a=\"unterminated")).isEmpty();
        assertThat(parse("a=\"tab\there\"")).isEmpty(); // control characters are not allowed
        assertThat(parse("a=\"\u00e5\u00e4\u00f6 \uD83C\uDFAC\"").get("a").value())
                .isEqualTo("\u00e5\u00e4\u00f6 \uD83C\uDFAC");
    }

    @Test
    void nothingThrowsOnGarbage() {
        for (String s : List.of(
                "",
                ",",
                ",,,",
                "=",
                "a=",
                "(",
                "a=(",
                "a=(1 2",
                "a=(1;",
                "\u0000\u0001",
                "\"",
                "a=:=:",
                "a=?",
                "a=?2",
                "*",
                "a;b=1",
                "a=1;",
                "a=1;;b")) {
            assertThat(Sfv.parseDictionary(s)).isNotNull();
        }
    }
}
