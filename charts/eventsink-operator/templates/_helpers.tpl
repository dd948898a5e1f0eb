{{/* Chart name, truncated to the 63 characters Kubernetes names allow. */}}
{{- define "eventsink-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified name used as the prefix of every resource. */}}
{{- define "eventsink-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "eventsink-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "eventsink-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "eventsink-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "eventsink-operator.labels" -}}
helm.sh/chart: {{ include "eventsink-operator.chart" . }}
{{ include "eventsink-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: eventsink
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "eventsink-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "eventsink-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create=false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Image reference: repository@digest when a digest is given, else repository:tag (tag defaults to appVersion). */}}
{{- define "eventsink-operator.image" -}}
{{- $repo := required "image.repository is required" .Values.image.repository }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" $repo .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" $repo (default .Chart.AppVersion .Values.image.tag | toString) }}
{{- end }}
{{- end }}

{{- define "eventsink-operator.leaseNamespace" -}}
{{- default .Release.Namespace .Values.leaderElection.namespace }}
{{- end }}

{{/*
The rules the operator needs on the namespaces it watches: exactly the API surface listed in
operator/README.md ("Kubernetes RBAC"), no wildcards. Used by the ClusterRole (all namespaces) or each namespaced Role.
*/}}
{{- define "eventsink-operator.watchRules" -}}
- apiGroups: ["eventsink.io"]
  resources: ["eventsinks"]
  verbs: ["get", "list", "watch", "patch", "update"]
- apiGroups: ["eventsink.io"]
  resources: ["eventsinks/status"]
  verbs: ["get", "patch", "update"]
- apiGroups: ["eventsink.io"]
  resources: ["eventsinks/finalizers"]
  verbs: ["update"]
- apiGroups: [""]
  resources: ["serviceaccounts", "configmaps", "services"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: ["autoscaling"]
  resources: ["horizontalpodautoscalers"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: ["networking.k8s.io"]
  resources: ["ingresses"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
# spec.monitoring: the Prometheus Operator's ServiceMonitors (whether that API exists is asked through API
# discovery, which needs no rule)
- apiGroups: ["monitoring.coreos.com"]
  resources: ["servicemonitors"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end }}
