/**
 * The Dockerfiles tarsimage generates are `FROM <base>` / `ENV k=v` / `COPY <dir> /`. This
 * builder assembles such images through the registry API, without running any container, so it
 * accepts exactly that subset and names anything else clearly.
 */
export interface BuildPlan {
  from: string;
  env: [string, string][];
  copies: { src: string; dest: string }[];
}

export class DockerfileError extends Error {
  override name = 'DockerfileError';
}

export function parseDockerfile(text: string): BuildPlan {
  const plan: BuildPlan = { from: '', env: [], copies: [] };
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const [, instr, rest] = /^(\S+)\s*(.*)$/.exec(line)!;
    const where = `Dockerfile line ${i + 1}`;
    switch (instr!.toUpperCase()) {
      case 'FROM':
        if (plan.from) throw new DockerfileError(`${where}: only one FROM is supported`);
        if (!/^\S+$/.test(rest!)) throw new DockerfileError(`${where}: FROM takes one image reference`);
        plan.from = rest!;
        return;
      case 'ENV': {
        const kv = /^([A-Za-z_][A-Za-z0-9_]*)(?:=|\s+)(.*)$/.exec(rest!);
        if (!kv) throw new DockerfileError(`${where}: ENV must be NAME=value`);
        plan.env.push([kv[1]!, kv[2]!.replace(/^"(.*)"$/, '$1')]);
        return;
      }
      case 'COPY': {
        const parts = rest!.split(/\s+/);
        if (parts.length !== 2 || parts.some((p) => p.startsWith('--'))) throw new DockerfileError(`${where}: COPY takes one source and one destination`);
        if (!parts[1]!.startsWith('/')) throw new DockerfileError(`${where}: COPY destination must be absolute`);
        if (parts[0]!.split('/').includes('..') || parts[0]!.startsWith('/')) throw new DockerfileError(`${where}: COPY source must stay inside the context`);
        plan.copies.push({ src: parts[0]!, dest: parts[1]! });
        return;
      }
      default:
        throw new DockerfileError(`${where}: ${instr} is not supported (this builder assembles FROM/ENV/COPY images without running containers)`);
    }
  });
  if (!plan.from) throw new DockerfileError('Dockerfile has no FROM');
  return plan;
}
