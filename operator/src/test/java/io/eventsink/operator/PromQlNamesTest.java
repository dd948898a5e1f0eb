package io.eventsink.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PromQlNamesTest {

    @Test
    void namesNotLabelsFunctionsOrKeywords() {
        assertThat(PromQlNames.in("sum by (namespace, job) (increase(operator_sdk_reconciliations_failed_total"
                        + "{kind=\"EventSink\"}[{{ .window }}])) > {{ .threshold }}"))
                .containsExactly("operator_sdk_reconciliations_failed_total");
        assertThat(PromQlNames.in("max by (namespace, eventsink) (label_replace(eventsink_operator_eventsink_condition"
                        + "{type=\"Ready\", status=\"False\"}, \"namespace\", \"$1\", \"exported_namespace\", \"(.+)\"))"
                        + " == 1"))
                .containsExactly("eventsink_operator_eventsink_condition");
        assertThat(PromQlNames.in("histogram_quantile(0.99, sum by (le) (rate(a_bucket{x=~\"$ns\"}[5m] offset 1h)))"
                        + " / on (pod) group_left(node) b unless c"))
                .containsExactlyInAnyOrder("a_bucket", "b", "c");
    }

    @Test
    void expressionsFromRulesAndDashboards() {
        String rules = """
                - alert: A
                  expr: |-
                    sum(x_total)
                      > 1
                  for: 5m
                - alert: B
                  expr: y == 0
                """;
        assertThat(PromQlNames.ruleExpressions(rules)).hasSize(2);
        assertThat(PromQlNames.ruleExpressions(rules).get(0))
                .contains("x_total")
                .doesNotContain("for:");
        assertThat(PromQlNames.dashboardExpressions("{\"panels\":[{\"targets\":[{\"expr\":\"up\"}]}]}"))
                .isEqualTo(List.of("up"));
    }
}
