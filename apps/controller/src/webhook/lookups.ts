// What the admission rules look up, read live from the API server for the request's namespace.
// Live reads (not an informer cache) because users create related objects back to back — a
// template then a server, one config version then the next — and a cache a few milliseconds
// behind would deny or let through the wrong thing. Only what the request's kind needs is read.
import bcrypt from 'bcryptjs';
import { CONTROLLER_USER, FRAMEWORK_CONFIG_NAME, Label, TREE_NAME, type AdmissionLookups, type TFrameworkConfig, type TImage } from '@tars-ts/api';
import { NotFoundError, tarsResource, type KubeClient, type KubeObject } from '@tars-ts/cluster';

export interface LookupRequest {
  kind: string;
  /** `k8s.tars.io/<version>` of the object under review. */
  apiVersion?: string;
  namespace: string;
  operation: 'CREATE' | 'UPDATE' | 'DELETE';
  user?: string;
  /** The fields the rules key their lookups on. */
  app?: string;
}

export interface LookupOptions {
  /** Users that act as the tars controller (its service account, or another in tests). */
  controllerUsers: ReadonlySet<string>;
}

async function getOrUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof NotFoundError) return undefined;
    throw e;
  }
}

export async function fetchLookups(client: KubeClient, req: LookupRequest, opts: LookupOptions): Promise<AdmissionLookups> {
  const { kind, namespace, operation } = req;
  const list = async (k: 'TTemplate' | 'TServer' | 'TConfig' | 'TImage', labelSelector?: string) =>
    (await client.list<KubeObject>(tarsResource(k), namespace, labelSelector ? { labelSelector } : {})).items;
  let templates: KubeObject[] = [];
  let tservers: KubeObject[] = [];
  let tconfigs: KubeObject[] = [];
  let timages: TImage[] | undefined;
  let treeExists = false;
  let frameworkConfig: TFrameworkConfig | undefined;

  switch (kind) {
    case 'TServer':
      if (operation !== 'DELETE') {
        [frameworkConfig, templates] = await Promise.all([
          getOrUndefined(client.get<TFrameworkConfig>(tarsResource('TFrameworkConfig'), namespace, FRAMEWORK_CONFIG_NAME)),
          list('TTemplate'),
        ]);
        if (req.apiVersion?.endsWith('/v1beta2')) timages = (await list('TImage')) as unknown as TImage[];
      }
      break;
    case 'TConfig':
      // Every version of the app's configs: siblings are matched on the labels the mutating
      // webhook mirrors from the fields.
      tconfigs = await list('TConfig', req.app ? `${Label.ServerApp}=${req.app}` : undefined);
      break;
    case 'TTemplate':
      templates = await list('TTemplate');
      if (operation === 'DELETE') tservers = await list('TServer');
      break;
    case 'TTree':
      [treeExists, tservers] = await Promise.all([
        getOrUndefined(client.get(tarsResource('TTree'), namespace, TREE_NAME)).then((t) => t !== undefined),
        operation === 'UPDATE' ? list('TServer') : Promise.resolve([]),
      ]);
      break;
  }

  const user = req.user !== undefined && opts.controllerUsers.has(req.user) ? CONTROLLER_USER : req.user;
  const lookups: AdmissionLookups = {
    now: new Date(),
    templates: () => templates,
    tservers: () => tservers,
    tconfigs: () => tconfigs,
    treeExists: () => treeExists,
    bcrypt: (data, cost) => bcrypt.hashSync(data, cost),
  };
  if (user !== undefined) lookups.user = user;
  if (frameworkConfig !== undefined) lookups.frameworkConfig = frameworkConfig;
  if (timages !== undefined) lookups.timages = () => timages;
  return lookups;
}
