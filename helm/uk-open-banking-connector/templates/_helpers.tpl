{{/* Chart name, overridable. */}}
{{- define "connector.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Full name: release-prefixed unless the release name already contains the chart name. */}}
{{- define "connector.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "connector.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Selector labels: stable across upgrades (a Deployment's selector is immutable). */}}
{{- define "connector.selectorLabels" -}}
app.kubernetes.io/name: {{ include "connector.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: api
{{- end -}}

{{- define "connector.labels" -}}
helm.sh/chart: {{ include "connector.chart" . }}
app.kubernetes.io/name: {{ include "connector.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: uk-open-banking-connector
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "connector.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "connector.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The migrations Job runs before the release's own resources exist (pre-install), so it has
     its own hook ServiceAccount with the same annotations (IRSA role). */}}
{{- define "connector.migrationsServiceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- printf "%s-migrations" (include "connector.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "connector.serviceAccountAnnotations" -}}
{{- $annotations := deepCopy (default (dict) .Values.serviceAccount.annotations) -}}
{{- with .Values.serviceAccount.awsRoleArn -}}
{{- $_ := set $annotations "eks.amazonaws.com/role-arn" . -}}
{{- end -}}
{{- if $annotations -}}
{{ toYaml $annotations }}
{{- end -}}
{{- end -}}

{{- define "connector.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/* Non-secret configuration as NAME: value (strings), the single source for the ConfigMap
     and the migrations Job's environment. Empty values are left out so the connector's own
     defaults apply. */}}
{{- define "connector.configData" -}}
{{- $c := .Values.config -}}
{{- $d := dict
  "NODE_ENV" $c.nodeEnv
  "PORT" (toString $c.port)
  "LOG_LEVEL" $c.logLevel
  "BANK_HTTP_TIMEOUT_MS" (toString $c.bankHttpTimeoutMs)
  "IDEMPOTENCY_LOCK_SECONDS" (toString $c.idempotencyLockSeconds)
  "DATABASE_POOL_SIZE" (toString $c.databasePoolSize)
  "AWS_REGION" $c.awsRegion
  "BANK_PROFILE_OVERRIDES" (toJson $c.bankProfileOverrides)
-}}
{{- with $c.publicBaseUrl }}{{ $_ := set $d "PUBLIC_BASE_URL" . }}{{ end -}}
{{- with $c.awsSsmEndpoint }}{{ $_ := set $d "AWS_SSM_ENDPOINT" . }}{{ end -}}
{{- with .Values.extraBankProfiles.configMapName }}{{ $_ := set $d "BANK_PROFILES_EXTRA_DIR" $.Values.extraBankProfiles.mountPath }}{{ end -}}
{{- range $envName, $dir := dict "SANDBOX" $c.directory.sandbox "PRODUCTION" $c.directory.production -}}
{{- with $dir.tokenUrl }}{{ $_ := set $d (printf "DIRECTORY_%s_TOKEN_URL" $envName) . }}{{ end -}}
{{- with $dir.ssaUrl }}{{ $_ := set $d (printf "DIRECTORY_%s_SSA_URL" $envName) . }}{{ end -}}
{{- with $dir.scope }}{{ $_ := set $d (printf "DIRECTORY_%s_SCOPE" $envName) . }}{{ end -}}
{{- with $dir.audience }}{{ $_ := set $d (printf "DIRECTORY_%s_AUDIENCE" $envName) . }}{{ end -}}
{{- end -}}
{{- range $k, $v := $c.extraEnv -}}
{{- $_ := set $d $k (toString $v) -}}
{{- end -}}
{{- toYaml $d -}}
{{- end -}}

{{/* One secret setting: an env var from a Secret key, or NAME_SSM naming an SSM parameter. */}}
{{- define "connector.secretEnvVar" -}}
{{- $s := .setting -}}
{{- if eq $s.source "secret" }}
- name: {{ .env }}
  valueFrom:
    secretKeyRef:
      name: {{ default (default (include "connector.fullname" .root) .root.Values.secrets.existingSecret) $s.secretName | quote }}
      key: {{ $s.secretKey | quote }}
{{- else if eq $s.source "ssm" }}
- name: {{ printf "%s_SSM" .env }}
  value: {{ required (printf "secrets: %s comes from SSM but its ssmParameter is empty" .env) $s.ssmParameter | quote }}
{{- end }}
{{- end -}}

{{- define "connector.secretEnv" -}}
{{- if eq .Values.secrets.apiKeys.source "none" -}}
{{- fail "secrets.apiKeys.source must be secret or ssm: the connector refuses to start without caller API keys" -}}
{{- end -}}
{{- if eq .Values.secrets.databaseUrl.source "none" -}}
{{- fail "secrets.databaseUrl.source must be secret or ssm: replicas are stateless and need PostgreSQL (DATABASE_URL)" -}}
{{- end -}}
{{- include "connector.secretEnvVar" (dict "root" . "env" "DATABASE_URL" "setting" .Values.secrets.databaseUrl) }}
{{- include "connector.secretEnvVar" (dict "root" . "env" "API_KEYS" "setting" .Values.secrets.apiKeys) }}
{{- include "connector.secretEnvVar" (dict "root" . "env" "ENCRYPTION_KEY" "setting" .Values.secrets.encryptionKey) }}
{{- end -}}

{{- define "connector.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpVolume.sizeLimit }}
{{- with .Values.extraBankProfiles.configMapName }}
- name: extra-bank-profiles
  configMap:
    name: {{ . | quote }}
{{- end }}
{{- with .Values.extraVolumes }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "connector.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if .Values.extraBankProfiles.configMapName }}
- name: extra-bank-profiles
  mountPath: {{ .Values.extraBankProfiles.mountPath }}
  readOnly: true
{{- end }}
{{- with .Values.extraVolumeMounts }}
{{ toYaml . }}
{{- end }}
{{- end -}}
