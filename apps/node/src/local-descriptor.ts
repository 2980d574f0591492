// The descriptor on a laptop without a registry: the servants given as flags and a profile that
// lays out the standard <tars><application> file (keys of tars-protocol.md §5), which the user's
// own profile may extend or override — the same rule as the template chain (profile wins).
import { k8s } from '@tars-ts/interfaces';
import { joinConfig } from './config-merge.ts';
import { TarsConfig } from '@tars-ts/service';

type ServerDescriptor = k8s.RegistryDescriptor.ServerDescriptor;

/** A servant served by the wrapped server: `HelloObj:8080` on the command line. */
export interface LocalServant {
  name: string;
  port: number;
  tcp?: boolean;
  tars?: boolean;
  timeoutMs?: number;
  threads?: number;
}

const FRAMEWORK_CLIENT_KEYS = `
      stat=tars.tarsstat.StatObj
      property=tars.tarsproperty.PropertyObj`;
const FRAMEWORK_SERVER_KEYS = `
      log=tars.tarslog.LogObj
      config=tars.tarsconfig.ConfigObj
      notify=tars.tarsnotify.NotifyObj`;

/**
 * The base profile. Framework objects (stat, log, config, notify…) are named only when a locator
 * can resolve them; `local` only when the server gets an admin endpoint.
 */
export function baseProfile(options: { withFramework: boolean; withLocal: boolean }): string {
  return `<tars>
  <application>
    enableset=\${enableset}
    setdivision=\${setdivision}
    <client>
      ${options.withFramework ? 'locator=${locator}' : ''}
      sync-invoke-timeout=3000
      async-invoke-timeout=5000
      refresh-endpoint-interval=60000
      report-interval=60000
      asyncthread=\${asyncthread}
      modulename=\${modulename}${options.withFramework ? FRAMEWORK_CLIENT_KEYS : ''}
    </client>
    <server>
      app=\${app}
      server=\${server}
      localip=\${localip}
      ${options.withLocal ? 'local=${local}' : ''}
      basepath=\${basepath}
      datapath=\${datapath}
      logpath=\${logpath}${options.withFramework ? FRAMEWORK_SERVER_KEYS : ''}
    </server>
  </application>
</tars>
`;
}

export function localDescriptor(input: {
  app: string;
  server: string;
  servants: readonly LocalServant[];
  /** The user's profile text (wins over the base profile). */
  profile?: string;
  withFramework: boolean;
  withLocal: boolean;
}): ServerDescriptor {
  const merged = joinConfig(TarsConfig.parse(input.profile ?? '', 'profile'), TarsConfig.parse(baseProfile(input), 'base profile'), false);
  const adapters = new Map<string, k8s.RegistryDescriptor.AdapterDescriptor>();
  for (const s of input.servants) {
    const adapterName = `${input.app}.${input.server}.${s.name}Adapter`;
    const timeout = s.timeoutMs ?? 60_000;
    adapters.set(adapterName, k8s.RegistryDescriptor.AdapterDescriptor.create({
      adapterName,
      servant: `${input.app}.${input.server}.${s.name}`,
      endpoint: `${s.tcp === false ? 'udp' : 'tcp'} -h \${localip} -p ${s.port} -t ${timeout}`,
      threadNum: s.threads ?? 1,
      maxConnections: 10_000,
      queuecap: 10_000,
      queuetimeout: timeout,
      allowIp: '',
      protocol: s.tars === false ? 'not_tars' : 'tars',
    }));
  }
  return k8s.RegistryDescriptor.ServerDescriptor.create({ profile: merged.toString(), asyncThreadNum: 3, adapters });
}
