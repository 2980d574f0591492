/**
 * Config paths in TarsCpp's TC_Config syntax: `/tars/application/server` names a domain,
 * `/tars/application/server<local>` a parameter of it. Domain names may contain dots and spaces
 * (adapter names such as `Test.HelloServer.HelloObjAdapter`), never `/`, `<` or `>`.
 */
export interface ConfigPath {
  domains: string[];
  key?: string;
}

export class ConfigPathError extends Error {
  constructor(path: string, reason: string) {
    super(`invalid config path "${path}": ${reason}`);
    this.name = 'ConfigPathError';
  }
}

export function parseConfigPath(path: string): ConfigPath {
  if (!path.startsWith('/')) throw new ConfigPathError(path, "it must start with '/'");
  let domainPart = path;
  let key: string | undefined;
  const lt = path.indexOf('<');
  if (lt !== -1) {
    if (!path.endsWith('>')) throw new ConfigPathError(path, "a parameter must be written as <key> at the end");
    key = path.slice(lt + 1, -1).trim();
    if (key.length === 0) throw new ConfigPathError(path, 'empty parameter name');
    domainPart = path.slice(0, lt);
  }
  const domains = domainPart.split('/').slice(1).map((d) => d.trim());
  if (domains.length === 1 && domains[0] === '') domains.pop(); // "/" or "/<key>": the root
  if (domains.some((d) => d.length === 0 || d.includes('>'))) throw new ConfigPathError(path, 'empty or malformed domain name');
  return key === undefined ? { domains } : { domains, key };
}

export function formatConfigPath(domains: readonly string[], key?: string): string {
  return '/' + domains.join('/') + (key === undefined ? '' : `<${key}>`);
}
