package io.eventsink.operator.crd.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** {@code spec.serviceAccount}: the account the pods run under (and its IAM role). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = ServiceAccountSpec.EXCLUSIVE_RULE,
        message = "name (existing service account) and iamRoleArn are mutually exclusive")
public class ServiceAccountSpec {
    public static final String EXCLUSIVE_RULE = "!has(self.name) || !has(self.iamRoleArn)";

    @JsonPropertyDescription("Use this existing service account instead of creating one.")
    public String name;

    @JsonPropertyDescription("IAM role for IRSA, set as eks.amazonaws.com/role-arn on the created service account.")
    @Pattern("^arn:aws[a-z-]*:iam::\\d{12}:role/.+$")
    public String iamRoleArn;

    public Map<String, String> annotations;
}
