// @tars-ts/api: the custom resources of group k8s.tars.io (types, schemas, defaults, validation,
// conversion) and the CRDs rendered from them. Pure: no I/O, no Kubernetes client.
export * from './errors.ts';
export * from './meta/constants.ts';
export * from './meta/names.ts';
export type { AnyObject, ObjectMeta, OwnerReference, TypeMeta } from './meta/object-meta.ts';

export { s, type Infer, type Node, type Schema } from './schema/dsl.ts';
export { toOpenAPI, type JSONSchemaProps } from './schema/openapi.ts';
export { checkValue } from './schema/check.ts';
export { applyDefaults, prune } from './schema/defaults.ts';
export { normalize, schemaFor, validateSchema } from './schema/lookup.ts';

export type { EnvVar, EnvFromSource } from './core/env.ts';
export type { ResourceList, ResourceRequirements } from './core/resources.ts';
export type { NodeSelectorRequirement } from './core/node-selector.ts';
export type { ContainerStatus } from './core/container-status.ts';
export type { MountSource, PersistentVolumeClaimSpec, TLocalVolume } from './core/volumes.ts';

export type { KindDefinition, PrinterColumn, VersionDefinition } from './kinds/resource.ts';
export { KINDS, kindDefinition } from './kinds/all.ts';
export * as tserverV1beta3 from './kinds/tserver/v1beta3.ts';
export * as tserverV1beta2 from './kinds/tserver/v1beta2.ts';
export * as frameworkConfigV1beta3 from './kinds/tframeworkconfig/v1beta3.ts';
export * as frameworkConfigV1beta2 from './kinds/tframeworkconfig/v1beta2.ts';
export type {
  TServer,
  TServerSpec,
  TServerK8S,
  TServerTars,
  TServerNormal,
  TServerRelease,
  TServerStatus,
  TarsServant,
  ServerPort,
  HostPort,
  Mount,
  UpdateStrategy,
  SubType,
} from './kinds/tserver/v1beta3.ts';
export type { TServer as TServerV1beta2 } from './kinds/tserver/v1beta2.ts';
export type { TFrameworkConfig, UpChainEndpoint } from './kinds/tframeworkconfig/v1beta3.ts';
export type { TFrameworkConfig as TFrameworkConfigV1beta2 } from './kinds/tframeworkconfig/v1beta2.ts';
export * from './kinds/tendpoint.ts';
export * from './kinds/ttemplate.ts';
export * from './kinds/tconfig.ts';
export * from './kinds/ttree.ts';
export * from './kinds/texitedrecord.ts';
export * from './kinds/taccount.ts';
export * from './kinds/timage.ts';
export { TServerKind } from './kinds/tserver/kind.ts';
export { TFrameworkConfigKind } from './kinds/tframeworkconfig/kind.ts';

export { tserverToV1beta2, tserverToV1beta3 } from './kinds/tserver/convert.ts';
export { frameworkConfigToV1beta2, frameworkConfigToV1beta3 } from './kinds/tframeworkconfig/convert.ts';
export { ConversionError, convertObject, reviewConversion, type ConversionReview } from './conversion/convert.ts';

export type { Mutated, WithMeta } from './admission/common.ts';
export { isController, isKubeSystem } from './admission/common.ts';
export { clampReplicas, defaultTServer, replicaBounds, type ReplicaBounds, type TServerDefaultsContext } from './admission/tserver-defaults.ts';
export { validateTServer, RESERVED_MOUNT_NAMES, type TServerValidationContext } from './admission/tserver-validate.ts';
export * from './admission/tconfig.ts';
export * from './admission/ttemplate.ts';
export * from './admission/ttree.ts';
export * from './admission/taccount.ts';
export * from './admission/timage.ts';
export { autoRelease } from './admission/auto-release.ts';
export { jsonPatch, pointerSegment, type JsonPatchOperation } from './admission/json-patch.ts';
export { mutate, validate, type AdmissionLookups, type MutateResult, type Operation, type ValidateResult } from './admission/review.ts';

export { renderCrd, crdName, DEFAULT_CONVERSION_CLIENT, CATEGORIES, type CustomResourceDefinition, type WebhookClientConfig } from './crd/render.ts';
export { CONVERSION_WEBHOOK_CRDS, caBundlePatch } from './crd/ca-bundle.ts';
