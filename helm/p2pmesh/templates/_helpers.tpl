{{/*
The prefix of every object's name: the release name (so `helm install mesh` gives mesh-peer-0), or
fullnameOverride. Kept to 52 characters so that "-otel-collector" and the StatefulSet's pod suffix fit.
*/}}
{{- define "p2pmesh.fullname" -}}
{{- default .Release.Name .Values.fullnameOverride | trunc 52 | trimSuffix "-" -}}
{{- end -}}

{{- define "p2pmesh.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels every object carries. Call with (dict "ctx" $ "component" "peer"). */}}
{{- define "p2pmesh.labels" -}}
helm.sh/chart: {{ include "p2pmesh.chart" .ctx }}
{{ include "p2pmesh.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Values.image.tag | default .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: p2pmesh
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
{{- end -}}

{{/* The labels selectors use: stable across upgrades. Call with (dict "ctx" $ "component" "peer"). */}}
{{- define "p2pmesh.selectorLabels" -}}
app.kubernetes.io/name: {{ .ctx.Chart.Name }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* An image reference. Call with (dict "ctx" $ "repository" .Values.image.pserver). */}}
{{- define "p2pmesh.image" -}}
{{- $tag := .ctx.Values.image.tag | default .ctx.Chart.AppVersion -}}
{{- if .ctx.Values.image.registry -}}
{{- printf "%s/%s:%s" (trimSuffix "/" .ctx.Values.image.registry) .repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .repository $tag -}}
{{- end -}}
{{- end -}}

{{/* Object names. */}}
{{- define "p2pmesh.peerName" -}}{{ include "p2pmesh.fullname" . }}-peer{{- end -}}
{{- define "p2pmesh.apiName" -}}{{ include "p2pmesh.fullname" . }}-api{{- end -}}
{{- define "p2pmesh.bootstrapName" -}}{{ include "p2pmesh.fullname" . }}-bootstrap{{- end -}}
{{- define "p2pmesh.collectorName" -}}{{ include "p2pmesh.fullname" . }}-otel-collector{{- end -}}
{{- define "p2pmesh.jaegerName" -}}{{ include "p2pmesh.fullname" . }}-jaeger{{- end -}}
{{- define "p2pmesh.prometheusName" -}}{{ include "p2pmesh.fullname" . }}-prometheus{{- end -}}
{{- define "p2pmesh.grafanaName" -}}{{ include "p2pmesh.fullname" . }}-grafana{{- end -}}

{{/* Pod-level securityContext of the P2PMesh pods: the images' non-root user `app` (UID/GID 1654). */}}
{{- define "p2pmesh.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1654
runAsGroup: 1654
fsGroup: 1654
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Container-level securityContext of every container the chart runs. */}}
{{- define "p2pmesh.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end -}}

{{/*
Environment every P2PMesh container gets: POD_NAME / POD_NAMESPACE from the downward API (the services
put POD_NAME in the k8s.pod.name resource attribute), the OpenTelemetry service name and, with
observability on, the collector's OTLP endpoint; then extraEnv. Call with (dict "ctx" $ "service" "p2pmesh-pserver").
*/}}
{{- define "p2pmesh.commonEnv" -}}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
- name: OTEL_SERVICE_NAME
  value: {{ .service }}
- name: OTEL_RESOURCE_ATTRIBUTES
  value: k8s.namespace.name=$(POD_NAMESPACE)
{{- if .ctx.Values.observability.enabled }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: http://{{ include "p2pmesh.collectorName" .ctx }}:4317
- name: OTEL_EXPORTER_OTLP_PROTOCOL
  value: grpc
- name: OTEL_METRIC_EXPORT_INTERVAL
  value: {{ .ctx.Values.observability.metricExportIntervalMs | quote }}
{{- end }}
{{- with .ctx.Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Checks across values that values.schema.json cannot express; fails the render with a clear message. */}}
{{- define "p2pmesh.validate" -}}
{{- if gt (int .Values.ttl) (int .Values.maxTtl) -}}
{{- fail (printf "ttl (%v) must not exceed maxTtl (%v)" .Values.ttl .Values.maxTtl) -}}
{{- end -}}
{{- if and .Values.maxDegree (lt (int .Values.maxDegree) (int .Values.degree)) -}}
{{- fail (printf "maxDegree (%v) must be at least degree (%v)" .Values.maxDegree .Values.degree) -}}
{{- end -}}
{{- end -}}
