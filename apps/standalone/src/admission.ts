// The admission webhook's rules for the embedded ClusterState: the same `mutate`/`validate` of
// @tars-ts/api the Kubernetes webhook calls, for the kinds its configurations register
// (TServer, TConfig, TTree, TAccount, TImage, TTemplate). Lookups are read from the cluster
// state at each write. What validation plans besides allow/deny (marking superseded TConfig
// versions for the controller) is logged: there is no controller here to act on it.
import { FRAMEWORK_CONFIG_NAME, formatFieldErrors, mutate, TREE_NAME, validate, type AdmissionLookups, type AnyObject, type TImage } from '@tars-ts/api';
import { InvalidError, isNotFound, type Admission, type ClusterState } from '@tars-ts/cluster';
import type { Logger } from '@tars-ts/rpc';

const MUTATED = new Set(['TServer', 'TConfig', 'TTree', 'TAccount', 'TImage', 'TTemplate']);
const VALIDATED_DELETE = new Set(['TTree', 'TConfig', 'TTemplate']);

async function lookups(cluster: ClusterState, kind: string): Promise<AdmissionLookups> {
  const needs = (...kinds: string[]) => kinds.includes(kind);
  const list = async <K extends 'TTemplate' | 'TServer' | 'TConfig' | 'TImage'>(k: K, when: boolean) => (when ? await cluster.resource(k).list() : []);
  const [templates, tservers, tconfigs, timages] = await Promise.all([
    list('TTemplate', needs('TServer', 'TTemplate')),
    list('TServer', needs('TTemplate', 'TTree')),
    list('TConfig', needs('TConfig')),
    list('TImage', needs('TServer')),
  ]);
  const orUndefined = <T>(p: Promise<T>) => p.catch((e: unknown) => (isNotFound(e) ? undefined : Promise.reject(e)));
  const fc = needs('TServer') ? await orUndefined(cluster.resource('TFrameworkConfig').get(FRAMEWORK_CONFIG_NAME)) : undefined;
  const tree = needs('TTree') ? await orUndefined(cluster.resource('TTree').get(TREE_NAME)) : undefined;
  return {
    now: new Date(),
    ...(fc ? { frameworkConfig: fc } : {}),
    templates: () => templates,
    tservers: () => tservers,
    tconfigs: () => tconfigs,
    timages: () => timages as TImage[],
    treeExists: () => tree !== undefined,
  };
}

export function standaloneAdmission(logger: Logger): Admission {
  return async ({ operation, kind, object, oldObject, cluster }) => {
    if (operation === 'DELETE' ? !VALIDATED_DELETE.has(kind) : !MUTATED.has(kind)) return;
    const l = await lookups(cluster, kind);
    let obj = object as AnyObject | undefined;
    if (operation !== 'DELETE' && obj) {
      const m = mutate(operation, obj, oldObject as AnyObject | undefined, l);
      if (!m.allowed) throw new InvalidError(`admission denied ${kind} ${obj.metadata?.name}: ${formatFieldErrors(m.errors)}`);
      obj = m.object;
    }
    const v = validate(operation, obj, oldObject as AnyObject | undefined, l);
    if (!v.allowed) throw new InvalidError(`admission denied ${kind} ${(obj ?? oldObject)?.metadata?.name}: ${formatFieldErrors(v.errors)}`);
    for (const name of v.deactivate) logger.info(`TConfig ${name} is superseded by ${obj?.metadata?.name} (the newest activated version is served)`);
    for (const name of v.markDeleting) logger.info(`TConfig ${name} would be deleted with ${oldObject?.metadata?.name} on Kubernetes`);
    return obj as never;
  };
}
