import { formatConfigPath, parseConfigPath, ConfigPathError } from './path.ts';
import type { TarsConfig } from './tars-config.ts';

/**
 * Environment overrides, applied on top of the config file (file < per-key variables < list):
 *
 * - Per-key variables: `TARS_CONFIG__tars__application__server__logLevel=DEBUG` sets
 *   `/tars/application/server<logLevel>`. The name after the prefix is split at `__`; the last
 *   segment is the key, the others are domains (case-sensitive). Applied in name order. Good for
 *   `docker -e` and shell exports; names with dots or dashes need the list form below (or `env`).
 * - A list: `TARS_CONFIG_OVERRIDE` holds one `/path<key>=value` per line (blank lines and `#`
 *   comments skipped), in the same path syntax as `TarsConfig.get`. Any domain or key name works.
 *   Applied last, in line order.
 */
export const OVERRIDE_VAR_PREFIX = 'TARS_CONFIG__';
export const OVERRIDE_LIST_VAR = 'TARS_CONFIG_OVERRIDE';

export interface AppliedOverride {
  path: string;
  value: string;
  /** Variable name, with `:line` for list entries. */
  from: string;
}

export class ConfigOverrideError extends Error {
  constructor(from: string, reason: string) {
    super(`config override ${from}: ${reason}`);
    this.name = 'ConfigOverrideError';
  }
}

/** The overrides found in `env`, in the order they apply. Pure: reads nothing else. */
export function overridesFromEnv(env: Record<string, string | undefined>): AppliedOverride[] {
  const result: AppliedOverride[] = [];
  const names = Object.keys(env).filter((n) => n.startsWith(OVERRIDE_VAR_PREFIX)).sort();
  for (const name of names) {
    const segments = name.slice(OVERRIDE_VAR_PREFIX.length).split('__');
    if (segments.length < 2 || segments.some((s) => s.length === 0)) {
      throw new ConfigOverrideError(name, `expected ${OVERRIDE_VAR_PREFIX}<domain>__...__<key>`);
    }
    const key = segments.pop()!;
    result.push({ path: formatConfigPath(segments, key), value: env[name] ?? '', from: name });
  }

  const list = env[OVERRIDE_LIST_VAR];
  if (list !== undefined) {
    list.split(/\r\n|\r|\n/).forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const from = `${OVERRIDE_LIST_VAR}:${i + 1}`;
      const close = line.indexOf('>');
      if (close === -1 || line[close + 1] !== '=') throw new ConfigOverrideError(from, `expected "/domain/...<key>=value", got "${line}"`);
      const path = line.slice(0, close + 1);
      try {
        if (parseConfigPath(path).key === undefined) throw new ConfigPathError(path, 'missing <key>');
      } catch (e) {
        throw new ConfigOverrideError(from, (e as Error).message);
      }
      result.push({ path, value: line.slice(close + 2).trim(), from });
    });
  }
  return result;
}

/** Applies `overrides` to `config` in order; returns them for logging. */
export function applyOverrides(config: TarsConfig, overrides: AppliedOverride[]): AppliedOverride[] {
  for (const o of overrides) {
    try {
      config.set(o.path, o.value);
    } catch (e) {
      throw new ConfigOverrideError(o.from, (e as Error).message);
    }
  }
  return overrides;
}
