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
{{- define "p2pmesh.rabbitmqName" -}}{{ include "p2pmesh.fullname" . }}-rabbitmq{{- end -}}
{{- define "p2pmesh.rabbitmqHeadlessName" -}}{{ include "p2pmesh.fullname" . }}-rabbitmq-headless{{- end -}}
{{- define "p2pmesh.bootstrapClaimName" -}}{{ .Values.directory.persistence.existingClaim | default (include "p2pmesh.bootstrapName" .) }}{{- end -}}

{{/* The Secret Mom__Uri comes from: mom.auth.existingSecret or the chart's `<fullname>-mom`. */}}
{{- define "p2pmesh.momSecretName" -}}
{{- if and (not .Values.mom.uri) .Values.mom.auth.existingSecret -}}
{{- .Values.mom.auth.existingSecret -}}
{{- else -}}
{{- include "p2pmesh.fullname" . }}-mom
{{- end -}}
{{- end -}}

{{/* The Secret of the directory's per-peer secrets: directory.auth.existingSecret or the chart's. */}}
{{- define "p2pmesh.directorySecretName" -}}
{{- .Values.directory.auth.existingSecret | default (printf "%s-directory-secrets" (include "p2pmesh.fullname" .)) -}}
{{- end -}}

{{/* Where the Bootstrap and every PServer find the directory's per-peer secrets (Directory__SecretsDirectory). */}}
{{- define "p2pmesh.directorySecretsPath" -}}/var/run/secrets/p2pmesh/directory{{- end -}}

{{/* storageClassName of a claim from {storageClass}: "" leaves it out (the default class), "-" renders "". */}}
{{- define "p2pmesh.storageClassName" -}}
{{- if eq .storageClass "-" }}
storageClassName: ""
{{- else if .storageClass }}
storageClassName: {{ .storageClass }}
{{- end }}
{{- end -}}

{{/*
The values of a generated Secret, kept across upgrades: each of .keys (key → a generator: "random:N"
for N random alphanumerics, or "value:TEXT") takes its base64 value from .existing (the `data` of the
Secret as the cluster holds it, from `lookup`; empty under `helm template` and on install), else is
generated. Separate from the lookup so that tests/deploy can render it with a stand-in for the cluster.
Call with (dict "existing" $data "keys" (dict "password" "random:32")).
*/}}
{{- define "p2pmesh.keptSecretData" -}}
{{- $existing := .existing | default dict -}}
{{- range $key, $generator := .keys }}
{{- $kept := index $existing $key }}
{{- if $kept }}
{{ $key }}: {{ $kept | quote }}
{{- else if hasPrefix "random:" $generator }}
{{ $key }}: {{ randAlphaNum (trimPrefix "random:" $generator | int) | b64enc | quote }}
{{- else }}
{{ $key }}: {{ trimPrefix "value:" $generator | b64enc | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{/* The `data` of a Secret as the cluster holds it now (empty under `helm template`). Call with (dict "ctx" $ "name" $name). */}}
{{- define "p2pmesh.existingSecretData" -}}
{{- (lookup "v1" "Secret" .ctx.Release.Namespace .name).data | default dict | toJson -}}
{{- end -}}

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

{{/*
Mom__Uri, with mom.enabled: from the Secret, so no credential appears in the pod spec. The in-cluster
broker's URI is composed from MOM_USERNAME / MOM_PASSWORD (secretKeyRef) by dependent environment
variables; an external broker's (mom.uri) is read whole from the Secret's `uri` key.
*/}}
{{- define "p2pmesh.momEnv" -}}
{{- if .Values.mom.enabled }}
{{- $secret := include "p2pmesh.momSecretName" . }}
{{- if .Values.mom.uri }}
- name: Mom__Uri
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: uri
{{- else }}
- name: MOM_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: username
- name: MOM_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: password
- name: Mom__Uri
  value: amqp://$(MOM_USERNAME):$(MOM_PASSWORD)@{{ include "p2pmesh.rabbitmqName" . }}:5672/
{{- end }}
{{- end }}
{{- end -}}

{{/* Directory__SecretsDirectory, with directory.auth.enabled (the Bootstrap's and every PServer's). */}}
{{- define "p2pmesh.directorySecretsEnv" -}}
{{- if .Values.directory.auth.enabled }}
- name: Directory__SecretsDirectory
  value: {{ include "p2pmesh.directorySecretsPath" . }}
{{- end }}
{{- end -}}

{{/* The read-only mount of the per-peer secrets, with directory.auth.enabled. */}}
{{- define "p2pmesh.directorySecretsMount" -}}
{{- if .Values.directory.auth.enabled }}
- name: directory-secrets
  mountPath: {{ include "p2pmesh.directorySecretsPath" . }}
  readOnly: true
{{- end }}
{{- end -}}

{{/* The per-peer secrets volume, with directory.auth.enabled. */}}
{{- define "p2pmesh.directorySecretsVolume" -}}
{{- if .Values.directory.auth.enabled }}
- name: directory-secrets
  secret:
    secretName: {{ include "p2pmesh.directorySecretName" . }}
    defaultMode: 288 # 0440: owner and the pod's fsGroup read
{{- end }}
{{- end -}}

{{/* The Secret holding the PClient-APIs' bearer token (key `token`): apiToken.existingSecret or the chart's. */}}
{{- define "p2pmesh.apiTokenSecretName" -}}
{{- .Values.apiToken.existingSecret | default (printf "%s-api-token" (include "p2pmesh.fullname" .)) -}}
{{- end -}}

{{/* Where the PClient-API reads its bearer token (Api__TokenFile). */}}
{{- define "p2pmesh.apiTokenPath" -}}/var/run/secrets/p2pmesh/api-token{{- end -}}

{{/* P2PMESH_API_TOKEN for the p2pmesh CLI (in the pclient-api container and the test pod), from the token Secret. */}}
{{- define "p2pmesh.apiTokenCliEnv" -}}
{{- if .Values.apiToken.enabled }}
- name: P2PMESH_API_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "p2pmesh.apiTokenSecretName" . }}
      key: token
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
{{- if and .Values.mom.uri .Values.mom.auth.existingSecret -}}
{{- fail "mom.uri (an external broker) and mom.auth.existingSecret (the in-cluster broker's credentials) exclude each other" -}}
{{- end -}}
{{- if and .Values.mom.uri (not .Values.mom.enabled) -}}
{{- fail "mom.uri is set but mom.enabled is false: set mom.enabled=true to point the mesh at that broker" -}}
{{- end -}}
{{- end -}}

{{/* Admission__Required=true (docs/security.md) for every container with admission.required (the services' default is off); refuses admission without per-peer secrets. */}}
{{- define "p2pmesh.admissionEnv" -}}
{{- if and .Values.admission.required (not .Values.directory.auth.enabled) }}
{{- fail "admission.required=true needs directory.auth.enabled=true: peers get their tokens with their directory secrets (or set admission.required=false)" }}
{{- end }}
{{- if .Values.admission.required }}
- name: Admission__Required
  value: "true"
{{- end }}
{{- end -}}

{{/* The TLS Secret (tls.crt, tls.key, ca.crt): tls.existingSecret or the chart's (generated, or cert-manager's). */}}
{{- define "p2pmesh.tlsSecretName" -}}
{{- .Values.tls.existingSecret | default (printf "%s-tls" (include "p2pmesh.fullname" .)) -}}
{{- end -}}

{{/* Where every P2PMesh container finds the TLS Secret's files. */}}
{{- define "p2pmesh.tlsPath" -}}/var/run/secrets/p2pmesh/tls{{- end -}}

{{/* The names the mesh's certificate is valid for: every peer (headless Service), the Bootstrap, and the pod itself. */}}
{{- define "p2pmesh.tlsDnsNames" -}}
{{- $ns := .Release.Namespace -}}
{{- $domain := .Values.clusterDomain -}}
{{- $names := list "localhost" -}}
{{- range $service := list (printf "*.%s" (include "p2pmesh.peerName" .)) (include "p2pmesh.bootstrapName" .) }}
{{- $names = concat $names (list $service (printf "%s.%s" $service $ns) (printf "%s.%s.svc" $service $ns) (printf "%s.%s.svc.%s" $service $ns $domain)) }}
{{- end -}}
{{- toJson $names -}}
{{- end -}}

{{/* Tls__* (docs/security.md, Transport) with tls.enabled; call with (dict "ctx" $ "probe" true) for a gRPC server (adds Tls__ProbePort). */}}
{{- define "p2pmesh.tlsEnv" -}}
{{- if .ctx.Values.tls.enabled }}
- name: Tls__Enabled
  value: "true"
- name: Tls__CertificateFile
  value: {{ include "p2pmesh.tlsPath" .ctx }}/tls.crt
- name: Tls__KeyFile
  value: {{ include "p2pmesh.tlsPath" .ctx }}/tls.key
- name: Tls__CaFile
  value: {{ include "p2pmesh.tlsPath" .ctx }}/ca.crt
{{- if .probe }}
- name: Tls__ProbePort
  value: {{ .ctx.Values.ports.probe | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{/* The read-only mount of the TLS Secret, with tls.enabled. */}}
{{- define "p2pmesh.tlsMount" -}}
{{- if .Values.tls.enabled }}
- name: tls
  mountPath: {{ include "p2pmesh.tlsPath" . }}
  readOnly: true
{{- end }}
{{- end -}}

{{/* The TLS Secret volume, with tls.enabled. */}}
{{- define "p2pmesh.tlsVolume" -}}
{{- if .Values.tls.enabled }}
- name: tls
  secret:
    secretName: {{ include "p2pmesh.tlsSecretName" . }}
    defaultMode: 288 # 0440: owner and the pod's fsGroup read
{{- end }}
{{- end -}}

{{/* The port kubelet's grpc probes use: the plaintext probe port with tls.enabled, else the gRPC port ($port). Call with (dict "ctx" $ "port" N). */}}
{{- define "p2pmesh.probePort" -}}
{{- if .ctx.Values.tls.enabled }}{{ .ctx.Values.ports.probe }}{{ else }}{{ .port }}{{ end -}}
{{- end -}}
