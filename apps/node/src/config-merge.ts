// TC_Config's joinConfig on our TarsConfig: the one merge rule behind both the template chain
// (existing keys win) and the rendered server config (the profile overrides generated keys).
import { ConfigDomain, TarsConfig } from '@tars-ts/service';

/**
 * Merges `source` into `target` in place. A parameter present in both keeps the target's value
 * unless `override`; sub-domains merge recursively; parameters and domains only in `source` are
 * added (in source order). Bare lines (no `=`) are added when the target lacks the same line.
 */
export function joinConfig(target: TarsConfig, source: TarsConfig, override: boolean): TarsConfig {
  joinDomain(target.root, source.root, override);
  return target;
}

function joinDomain(target: ConfigDomain, source: ConfigDomain, override: boolean): void {
  for (const line of source.lines) {
    const key = lineKey(line);
    if (key === undefined) {
      if (!target.lines.includes(line)) target.addBareLine(line);
      continue;
    }
    // A repeated key in the source: only its last line (the value that counts) is merged.
    const value = source.params.get(key);
    if (value === undefined || lastLineOf(source.lines, key) !== line) continue;
    if (!target.params.has(key)) {
      target.setParam(key, value, line);
    } else if (override) {
      replaceParam(target, key, value, line);
    }
  }
  for (const [name, child] of source.domains) {
    const existing = target.domains.get(name);
    if (existing) joinDomain(existing, child, override);
    else target.domains.set(name, child.clone());
  }
}

/** The key of a `key=value` line, or undefined for a bare line. */
function lineKey(line: string): string | undefined {
  const eq = line.indexOf('=');
  return eq < 0 ? undefined : line.slice(0, eq).trim();
}

function lastLineOf(lines: readonly string[], key: string): string | undefined {
  for (let i = lines.length - 1; i >= 0; i--) if (lineKey(lines[i]) === key) return lines[i];
  return undefined;
}

/** Sets `key` to `value`, keeping the line where the key first appeared and dropping repeats. */
function replaceParam(domain: ConfigDomain, key: string, value: string, line: string): void {
  domain.params.set(key, value);
  let kept = false;
  for (let i = 0; i < domain.lines.length; i++) {
    if (lineKey(domain.lines[i]) !== key) continue;
    if (!kept) {
      domain.lines[i] = line;
      kept = true;
    } else {
      domain.lines.splice(i--, 1);
    }
  }
}

/** One TTemplate as the template chain needs it. */
export interface TemplateSource {
  name: string;
  /** spec.parent; a template whose parent is itself ends the chain (tars.default). */
  parent: string;
  content: string;
}

export class TemplateChainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateChainError';
  }
}

/**
 * The K8S registry's profile rule (framework-services.md §8.4): start from the server's own
 * profile, then merge each template of the chain without overriding existing keys (profile >
 * child template > parent), following `parent` until a self-parented root. A missing template,
 * a cycle or a parse error is a TemplateChainError naming the template.
 */
export function joinTemplateChain(
  profile: string,
  templateName: string,
  lookup: (name: string) => TemplateSource | undefined,
): TarsConfig {
  const merged = parseOrThrow(profile, 'profile');
  const seen = new Set<string>();
  let name = templateName;
  for (;;) {
    if (seen.has(name)) throw new TemplateChainError(`template chain of "${templateName}" loops at "${name}"`);
    seen.add(name);
    const template = lookup(name);
    if (!template) throw new TemplateChainError(`template "${name}" not found (chain of "${templateName}")`);
    joinConfig(merged, parseOrThrow(template.content, `template ${name}`), false);
    if (template.parent === name || template.parent === '') return merged;
    name = template.parent;
  }
}

function parseOrThrow(text: string, source: string): TarsConfig {
  try {
    return TarsConfig.parse(text, source);
  } catch (e) {
    throw new TemplateChainError(`${source} does not parse: ${(e as Error).message}`);
  }
}
