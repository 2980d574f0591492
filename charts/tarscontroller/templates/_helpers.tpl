{{/* Common labels of every object of this chart. */}}
{{- define "tarscontroller.labels" -}}
app.kubernetes.io/name: tarscontroller
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Values.controller.tag | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* The registry, checked as upstream did (pattern of controller.registry). */}}
{{- define "tarscontroller.registry" -}}
{{- $r := required "controller.registry is required (e.g. registry.example.com/tars)" .Values.controller.registry -}}
{{- if not (regexMatch "^[\\w.~%-]+(:\\d{1,5})?(/[\\w.~%-]+){0,5}$" $r) -}}
{{- fail (printf "controller.registry %q is not a registry path" $r) -}}
{{- end -}}
{{- $r -}}
{{- end -}}

{{/* <registry>/<repository>:<tag> */}}
{{- define "tarscontroller.image" -}}
{{- $tag := required "controller.tag is required" .ctx.Values.controller.tag -}}
{{- printf "%s/%s:%s" (include "tarscontroller.registry" .ctx) .repository $tag -}}
{{- end -}}

{{- define "tarscontroller.pullSecrets" -}}
{{- if .Values.controller.secret }}
imagePullSecrets:
  - name: {{ .Values.controller.secret }}
{{- end }}
{{- end -}}

{{/* Cluster-scoped names are prefixed with the release namespace, as upstream's tars-system:tars-controller. */}}
{{- define "tarscontroller.clusterName" -}}
{{- printf "%s:%s" .ctx.Release.Namespace .name -}}
{{- end -}}

{{- define "tarscontroller.checkNamespace" -}}
{{- if and .Values.strictNamespace (ne .Release.Namespace "tars-system") -}}
{{- fail (printf "install tarscontroller into namespace tars-system (the CRDs' conversion webhook points at tars-system/tars-webhook-service), not %q; strictNamespace=false overrides this" .Release.Namespace) -}}
{{- end -}}
{{- end -}}
