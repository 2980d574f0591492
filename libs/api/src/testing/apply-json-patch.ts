// Test support: applies add/replace/remove JSON Patch operations (RFC 6902), to check jsonPatch().
import type { JsonPatchOperation } from '../admission/json-patch.ts';

function unescape(segment: string): string {
  return segment.replaceAll('~1', '/').replaceAll('~0', '~');
}

export function applyJsonPatch(doc: unknown, ops: readonly JsonPatchOperation[]): unknown {
  let root = structuredClone(doc);
  for (const op of ops) {
    if (op.path === '') {
      if (op.op === 'remove') throw new Error('cannot remove the root');
      root = structuredClone(op.value);
      continue;
    }
    const segments = op.path.slice(1).split('/').map(unescape);
    const last = segments.pop()!;
    let parent: any = root;
    for (const s of segments) {
      if (typeof parent !== 'object' || parent === null || !(s in parent)) throw new Error(`path ${op.path} does not exist`);
      parent = parent[s];
    }
    if (op.op === 'add') {
      if (last in parent) throw new Error(`add to existing ${op.path}`);
      parent[last] = structuredClone(op.value);
    } else if (op.op === 'replace') {
      if (!(last in parent)) throw new Error(`replace of missing ${op.path}`);
      parent[last] = structuredClone(op.value);
    } else {
      if (!(last in parent)) throw new Error(`remove of missing ${op.path}`);
      delete parent[last];
    }
  }
  return root;
}
