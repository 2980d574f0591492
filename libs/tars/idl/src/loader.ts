import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { IdlFile, IncludeDirective } from './ast.ts';
import { IdlError } from './errors.ts';
import { parseIdl } from './parser.ts';

export interface LoadOptions {
  /** Extra folders searched (by base name) after the including file's folder and its parent. */
  includeDirs?: string[];
  readFile?: (file: string) => string;
  exists?: (file: string) => boolean;
}

/** Every file reached from the roots, parsed, with each `#include` resolved to an absolute path. */
export interface LoadedFiles {
  roots: string[];
  files: Map<string, IdlFile>;
}

/**
 * Where `#include "x"` points. Upstream files name build paths (`../RegistryServer/X.tars`,
 * `/usr/local/tars/cpp/include/servant/X.tars`), so the base name is tried in the including
 * file's folder, then its parent folder, then the include dirs; a relative path as written comes
 * last. Absolute paths are never read as written: output must not depend on the machine.
 */
export function includeCandidates(fromFile: string, include: string, includeDirs: string[] = []): string[] {
  const dir = path.dirname(fromFile);
  const base = path.basename(include.replace(/\\/g, '/'));
  const out = [path.join(dir, base), path.join(path.dirname(dir), base), ...includeDirs.map((d) => path.resolve(d, base))];
  if (!path.isAbsolute(include)) out.push(path.resolve(dir, include));
  return [...new Set(out)];
}

export function loadFiles(roots: string[], opts: LoadOptions = {}): LoadedFiles {
  const read = opts.readFile ?? ((f: string) => readFileSync(f, 'utf8'));
  const exists = opts.exists ?? existsSync;
  const files = new Map<string, IdlFile>();
  const absRoots = roots.map((r) => path.resolve(r));

  const load = (file: string, from?: IncludeDirective): void => {
    if (files.has(file)) return;
    let src: string;
    try {
      src = read(file);
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      if (from) throw new IdlError(from.pos, `cannot read included file ${file}: ${why}`);
      throw new IdlError({ file, line: 1, column: 1 }, `cannot read file: ${why}`);
    }
    const ast = parseIdl(src, file);
    files.set(file, ast);
    for (const inc of ast.includes) {
      const candidates = includeCandidates(file, inc.path, opts.includeDirs);
      const found = candidates.find((c) => exists(c));
      if (!found) throw new IdlError(inc.pos, `cannot find included file "${inc.path}" (looked in: ${candidates.join(', ')})`);
      inc.resolved = found;
      load(found, inc);
    }
  };
  for (const r of absRoots) load(r);
  return { roots: absRoots, files };
}
