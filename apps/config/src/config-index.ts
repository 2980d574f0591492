// TConfigs of the namespace grouped by (app, server, configName), kept current by a watch, so a
// load touches only the versions of its own file.
import type { TConfig } from '@tars-ts/api';

const SEP = '\u0000';

function serverKey(app: string, server: string): string {
  return `${app}${SEP}${server}`;
}

export class ConfigIndex {
  /** app·server → configName → object name → TConfig. */
  private readonly byServer = new Map<string, Map<string, Map<string, TConfig>>>();
  /** object name → where it is filed (to move or drop it on update/delete). */
  private readonly filed = new Map<string, { server: string; file: string }>();

  put(tc: TConfig): void {
    const name = tc.metadata.name;
    if (!name) return;
    this.remove(name);
    const server = serverKey(tc.app, tc.server ?? '');
    let files = this.byServer.get(server);
    if (!files) this.byServer.set(server, (files = new Map()));
    let versions = files.get(tc.configName);
    if (!versions) files.set(tc.configName, (versions = new Map()));
    versions.set(name, tc);
    this.filed.set(name, { server, file: tc.configName });
  }

  remove(name: string): void {
    const at = this.filed.get(name);
    if (!at) return;
    this.filed.delete(name);
    const files = this.byServer.get(at.server);
    const versions = files?.get(at.file);
    if (!files || !versions) return;
    versions.delete(name);
    if (versions.size === 0) files.delete(at.file);
    if (files.size === 0) this.byServer.delete(at.server);
  }

  /** Every version of one file. */
  versions(app: string, server: string, configName: string): TConfig[] {
    const versions = this.byServer.get(serverKey(app, server))?.get(configName);
    return versions ? [...versions.values()] : [];
  }

  /** Every version of every file of (app, server). */
  all(app: string, server: string): TConfig[] {
    const files = this.byServer.get(serverKey(app, server));
    if (!files) return [];
    const out: TConfig[] = [];
    for (const versions of files.values()) out.push(...versions.values());
    return out;
  }

  get size(): number {
    return this.filed.size;
  }
}
