package io.eventsink.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventsink.operator.crd.spec.AutoscalingSpec;
import io.eventsink.operator.crd.spec.IngressSpec;
import io.eventsink.operator.crd.spec.PodDisruptionBudgetSpec;
import io.eventsink.operator.crd.spec.ServiceAccountSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehaviorBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ServiceAccount, Service, HPA, PDB and Ingress builders. */
class OwnedObjectModelsTest {

    @Test
    void serviceAccountCarriesTheIrsaRole() {
        var plain = ServiceAccountModel.build(Fixtures.minimalModel());
        assertThat(plain.getMetadata().getName()).isEqualTo("sink");
        assertThat(plain.getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(plain.getAutomountServiceAccountToken()).isFalse();

        var irsa = ServiceAccountModel.build(Fixtures.model(s -> {
            s.serviceAccount = new ServiceAccountSpec();
            s.serviceAccount.iamRoleArn = "arn:aws:iam::123456789012:role/sink";
            s.serviceAccount.annotations = Map.of("owner", "video");
        }));
        assertThat(irsa.getMetadata().getAnnotations())
                .containsEntry("eks.amazonaws.com/role-arn", "arn:aws:iam::123456789012:role/sink")
                .containsEntry("owner", "video");
        assertThat(irsa.getMetadata().getLabels()).containsEntry(Labels.MANAGED_BY, Labels.OPERATOR);
    }

    @Test
    void serviceExposesHttpAndManagement() {
        var svc = ServiceModel.build(Fixtures.minimalModel());
        assertThat(svc.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(svc.getSpec().getSelector()).isEqualTo(Labels.selector(Fixtures.minimalModel()));
        assertThat(svc.getSpec().getPorts())
                .extracting(p -> p.getName() + ":" + p.getPort() + "->"
                        + p.getTargetPort().getStrVal())
                .containsExactly("http:3000->http", "management:9090->management");
        assertThat(Fixtures.minimalModel().endpoint()).isEqualTo("http://sink.ns.svc:3000");
    }

    @Test
    void hpaDefaultsAndOverrides() {
        var hpa = HpaModel.build(Fixtures.minimalModel());
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("sink");
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(10);
        assertThat(hpa.getSpec().getMetrics().get(0).getResource().getTarget().getAverageUtilization())
                .isEqualTo(70);
        var up = hpa.getSpec().getBehavior().getScaleUp();
        assertThat(up.getStabilizationWindowSeconds()).as("scale up at once").isZero();
        assertThat(up.getSelectPolicy()).isEqualTo("Max");
        assertThat(up.getPolicies())
                .extracting(p -> p.getType() + " " + p.getValue() + "/" + p.getPeriodSeconds() + "s")
                .containsExactly("Percent 100/15s", "Pods 4/15s");
        var down = hpa.getSpec().getBehavior().getScaleDown();
        assertThat(down.getStabilizationWindowSeconds())
                .as("scale down after 5 minutes of less demand")
                .isEqualTo(300);
        assertThat(down.getSelectPolicy()).isEqualTo("Max");
        assertThat(down.getPolicies())
                .extracting(p -> p.getType() + " " + p.getValue() + "/" + p.getPeriodSeconds() + "s")
                .containsExactly("Percent 10/60s", "Pods 1/60s");

        var custom = HpaModel.build(Fixtures.model(s -> {
            s.autoscaling = new AutoscalingSpec();
            s.autoscaling.minReplicas = 3;
            s.autoscaling.maxReplicas = 30;
            s.autoscaling.targetCPUUtilizationPercentage = 55;
            s.autoscaling.behavior = new HorizontalPodAutoscalerBehaviorBuilder()
                    .withNewScaleDown()
                    .withStabilizationWindowSeconds(600)
                    .endScaleDown()
                    .build();
        }));
        assertThat(custom.getSpec().getMinReplicas()).isEqualTo(3);
        assertThat(custom.getSpec().getMaxReplicas()).isEqualTo(30);
        assertThat(custom.getSpec()
                        .getMetrics()
                        .get(0)
                        .getResource()
                        .getTarget()
                        .getAverageUtilization())
                .isEqualTo(55);
        assertThat(custom.getSpec().getBehavior().getScaleDown().getStabilizationWindowSeconds())
                .isEqualTo(600);
        assertThat(custom.getSpec().getBehavior().getScaleUp())
                .as("a behaviour in the spec is taken as it is")
                .isNull();
    }

    @Test
    void pdbKeepsOnePodByDefaultAndIsSkippedForSinglePods() {
        var pdb = PdbModel.build(Fixtures.minimalModel());
        assertThat(pdb.getSpec().getMinAvailable()).isEqualTo(new IntOrString(1));
        assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(Labels.selector(Fixtures.minimalModel()));
        var pct = PdbModel.build(Fixtures.model(s -> {
            s.podDisruptionBudget = new PodDisruptionBudgetSpec();
            s.podDisruptionBudget.minAvailable = new IntOrString("50%");
        }));
        assertThat(pct.getSpec().getMinAvailable().getStrVal()).isEqualTo("50%");

        assertThat(Fixtures.minimalModel().wantsPdb()).isTrue();
        assertThat(Fixtures.model(s -> {
                            s.autoscaling = new AutoscalingSpec();
                            s.autoscaling.enabled = false;
                            s.replicas = 1;
                        })
                        .wantsPdb())
                .as("a PDB over one pod would block node drains")
                .isFalse();
    }

    @Test
    void ingressRoutesToTheHttpPortWithTls() {
        var in = IngressModel.build(Fixtures.model(s -> {
            s.ingress = new IngressSpec();
            s.ingress.enabled = true;
            s.ingress.className = "nginx";
            s.ingress.host = "events.example.com";
            s.ingress.path = "/collect";
            s.ingress.tlsSecretName = "events-tls";
            s.ingress.annotations = Map.of("nginx.ingress.kubernetes.io/proxy-body-size", "64k");
        }));
        assertThat(in.getSpec().getIngressClassName()).isEqualTo("nginx");
        var rule = in.getSpec().getRules().get(0);
        assertThat(rule.getHost()).isEqualTo("events.example.com");
        var path = rule.getHttp().getPaths().get(0);
        assertThat(path.getPath()).isEqualTo("/collect");
        assertThat(path.getBackend().getService().getName()).isEqualTo("sink");
        assertThat(path.getBackend().getService().getPort().getName()).isEqualTo("http");
        assertThat(in.getSpec().getTls().get(0).getHosts()).containsExactly("events.example.com");
        assertThat(in.getMetadata().getAnnotations()).containsKey("nginx.ingress.kubernetes.io/proxy-body-size");

        var noTls = IngressModel.build(Fixtures.model(s -> {
            s.ingress = new IngressSpec();
            s.ingress.host = "events.example.com";
        }));
        assertThat(noTls.getSpec().getTls()).isEmpty();
        assertThat(noTls.getSpec().getRules().get(0).getHttp().getPaths().get(0).getPath())
                .isEqualTo("/");
    }
}
