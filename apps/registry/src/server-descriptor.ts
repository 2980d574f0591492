// Registry.getServerDescriptor (Kubernetes edition, framework-services §8.4): the adapters and
// profile tarsnode writes into a server's config, built from its TEndpoint and the TTemplate chain.
import type { TEndpoint, TTemplate } from '@tars-ts/api';
import { k8s } from '@tars-ts/interfaces';
import { TarsConfig } from '@tars-ts/service';
import { joinMissing } from './config-join.ts';

type ServerDescriptor = k8s.RegistryDescriptor.ServerDescriptor;
type AdapterDescriptor = k8s.RegistryDescriptor.AdapterDescriptor;

export type DescriptorResult = { ok: true; descriptor: ServerDescriptor } | { ok: false; reason: string };

/** Guards against a parent cycle (upstream would loop forever); real chains are 2-3 long. */
const MAX_TEMPLATE_DEPTH = 32;

export function buildServerDescriptor(
  app: string,
  server: string,
  endpoint: TEndpoint | undefined,
  template: (name: string) => TTemplate | undefined,
): DescriptorResult {
  if (!app || !server) return { ok: false, reason: 'app and server must not be empty' };
  if (!endpoint) return { ok: false, reason: `no TEndpoint for ${app}.${server}` };
  const tars = endpoint.spec?.tars;
  if (!tars) return { ok: false, reason: `${app}.${server} is not a tars server` };

  const profile = joinTemplates(tars.profile ?? '', tars.template, template);
  if (typeof profile !== 'string') return profile;

  const adapters = new Map<string, AdapterDescriptor>();
  for (const s of tars.servants ?? []) {
    const timeout = s.timeout ?? 60000;
    const adapterName = `${app}.${server}.${s.name}Adapter`;
    adapters.set(adapterName, k8s.RegistryDescriptor.AdapterDescriptor.create({
      adapterName,
      servant: `${app}.${server}.${s.name}`,
      endpoint: `${s.isTcp ?? true ? 'tcp' : 'udp'} -h \${localip} -p ${s.port} -t ${timeout}`,
      threadNum: s.thread ?? 3,
      maxConnections: s.connection ?? 10000,
      queuecap: s.capacity ?? 10000,
      queuetimeout: timeout,
      allowIp: '',
      protocol: s.isTars ?? true ? 'tars' : 'not_tars',
    }));
  }
  return { ok: true, descriptor: k8s.RegistryDescriptor.ServerDescriptor.create({ profile, asyncThreadNum: tars.asyncThread ?? 3, adapters }) };
}

/** profile joined with the template chain from `start` up to the self-parented root. */
function joinTemplates(profileText: string, start: string, template: (name: string) => TTemplate | undefined): string | { ok: false; reason: string } {
  let config: TarsConfig;
  try {
    config = TarsConfig.parse(profileText, 'spec.tars.profile');
  } catch (e) {
    return { ok: false, reason: `profile: ${(e as Error).message}` };
  }
  let name = start;
  for (let depth = 0; ; depth++) {
    if (depth >= MAX_TEMPLATE_DEPTH) return { ok: false, reason: `template chain from ${start} does not reach a root within ${MAX_TEMPLATE_DEPTH} steps` };
    const t = template(name);
    if (!t) return { ok: false, reason: `template ${name} not found` };
    try {
      joinMissing(config, TarsConfig.parse(t.spec.content, `template ${name}`));
    } catch (e) {
      return { ok: false, reason: (e as Error).message };
    }
    if (t.spec.parent === name) break;
    name = t.spec.parent;
  }
  return config.toString();
}
