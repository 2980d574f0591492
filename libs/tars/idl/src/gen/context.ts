import * as path from 'node:path';
import type { EnumDecl, IdlFile, StructDecl } from '../ast.ts';

/** Where the generated code gets its runtime from. */
export interface RuntimeModules {
  codec: string;
  rpc: string;
}

/**
 * State of one output file while it is generated: which runtime names and which other
 * generated files it uses, so that exactly those get imported (unused imports fail lint).
 */
export class FileContext {
  readonly file: IdlFile;
  readonly outPath: string;
  readonly runtime: RuntimeModules;
  private readonly outPathOf: (idlFile: string) => string;
  readonly codecValues = new Set<string>();
  readonly codecTypes = new Set<string>();
  readonly rpcValues = new Set<string>();
  readonly rpcTypes = new Set<string>();
  /** generated file path → namespace alias */
  private readonly fileImports = new Map<string, string>();
  private readonly aliases = new Set<string>();
  /** helper functions this file needs, by name → source */
  readonly helpers = new Map<string, string>();
  private tmp = 0;

  constructor(file: IdlFile, outPath: string, outPathOf: (idlFile: string) => string, runtime: RuntimeModules) {
    this.file = file;
    this.outPath = outPath;
    this.outPathOf = outPathOf;
    this.runtime = runtime;
  }

  /** A fresh suffix for temporaries in generated code. */
  fresh(): number {
    return ++this.tmp;
  }
  resetTemps(): void {
    this.tmp = 0;
  }

  /** How this file names a struct or enum: bare when local, `$Other.Name` when from an included file. */
  ref(decl: StructDecl | EnumDecl): string {
    if (decl.file === this.file.path) return decl.name;
    const target = this.outPathOf(decl.file);
    let alias = this.fileImports.get(target);
    if (!alias) {
      const base = '$' + path.posix.basename(target, '.ts').replace(/[^A-Za-z0-9_$]/g, '_');
      alias = base;
      for (let n = 2; this.aliases.has(alias); n++) alias = `${base}${n}`;
      this.aliases.add(alias);
      this.fileImports.set(target, alias);
    }
    return `${alias}.${decl.name}`;
  }

  imports(): string[] {
    const lines: string[] = [];
    const named = (values: Set<string>, types: Set<string>) =>
      [...[...values].sort(), ...[...types].filter((t) => !values.has(t)).sort().map((t) => `type ${t}`)].join(', ');
    if (this.codecValues.size || this.codecTypes.size) lines.push(`import { ${named(this.codecValues, this.codecTypes)} } from '${this.runtime.codec}';`);
    if (this.rpcValues.size || this.rpcTypes.size) lines.push(`import { ${named(this.rpcValues, this.rpcTypes)} } from '${this.runtime.rpc}';`);
    const fromDir = path.posix.dirname(this.outPath);
    for (const [target, alias] of [...this.fileImports].sort((a, b) => a[1].localeCompare(b[1]))) {
      let rel = path.posix.relative(fromDir, target);
      if (!rel.startsWith('.')) rel = `./${rel}`;
      lines.push(`import * as ${alias} from '${rel}';`);
    }
    return lines;
  }
}
