{{- define "eventsink-loadtest.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Resource name prefix; kept to 50 characters so "-master"/"-worker"/"-results" suffixes still fit 63. */}}
{{- define "eventsink-loadtest.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "eventsink-loadtest.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "eventsink-loadtest.selectorLabels" -}}
app.kubernetes.io/name: {{ include "eventsink-loadtest.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "eventsink-loadtest.labels" -}}
helm.sh/chart: {{ include "eventsink-loadtest.chart" . }}
{{ include "eventsink-loadtest.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: eventsink
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "eventsink-loadtest.image" -}}
{{- $repo := required "image.repository is required" .Values.image.repository }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" $repo .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" $repo (default .Chart.AppVersion .Values.image.tag | toString) }}
{{- end }}
{{- end }}

{{/* Base URL of the system under test. */}}
{{- define "eventsink-loadtest.targetHost" -}}
{{- if .Values.target.host }}
{{- .Values.target.host }}
{{- else }}
{{- $es := .Values.target.eventSink }}
{{- $name := required "target.eventSink.name (the EventSink Service to test) is required when target.host is empty" $es.name }}
{{- printf "%s://%s.%s.svc:%v" $es.scheme $name (default .Release.Namespace $es.namespace) $es.port }}
{{- end }}
{{- end }}

{{- define "eventsink-loadtest.configMapName" -}}
{{- default (printf "%s-locustfile" (include "eventsink-loadtest.fullname" .)) .Values.locustfile.existingConfigMap }}
{{- end }}

{{/* DNS name workers use to reach the master (a headless Service that publishes not-ready pods). */}}
{{- define "eventsink-loadtest.masterHost" -}}
{{- printf "%s-master.%s.svc" (include "eventsink-loadtest.fullname" .) .Release.Namespace }}
{{- end }}

{{- define "eventsink-loadtest.resultsDir" -}}
{{- printf "/results/%s" .Release.Name }}
{{- end }}

{{/* Pod-level settings shared by master and workers. */}}
{{- define "eventsink-loadtest.podSpecCommon" -}}
automountServiceAccountToken: false
enableServiceLinks: false
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* locust.userClassWeights as the locustfile's LOADTEST_USER_WEIGHTS: "Class=weight,..." (sorted by class). */}}
{{- define "eventsink-loadtest.userClassWeights" -}}
{{- $weights := list }}
{{- range $class, $weight := .Values.locust.userClassWeights }}
{{- $weights = append $weights (printf "%s=%v" $class $weight) }}
{{- end }}
{{- join "," $weights }}
{{- end }}

{{/* Environment shared by master and workers. */}}
{{- define "eventsink-loadtest.env" -}}
- name: HOME
  value: /tmp
- name: PYTHONDONTWRITEBYTECODE
  value: "1"
- name: PYTHONUNBUFFERED
  value: "1"
{{- with .Values.gate.maxFailureRatio | toString }}
- name: LOADTEST_MAX_FAILURE_RATIO
  value: {{ . | quote }}
{{- end }}
{{- with .Values.gate.maxP95Ms | toString }}
- name: LOADTEST_MAX_P95_MS
  value: {{ . | quote }}
{{- end }}
{{- with .Values.gate.minRequests | toString }}
- name: LOADTEST_MIN_REQUESTS
  value: {{ . | quote }}
{{- end }}
{{- with include "eventsink-loadtest.userClassWeights" . }}
- name: LOADTEST_USER_WEIGHTS
  value: {{ . | quote }}
{{- end }}
{{- with .Values.env }}
{{ tpl (toYaml .) $ }}
{{- end }}
{{- end }}

{{- define "eventsink-loadtest.envFrom" -}}
{{- with .Values.envFrom }}
envFrom:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* Locust arguments of the master, in both modes. */}}
{{/* Arguments of the `locust` command (the command itself is set by each container). */}}
{{- define "eventsink-loadtest.masterArgs" -}}
- --locustfile=/mnt/locust/locustfile.py
{{- /* User classes go right after the locustfile: --tags takes a variable number of values and
       would swallow class names placed after it, so --tags comes last. */}}
{{- range .Values.locust.userClasses }}
- {{ . | quote }}
{{- end }}
- --master
- --master-bind-port={{ .Values.master.port }}
- --host={{ include "eventsink-loadtest.targetHost" . }}
- --users={{ .Values.locust.users }}
- --spawn-rate={{ .Values.locust.spawnRate }}
- --stop-timeout={{ .Values.locust.stopTimeout }}
- --loglevel={{ .Values.locust.logLevel }}
{{- $exitCodeOnError := .Values.locust.exitCodeOnError | toString }}
{{- if and (eq $exitCodeOnError "") (ne (.Values.gate.maxFailureRatio | toString) "") }}
{{- $exitCodeOnError = "0" }}
{{- end }}
{{- with $exitCodeOnError }}
- --exit-code-on-error={{ . }}
{{- end }}
{{- if eq .Values.mode "headless" }}
- --headless
- --run-time={{ required "locust.runTime is required in headless mode" .Values.locust.runTime }}
- --expect-workers={{ .Values.workers.replicas }}
- --expect-workers-max-wait={{ .Values.master.expectWorkersMaxWaitSeconds }}
- --csv={{ include "eventsink-loadtest.resultsDir" . }}/eventsink
- --csv-full-history
- --html={{ include "eventsink-loadtest.resultsDir" . }}/eventsink-report.html
{{- else }}
- --web-port={{ .Values.ui.service.port }}
{{- end }}
{{- range .Values.locust.extraArgs }}
- {{ . | quote }}
{{- end }}
{{- with .Values.locust.tags }}
- --tags
{{- range . }}
- {{ . | quote }}
{{- end }}
{{- end }}
{{- end }}

{{- define "eventsink-loadtest.workerArgs" -}}
- --locustfile=/mnt/locust/locustfile.py
- --worker
- --master-host={{ include "eventsink-loadtest.masterHost" . }}
- --master-port={{ .Values.master.port }}
- --loglevel={{ .Values.locust.logLevel }}
{{- /* The master's exit code is the result; a worker that saw a failed request must still exit 0,
       or the worker Job would replace it with a pod that waits for a master that is gone. */}}
- --exit-code-on-error=0
{{- end }}

{{- define "eventsink-loadtest.validate" -}}
{{- if not (has .Values.mode (list "headless" "ui")) }}
{{- fail (printf "mode must be \"headless\" or \"ui\", got %q" .Values.mode) }}
{{- end }}
{{- if lt (int .Values.workers.replicas) 1 }}
{{- fail "workers.replicas must be at least 1" }}
{{- end }}
{{- $_ := include "eventsink-loadtest.targetHost" . }}
{{- end }}

{{- define "eventsink-loadtest.resultsClaimName" -}}
{{- default (printf "%s-results" (include "eventsink-loadtest.fullname" .)) .Values.results.persistence.existingClaim }}
{{- end }}

{{/* Volumes shared by master and workers: the locustfile with the eventsink_loadtest package next to it
     (always the chart's, so a locustfile from locustfile.existingConfigMap can import it too), the
     wrapper script, a writable /tmp. */}}
{{- define "eventsink-loadtest.volumes" -}}
- name: locustfile
  projected:
    sources:
      - configMap:
          name: {{ include "eventsink-loadtest.configMapName" . }}
          items:
            - key: locustfile.py
              path: locustfile.py
      - configMap:
          name: {{ include "eventsink-loadtest.fullname" . }}-locustfile
          items:
            {{- range $path, $_ := .Files.Glob "files/eventsink_loadtest/*.py" }}
            - key: {{ base $path }}
              path: eventsink_loadtest/{{ base $path }}
            {{- end }}
- name: scripts
  configMap:
    name: {{ include "eventsink-loadtest.fullname" . }}-locustfile
    items:
      - key: run-master.sh
        path: run-master.sh
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- end }}

{{- define "eventsink-loadtest.volumeMounts" -}}
- name: locustfile
  mountPath: /mnt/locust
  readOnly: true
- name: scripts
  mountPath: /opt/eventsink-loadtest
  readOnly: true
- name: tmp
  mountPath: /tmp
{{- end }}

{{- define "eventsink-loadtest.podAnnotations" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
{{- with .Values.podAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "eventsink-loadtest.podLabels" -}}
{{ include "eventsink-loadtest.labels" . }}
{{- with .Values.podLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}
