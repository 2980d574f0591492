// TC_Config::joinConfig(other, false): copy into `target` what it does not have yet, recursively.
// Existing parameters win, so joining profile ← child template ← parent template gives the
// precedence upstream's getServerDescriptor documents (profile > child > parent).
import { ConfigDomain, TarsConfig } from '@tars-ts/service';

export function joinMissing(target: TarsConfig, source: TarsConfig): void {
  joinDomain(target.root, source.root);
}

function joinDomain(target: ConfigDomain, source: ConfigDomain): void {
  const added = new Set<string>();
  for (const line of source.lines) {
    const key = paramKeyOf(line, source);
    if (key !== undefined) {
      if (!target.params.has(key) && !added.has(key)) {
        target.setParam(key, source.params.get(key)!);
        added.add(key);
      }
    } else if (!target.lines.includes(line)) {
      target.addBareLine(line);
    }
  }
  for (const [name, child] of source.domains) joinDomain(target.child(name), child);
}

/** The parameter a line sets, or undefined for a bare line (e.g. `host:port` under `<nodes>`). */
function paramKeyOf(line: string, domain: ConfigDomain): string | undefined {
  const eq = line.indexOf('=');
  if (eq <= 0) return undefined;
  const key = line.slice(0, eq).trim();
  return domain.params.has(key) ? key : undefined;
}
