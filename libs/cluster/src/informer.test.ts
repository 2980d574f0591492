// The cache and dispatch every Watch shares (fed by the API server or by the embedded store).
import { describe, expect, it } from 'vitest';
import { Informer, selectorFilter } from './informer.ts';
import type { KubeObject } from './types.ts';

const obj = (name: string, rv: string, labels: Record<string, string> = { app: 'a' }): KubeObject => ({ metadata: { name, namespace: 'ns', resourceVersion: rv, labels } });

function make(options: ConstructorParameters<typeof Informer>[1] = {}) {
  const log: string[] = [];
  const inf = new Informer<KubeObject>(
    {
      onAdd: (o) => log.push(`add ${o.metadata.name}@${o.metadata.resourceVersion}`),
      onUpdate: (o, old) => log.push(`update ${o.metadata.name}@${old.metadata.resourceVersion}->${o.metadata.resourceVersion}`),
      onDelete: (o) => log.push(`delete ${o.metadata.name}`),
    },
    { defaultNamespace: 'ns', ...options },
    async () => undefined,
  );
  return { inf, log };
}

describe('Informer', () => {
  it('turns upserts into add/update with the old object, skips repeats of the same resourceVersion', () => {
    const { inf, log } = make();
    inf.upsert(obj('x', '1'));
    inf.upsert(obj('x', '1'));
    inf.upsert(obj('x', '2'));
    inf.remove(obj('x', '3'));
    inf.remove(obj('x', '4'));
    expect(log).toEqual(['add x@1', 'update x@1->2', 'delete x']);
  });

  it('diffs a re-list against the cache: gone objects are deleted, changed ones updated', () => {
    const { inf, log } = make();
    inf.replace([obj('a', '1'), obj('b', '1')]);
    inf.setSynced();
    inf.replace([obj('b', '2'), obj('c', '1')]);
    expect(log).toEqual(['add a@1', 'add b@1', 'delete a', 'update b@1->2', 'add c@1']);
    expect(inf.list().map((o) => o.metadata.name).sort()).toEqual(['b', 'c']);
    expect(inf.get('c')?.metadata.resourceVersion).toBe('1');
    expect(inf.list('app=a')).toHaveLength(2);
  });

  it('treats an object leaving the filter as deleted', () => {
    const { inf, log } = make({ filter: selectorFilter({ labelSelector: 'app=a' }) });
    inf.upsert(obj('x', '1'));
    inf.upsert(obj('x', '2', { app: 'b' }));
    inf.upsert(obj('y', '1', { app: 'b' }));
    expect(log).toEqual(['add x@1', 'delete x']);
  });

  it('keeps the cache consistent when a handler throws', () => {
    const errors: string[] = [];
    const inf = new Informer<KubeObject>(
      {
        onAdd: () => {
          throw new Error('handler bug');
        },
      },
      { onHandlerError: (e, ev) => errors.push(`${ev}: ${(e as Error).message}`) },
      async () => undefined,
    );
    inf.upsert(obj('x', '1'));
    expect(inf.get('x', 'ns')).toEqual(obj('x', '1'));
    expect(errors).toEqual(['onAdd: handler bug']);
  });

  it('resolves synced once and ignores events after stop', async () => {
    const { inf, log } = make();
    expect(inf.hasSynced()).toBe(false);
    inf.setSynced();
    await inf.synced;
    await inf.stop();
    inf.upsert(obj('late', '1'));
    expect(log).toEqual([]);
  });
});
