{{/* Names, labels, images and the environment every Python process shares. */}}

{{- define "shelfspace.domainServices" -}}identity library integrations sync audit{{- end -}}

{{- define "shelfspace.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "shelfspace.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains (include "shelfspace.name" .) .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "shelfspace.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Call with (dict "root" $ "component" "gateway"). */}}
{{- define "shelfspace.componentName" -}}
{{- printf "%s-%s" (include "shelfspace.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "shelfspace.selectorLabels" -}}
app.kubernetes.io/name: {{ include "shelfspace.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "shelfspace.labels" -}}
{{ include "shelfspace.selectorLabels" . }}
app.kubernetes.io/version: {{ include "shelfspace.tag" .root | quote }}
app.kubernetes.io/part-of: shelfspace
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "shelfspace.tag" -}}
{{- default .Chart.AppVersion .Values.image.tag -}}
{{- end -}}

{{/* The image of a component: (dict "root" $ "component" "library"). */}}
{{- define "shelfspace.image" -}}
{{- $repo := printf "%s/%s" .root.Values.image.repository .component -}}
{{- if .root.Values.image.registry -}}{{- $repo = printf "%s/%s" .root.Values.image.registry $repo -}}{{- end -}}
{{- printf "%s:%s" $repo (include "shelfspace.tag" .root) -}}
{{- end -}}

{{/* One domain service's settings merged over serviceDefaults: (dict "root" $ "service" "library"). */}}
{{- define "shelfspace.serviceValues" -}}
{{- $own := index .root.Values.services .service | default dict -}}
{{- toYaml (mergeOverwrite (deepCopy .root.Values.serviceDefaults) (deepCopy $own)) -}}
{{- end -}}

{{- define "shelfspace.secretName" -}}
{{- default (printf "%s-secrets" (include "shelfspace.fullname" .)) .Values.secrets.existingSecret -}}
{{- end -}}

{{- define "shelfspace.poolerEnabled" -}}
{{- if and (eq .Values.postgresql.mode "cloudnativepg") .Values.postgresql.cloudnativepg.pooler.enabled -}}true{{- end -}}
{{- end -}}

{{/* Where the processes connect: the primary, or the pooler in front of it when it is on. */}}
{{- define "shelfspace.postgresHost" -}}
{{- if include "shelfspace.poolerEnabled" . -}}
{{- printf "%s-pg-pooler" (include "shelfspace.fullname" .) -}}
{{- else -}}
{{- include "shelfspace.postgresPrimaryHost" . -}}
{{- end -}}
{{- end -}}

{{/* The primary itself: migrations always connect here. */}}
{{- define "shelfspace.postgresPrimaryHost" -}}
{{- if eq .Values.postgresql.mode "cloudnativepg" -}}
{{- printf "%s-pg-rw" (include "shelfspace.fullname" .) -}}
{{- else -}}
{{- required "postgresql.external.host is required when postgresql.mode=external" .Values.postgresql.external.host -}}
{{- end -}}
{{- end -}}

{{- define "shelfspace.postgresPort" -}}
{{- if eq .Values.postgresql.mode "cloudnativepg" -}}5432{{- else -}}{{ .Values.postgresql.external.port }}{{- end -}}
{{- end -}}

{{- define "shelfspace.rabbitmqName" -}}
{{- printf "%s-mq" (include "shelfspace.fullname" .) -}}
{{- end -}}

{{- define "shelfspace.pgRoleSecretPrefix" -}}
{{- default (printf "%s-pg-" (include "shelfspace.fullname" .)) .Values.postgresql.cloudnativepg.roleSecretPrefix -}}
{{- end -}}

{{/* Environment of every Python process: logging, version-independent config, the verifying key. */}}
{{- define "shelfspace.commonEnv" -}}
- name: ENVIRONMENT
  value: {{ .Values.config.environment | quote }}
- name: LOG_FORMAT
  value: {{ .Values.config.logFormat | quote }}
- name: LOG_LEVEL
  value: {{ .Values.config.logLevel | quote }}
- name: INTERNAL_AUTH_PUBLIC_KEYS
  valueFrom:
    secretKeyRef:
      name: {{ include "shelfspace.secretName" . }}
      key: INTERNAL_AUTH_PUBLIC_KEYS
{{- if .Values.tracing.otlpEndpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ .Values.tracing.otlpEndpoint | quote }}
{{- end }}
{{- range $name, $value := .Values.config.extraEnv }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end -}}

{{/* DATABASE_URL of one service's own role; Kubernetes expands $(DB_PASSWORD) from the entry before it. */}}
{{- define "shelfspace.databaseEnv" -}}
{{- $root := .root -}}
- name: DB_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "shelfspace.secretName" $root }}
      key: {{ printf "%s_DB_PASSWORD" (upper .service) }}
- name: DATABASE_URL
  {{- $host := ternary (include "shelfspace.postgresPrimaryHost" $root) (include "shelfspace.postgresHost" $root) (eq (default "" .purpose) "migrate") }}
  value: {{ printf "postgresql+asyncpg://%s%s:$(DB_PASSWORD)@%s:%s/%s" $root.Values.postgresql.rolePrefix .service $host (include "shelfspace.postgresPort" $root) $root.Values.postgresql.database | quote }}
{{- end -}}

{{/* AMQP_URL from an external broker's settings or from the RabbitmqCluster's default-user Secret. */}}
{{- define "shelfspace.amqpEnv" -}}
{{- if eq .Values.rabbitmq.mode "operator" -}}
- name: AMQP_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ printf "%s-default-user" (include "shelfspace.rabbitmqName" .) }}
      key: username
- name: AMQP_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ printf "%s-default-user" (include "shelfspace.rabbitmqName" .) }}
      key: password
- name: AMQP_URL
  value: {{ printf "amqp://$(AMQP_USERNAME):$(AMQP_PASSWORD)@%s:5672/%%2F" (include "shelfspace.rabbitmqName" .) | quote }}
{{- else -}}
- name: AMQP_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "shelfspace.secretName" . }}
      key: AMQP_PASSWORD
- name: AMQP_URL
  value: {{ printf "amqp://%s:$(AMQP_PASSWORD)@%s:%v/%s" .Values.rabbitmq.external.username (required "rabbitmq.external.host is required when rabbitmq.mode=external" .Values.rabbitmq.external.host) .Values.rabbitmq.external.port (urlquery .Values.rabbitmq.external.vhost) | quote }}
{{- end }}
{{- end -}}

{{/* Everything a domain service (and its migrate step and the worker) reads: (dict "root" $ "service" "sync"). */}}
{{- define "shelfspace.serviceEnv" -}}
{{- $root := .root -}}
{{ include "shelfspace.commonEnv" $root }}
- name: PORT
  value: "8000"
- name: DB_POOL_SIZE
  value: {{ (include "shelfspace.serviceValues" .) | fromYaml | dig "dbPoolSize" 4 | int | quote }}
{{ include "shelfspace.databaseEnv" . }}
{{ include "shelfspace.amqpEnv" $root }}
{{- if eq .service "integrations" }}
- name: INTEGRATION_ENCRYPTION_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "shelfspace.secretName" $root }}
      key: INTEGRATION_ENCRYPTION_KEY
- name: INTEGRATION_ENCRYPTION_OLD_KEYS
  valueFrom:
    secretKeyRef:
      name: {{ include "shelfspace.secretName" $root }}
      key: INTEGRATION_ENCRYPTION_OLD_KEYS
      optional: true
- name: OUTBOUND_ALLOWED_NETWORKS
  value: {{ $root.Values.outbound.allowedNetworks | quote }}
- name: OUTBOUND_PRIVATE_NETWORKS
  value: {{ $root.Values.outbound.privateNetworks | quote }}
- name: OUTBOUND_INTERNAL_ENDPOINTS
  value: {{ include "shelfspace.internalEndpoints" $root | quote }}
{{- end }}
{{- if eq .service "library" }}
- name: COVER_STORAGE_DIR
  value: /app/data/covers
- name: COVER_S3_BUCKET
  value: {{ $root.Values.covers.s3.bucket | quote }}
- name: COVER_S3_ENDPOINT_URL
  value: {{ $root.Values.covers.s3.endpointUrl | quote }}
- name: COVER_S3_REGION
  value: {{ $root.Values.covers.s3.region | quote }}
- name: COVER_S3_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef:
      name: {{ include "shelfspace.secretName" $root }}
      key: COVER_S3_ACCESS_KEY_ID
      optional: true
- name: COVER_S3_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "shelfspace.secretName" $root }}
      key: COVER_S3_SECRET_ACCESS_KEY
      optional: true
{{- end }}
{{- if eq .service "identity" }}
- name: SESSION_COOKIE_SECURE
  value: {{ $root.Values.config.sessionCookieSecure | quote }}
- name: SESSION_IDLE_TIMEOUT_SECONDS
  value: {{ $root.Values.config.sessionIdleTimeoutSeconds | int64 | quote }}
- name: SESSION_LIFETIME_SECONDS
  value: {{ $root.Values.config.sessionLifetimeSeconds | int64 | quote }}
- name: PUBLIC_URL
  value: {{ $root.Values.config.publicUrl | quote }}
- name: SMTP_FROM
  value: {{ $root.Values.config.smtpFrom | quote }}
- name: SMTP_STARTTLS
  value: {{ $root.Values.config.smtpStarttls | quote }}
- name: SMTP_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "shelfspace.secretName" $root }}
      key: SMTP_URL
      optional: true
- name: IDENTITY_ENCRYPTION_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "shelfspace.secretName" $root }}
      key: IDENTITY_ENCRYPTION_KEY
      optional: true
- name: IDENTITY_ENCRYPTION_OLD_KEYS
  valueFrom:
    secretKeyRef:
      name: {{ include "shelfspace.secretName" $root }}
      key: IDENTITY_ENCRYPTION_OLD_KEYS
      optional: true
{{- end }}
{{- if eq .service "sync" }}
- name: INTERNAL_AUTH_PRIVATE_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "shelfspace.secretName" $root }}
      key: SYNC_INTERNAL_AUTH_PRIVATE_KEY
- name: LIBRARY_URL
  value: {{ printf "http://%s:8000" (include "shelfspace.componentName" (dict "root" $root "component" "library")) | quote }}
- name: INTEGRATIONS_URL
  value: {{ printf "http://%s:8000" (include "shelfspace.componentName" (dict "root" $root "component" "integrations")) | quote }}
- name: IDENTITY_URL
  value: {{ printf "http://%s:8000" (include "shelfspace.componentName" (dict "root" $root "component" "identity")) | quote }}
{{- end }}
{{- end -}}

{{/* The migrate step of one service, as an init container or a Job container. */}}
{{- define "shelfspace.migrateContainer" -}}
- name: {{ printf "migrate-%s" .service }}
  image: {{ include "shelfspace.image" (dict "root" .root "component" .service) }}
  imagePullPolicy: {{ .root.Values.image.pullPolicy }}
  command: ["python", "-m", "{{ .service }}.migrate"]
  env:
    {{- include "shelfspace.serviceEnv" (merge (dict "purpose" "migrate") .) | nindent 4 }}
    - name: MIGRATION_LOCK_TIMEOUT
      value: {{ .root.Values.migrations.lockTimeout | quote }}
    - name: MIGRATION_LOCK_RETRIES
      value: {{ .root.Values.migrations.lockRetries | quote }}
  resources:
    {{- toYaml .root.Values.migrations.resources | nindent 4 }}
  securityContext:
    {{- toYaml .root.Values.containerSecurityContext | nindent 4 }}
{{- end -}}

{{/* Pod-level settings shared by every workload. */}}
{{- define "shelfspace.podSpecCommon" -}}
automountServiceAccountToken: false
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- end -}}

{{/* Annotations that roll pods when the chart-managed Secret changes. */}}
{{- define "shelfspace.podAnnotations" -}}
{{- if not .Values.secrets.existingSecret -}}
checksum/secrets: {{ include (print .Template.BasePath "/secret.yaml") . | sha256sum }}
{{- end }}
{{- end -}}

{{/* This release's own host:port pairs, never a provider's address (OUTBOUND_INTERNAL_ENDPOINTS). */}}
{{- define "shelfspace.internalEndpoints" -}}
{{- $root := . -}}
{{- $parts := list (printf "%s:%v" (include "shelfspace.componentName" (dict "root" $root "component" "gateway")) $root.Values.gateway.service.port) (printf "%s:%v" (include "shelfspace.componentName" (dict "root" $root "component" "frontend")) $root.Values.frontend.service.port) (printf "%s:%s" (include "shelfspace.postgresHost" $root) (include "shelfspace.postgresPort" $root)) -}}
{{- range $service := splitList " " (include "shelfspace.domainServices" $root) -}}
{{- $parts = append $parts (printf "%s:8000" (include "shelfspace.componentName" (dict "root" $root "component" $service))) -}}
{{- end -}}
{{- $broker := ternary (include "shelfspace.rabbitmqName" $root) $root.Values.rabbitmq.external.host (eq $root.Values.rabbitmq.mode "operator") -}}
{{- $brokerPort := ternary 5672 $root.Values.rabbitmq.external.port (eq $root.Values.rabbitmq.mode "operator") -}}
{{- $parts = concat $parts (list (printf "%s:%v" $broker $brokerPort) (printf "%s:15672" $broker)) -}}
{{- with $root.Values.outbound.extraInternalEndpoints }}{{ $parts = append $parts . }}{{ end -}}
{{- join "," $parts -}}
{{- end -}}

{{/* Postgres connections this release may open at once: each domain service at its HPA's maxReplicas
(else its replicas) times DB_POOL_SIZE plus the relay's listener, and the sync worker's 5 + 1. */}}
{{- define "shelfspace.connectionDemand" -}}
{{- $total := 0 -}}
{{- range $service := splitList " " (include "shelfspace.domainServices" .) -}}
{{- $v := include "shelfspace.serviceValues" (dict "root" $ "service" $service) | fromYaml -}}
{{- $replicas := ternary $v.autoscaling.maxReplicas $v.replicas $v.autoscaling.enabled | int -}}
{{- $total = add $total (mul $replicas (add ($v.dbPoolSize | int) 1)) -}}
{{- end -}}
{{- add $total (mul (.Values.syncWorker.replicas | int) 6) -}}
{{- end -}}

{{/* Server connections the pooler may open: a pool per service role, per pooler instance. */}}
{{- define "shelfspace.poolerServerConnections" -}}
{{- $pooler := .Values.postgresql.cloudnativepg.pooler -}}
{{- mul ($pooler.instances | int) ($pooler.defaultPoolSize | int) (len (splitList " " (include "shelfspace.domainServices" .))) -}}
{{- end -}}

{{- define "shelfspace.connectionSupply" -}}
{{- sub (.Values.postgresql.maxConnections | int) (.Values.postgresql.reservedConnections | int) -}}
{{- end -}}


{{/* The claim own covers are kept on (library), when they are not in an S3 bucket. */}}
{{- define "shelfspace.coversClaim" -}}
{{- .Values.covers.persistence.existingClaim | default (printf "%s-library-covers" (include "shelfspace.fullname" .)) -}}
{{- end -}}
