import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { ConfigDomain } from './domain.ts';
import { parseConfigText } from './parse.ts';
import { parseConfigPath } from './path.ts';

/** A value that is present but cannot be read as the requested type, or a required value that is missing. */
export class ConfigValueError extends Error {
  readonly path: string;
  constructor(path: string, reason: string) {
    super(`config ${path}: ${reason}`);
    this.name = 'ConfigValueError';
    this.path = path;
  }
}

const SIZE_UNITS: Record<string, number> = { '': 1, B: 1, K: 1024, KB: 1024, M: 1024 ** 2, MB: 1024 ** 2, G: 1024 ** 3, GB: 1024 ** 3 };
const TRUE_WORDS = new Set(['y', 'yes', 'true', '1', 'on']);
const FALSE_WORDS = new Set(['n', 'no', 'false', '0', 'off']);

/**
 * A parsed Tars config file with typed accessors; paths use the TC_Config syntax of `path.ts`
 * (`/tars/application/server<local>`).
 */
export class TarsConfig {
  readonly root: ConfigDomain;
  /** File the config came from, or "<text>". */
  readonly source: string;

  constructor(root: ConfigDomain = new ConfigDomain(''), source = '<text>') {
    this.root = root;
    this.source = source;
  }

  static parse(text: string, source?: string): TarsConfig {
    return new TarsConfig(parseConfigText(text, source), source);
  }

  static loadSync(file: string): TarsConfig {
    return TarsConfig.parse(readFileSync(file, 'utf8'), file);
  }

  static async load(file: string): Promise<TarsConfig> {
    return TarsConfig.parse(await readFile(file, 'utf8'), file);
  }

  /** The parameter at `path` (`/a/b<key>`), or `defaultValue` when the domain or key is absent. */
  get(path: string): string | undefined;
  get(path: string, defaultValue: string): string;
  get(path: string, defaultValue?: string): string | undefined {
    const { domains, key } = parseConfigPath(path);
    if (key === undefined) throw new ConfigValueError(path, 'get() needs a parameter path such as /tars/application/server<app>');
    return this.find(domains)?.params.get(key) ?? defaultValue;
  }

  /** The parameter at `path`; throws when it is absent or empty. */
  require(path: string): string {
    const value = this.get(path);
    if (value === undefined || value === '') throw new ConfigValueError(path, 'required value is missing');
    return value;
  }

  getInt(path: string, defaultValue: number): number;
  getInt(path: string, defaultValue?: number): number | undefined;
  getInt(path: string, defaultValue?: number): number | undefined {
    const raw = this.get(path);
    if (raw === undefined || raw === '') return defaultValue;
    if (!/^[+-]?\d+$/.test(raw)) throw new ConfigValueError(path, `"${raw}" is not an integer`);
    const value = Number(raw);
    if (!Number.isSafeInteger(value)) throw new ConfigValueError(path, `"${raw}" is out of range`);
    return value;
  }

  /** y/yes/true/1/on or n/no/false/0/off (case-insensitive); Tars files use y/n (`enableset=n`). */
  getBool(path: string, defaultValue: boolean): boolean;
  getBool(path: string, defaultValue?: boolean): boolean | undefined;
  getBool(path: string, defaultValue?: boolean): boolean | undefined {
    const raw = this.get(path);
    if (raw === undefined || raw === '') return defaultValue;
    const word = raw.toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
    throw new ConfigValueError(path, `"${raw}" is not a boolean (use y or n)`);
  }

  /** A byte size: plain bytes or with a K/M/G suffix (`logsize=50M`), powers of 1024. */
  getSize(path: string, defaultValue: number): number;
  getSize(path: string, defaultValue?: number): number | undefined;
  getSize(path: string, defaultValue?: number): number | undefined {
    const raw = this.get(path);
    if (raw === undefined || raw === '') return defaultValue;
    const match = /^(\d+)\s*([a-z]*)$/i.exec(raw);
    const unit = match ? SIZE_UNITS[match[2].toUpperCase()] : undefined;
    if (!match || unit === undefined) throw new ConfigValueError(path, `"${raw}" is not a size (e.g. 1048576, 512K, 50M, 1G)`);
    return Number(match[1]) * unit;
  }

  hasDomain(path: string): boolean {
    return this.find(domainsOf(path)) !== undefined;
  }

  /** Names of the sub-domains of `path`, in file order; [] when the domain is absent. */
  getDomain(path: string): string[] {
    return [...(this.find(domainsOf(path))?.domains.keys() ?? [])];
  }

  /** The `key=value` parameters of the domain at `path` (last value of a repeated key). */
  getDomainMap(path: string): Record<string, string> {
    return Object.fromEntries(this.find(domainsOf(path))?.params ?? []);
  }

  /** Every non-domain line of the domain at `path` as written (bare lines such as `host:port` included). */
  getDomainLines(path: string): string[] {
    return [...(this.find(domainsOf(path))?.lines ?? [])];
  }

  /** Sets a parameter, creating missing domains (used for overrides and by generators of config files). */
  set(path: string, value: string): void {
    const { domains, key } = parseConfigPath(path);
    if (key === undefined) throw new ConfigValueError(path, 'set() needs a parameter path such as /tars/application/server<app>');
    if (/[\r\n]/.test(value) || /[\r\n=]/.test(key) || /^[#<]/.test(key)) {
      throw new ConfigValueError(path, 'a key cannot start with "#" or "<" or contain "=" or line breaks; a value cannot contain line breaks');
    }
    let domain = this.root;
    for (const name of domains) domain = domain.child(name);
    domain.setParam(key, value.trim());
  }

  /** An independent copy. */
  clone(): TarsConfig {
    return new TarsConfig(this.root.clone(), this.source);
  }

  /** The config as nested plain objects (parameters and domains mixed, as @tars/utils' `data`). */
  toObject(): Record<string, unknown> {
    return domainToObject(this.root);
  }

  /** Config file text that parses back to the same config. */
  toString(): string {
    const out: string[] = [];
    writeDomain(this.root, -1, out);
    return out.join('\n') + '\n';
  }

  private find(domains: string[]): ConfigDomain | undefined {
    let domain: ConfigDomain | undefined = this.root;
    for (const name of domains) {
      domain = domain.domains.get(name);
      if (!domain) return undefined;
    }
    return domain;
  }
}

function domainsOf(path: string): string[] {
  const { domains, key } = parseConfigPath(path);
  if (key !== undefined) throw new ConfigValueError(path, 'expected a domain path without <key>');
  return domains;
}

function domainToObject(domain: ConfigDomain): Record<string, unknown> {
  const out: Record<string, unknown> = Object.fromEntries(domain.params);
  for (const [name, child] of domain.domains) out[name] = domainToObject(child);
  return out;
}

/** Writes `domain`'s lines and sub-domains; the root (depth -1) has no tag of its own. */
function writeDomain(domain: ConfigDomain, depth: number, out: string[]): void {
  const tagIndent = '  '.repeat(Math.max(depth, 0));
  const lineIndent = depth >= 0 ? tagIndent + '  ' : '';
  if (depth >= 0) out.push(`${tagIndent}<${domain.name}>`);
  for (const line of domain.lines) out.push(lineIndent + line);
  for (const child of domain.domains.values()) writeDomain(child, depth + 1, out);
  if (depth >= 0) out.push(`${tagIndent}</${domain.name}>`);
}
