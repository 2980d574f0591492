{{- define "tarsframework.labels" -}}
app.kubernetes.io/name: tarsframework
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Values.framework.tag | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "tarsframework.registry" -}}
{{- $r := required "framework.registry is required (e.g. registry.example.com/tars)" .Values.framework.registry -}}
{{- if not (regexMatch "^[\\w.~%-]+(:\\d{1,5})?(/[\\w.~%-]+){0,5}$" $r) -}}
{{- fail (printf "framework.registry %q is not a registry path" $r) -}}
{{- end -}}
{{- $r -}}
{{- end -}}

{{- define "tarsframework.tag" -}}
{{- $t := required "framework.tag is required" .Values.framework.tag -}}
{{- if not (regexMatch "^([0-9A-Za-z][-_.0-9A-Za-z]*)?[0-9A-Za-z]$" $t) -}}
{{- fail (printf "framework.tag %q cannot be a release id (letters, digits, - _ .)" $t) -}}
{{- end -}}
{{- $t -}}
{{- end -}}

{{/* <registry>/tars.<server>:<tag> */}}
{{- define "tarsframework.image" -}}
{{- printf "%s/tars.%s:%s" (include "tarsframework.registry" .ctx) .server (include "tarsframework.tag" .ctx) -}}
{{- end -}}

{{/* The Elasticsearch addresses of template tars.es. */}}
{{- define "tarsframework.elkNodes" -}}
{{- if .Values.elk.nodes -}}
{{- join "\n" .Values.elk.nodes -}}
{{- else if .Values.elasticsearch.enabled -}}
tars-elasticsearch:9200
{{- else -}}
{{- fail "set elk.nodes (host:port of an existing Elasticsearch) or elasticsearch.enabled=true" -}}
{{- end -}}
{{- end -}}

{{/*
The framework services: subType, template, servants (tars) or ports (normal), whether they
talk to the Kubernetes API (own service account, rules in rbac.yaml), extra mounts.
*/}}
{{- define "tarsframework.catalogue" -}}
tarsregistry:
  subType: normal
  ports: [{name: queryobj, port: 17890}, {name: registryobj, port: 17891}]
  serviceAccount: true
  minReplicas: 2
tarsconfig:
  subType: tars
  template: tars.cpp
  servants: [{name: ConfigObj, port: 11111}]
  serviceAccount: true
tarsnotify:
  subType: tars
  template: tars.es
  servants: [{name: NotifyObj, port: 13111}]
  serviceAccount: true
tarslog:
  subType: tars
  template: tars.cpp
  servants: [{name: LogObj, port: 12111, thread: 5}]
  remoteLog: true
tarsstat:
  subType: tars
  template: tars.es
  servants: [{name: StatObj, port: 17000}]
tarsproperty:
  subType: tars
  template: tars.es
  servants: [{name: PropertyObj, port: 14000}]
tarsquerystat:
  subType: tars
  template: tars.es
  servants: [{name: QueryObj, port: 16000}]
tarsqueryproperty:
  subType: tars
  template: tars.es
  servants: [{name: QueryObj, port: 15000}]
tarskevent:
  subType: tars
  template: tars.es
  servants: []
  serviceAccount: true
tarsimage:
  subType: normal
  serviceAccount: true
{{- end -}}

{{- define "tarsframework.fieldEnv" -}}
- name: Namespace
  valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
- name: PodName
  valueFrom: {fieldRef: {fieldPath: metadata.name}}
- name: PodIP
  valueFrom: {fieldRef: {fieldPath: status.podIP}}
{{- end -}}

{{/* Template tars.es (reference §10): where the ES writers and readers find Elasticsearch. */}}
{{- define "tarsframework.esTemplate" -}}
{{- $ns := .Release.Namespace -}}
<tars>
  protocol={{ .Values.elk.protocol }}
  <elk>
    protocol={{ .Values.elk.protocol }}
    <nodes>
      {{- include "tarsframework.elkNodes" . | nindent 6 }}
    </nodes>
    <index>
      notify={{ $ns }}_notify_
      kevent={{ $ns }}_kevent_
    </index>
    <indexpre>
      stat={{ $ns }}_stat_
      property={{ $ns }}_property_
    </indexpre>
    <age>
      notify={{ .Values.elk.age.notify }}
      kevent={{ .Values.elk.age.kevent }}
      stat={{ .Values.elk.age.stat }}
      property={{ .Values.elk.age.property }}
    </age>
  </elk>
</tars>
{{- end -}}
