import { describe, expect, it } from 'vitest';
import { CONTROLLER_USER } from '../meta/constants.ts';
import { validateSchema } from '../schema/lookup.ts';
import { tconfig } from '../testing/fixtures.ts';
import {
  deactivatedTConfig,
  defaultTConfig,
  planTConfigActivation,
  planTConfigDeletion,
  validateTConfig,
  validateTConfigDelete,
  type TConfigValidationContext,
} from './tconfig.ts';

const now = new Date('2024-03-28T15:04:05Z');

/** An existing version as the cluster holds it: labels in step with the fields. */
function existing(name: string, fields: Parameters<typeof tconfig>[0] = { name }) {
  return defaultTConfig(tconfig({ ...fields, name }), undefined, { now });
}

function ctx(tconfigs: TConfigValidationContext['tconfigs'], user?: string): TConfigValidationContext {
  return { tconfigs, now, ...(user ? { user } : {}) };
}

function messages(errors: { path: string; message: string }[]): string[] {
  return errors.map((e) => `${e.path}: ${e.message}`);
}

describe('defaultTConfig', () => {
  it('on create sets a sortable 24-hour version, the update time and mirror labels', () => {
    const out = defaultTConfig(tconfig({ name: 'cfg-1' }), undefined, { now });
    expect(out.version).toMatch(/^20240328150405-[0-9a-f]{1,8}$/);
    expect(out.updateTime).toBe('2024-03-28T15:04:05Z');
    expect(out.metadata.labels).toEqual({
      'tars.io/ServerApp': 'Test',
      'tars.io/ServerName': 'HelloServer',
      'tars.io/ConfigName': 'app.conf',
      'tars.io/PodSeq': 'm',
      'tars.io/Activated': 'true',
      'tars.io/Version': out.version,
    });
    expect(validateSchema(out)).toEqual([]);
  });

  it('derives the version suffix from the object name', () => {
    const a = defaultTConfig(tconfig({ name: 'a' }), undefined, { now }).version;
    const b = defaultTConfig(tconfig({ name: 'b' }), undefined, { now }).version;
    expect(a).not.toBe(b);
  });

  it('on update re-syncs labels from the fields and keeps the version', () => {
    const old = existing('cfg-1');
    const changed = { ...structuredClone(old), activated: false };
    changed.metadata.labels!['tars.io/Activated'] = 'true';
    const out = defaultTConfig(changed, old, { now: new Date('2030-01-01T00:00:00Z') });
    expect(out.version).toBe(old.version);
    expect(out.metadata.labels?.['tars.io/Activated']).toBe('false');
    expect(out.metadata.labels?.['tars.io/Version']).toBe(old.version);
  });
});

describe('validateTConfig on create', () => {
  it('accepts a first master version', () => {
    expect(validateTConfig(tconfig({ name: 'n' }), undefined, ctx([]))).toEqual([]);
  });

  it.each(['tars.io/Deactivate', 'tars.io/Deleting'])('denies the system label %s', (label) => {
    const obj = tconfig({ name: 'n', labels: { [label]: 'x' } });
    expect(messages(validateTConfig(obj, undefined, ctx([])))).toEqual([`metadata.labels["${label}"]: is set by the system only`]);
  });

  it('denies a per-pod version of an app-level config', () => {
    const master = existing('m', { name: 'm', server: '' });
    const obj = tconfig({ name: 'n', server: '', podSeq: '1' });
    expect(messages(validateTConfig(obj, undefined, ctx([master])))).toContain('podSeq: app level tconfig does not support master/slave');
  });

  it('denies a per-pod version without an activated master', () => {
    const inactive = existing('m', { name: 'm', activated: false });
    expect(messages(validateTConfig(tconfig({ name: 'n', podSeq: '0' }), undefined, ctx([inactive])))).toEqual([
      'podSeq: no activated master tconfig found',
    ]);
    const deleting = existing('m');
    deleting.metadata.labels!['tars.io/Deleting'] = 'Deleting';
    expect(validateTConfig(tconfig({ name: 'n', podSeq: '0' }), undefined, ctx([deleting]))).toHaveLength(1);
    expect(validateTConfig(tconfig({ name: 'n', podSeq: '0' }), undefined, ctx([existing('m')]))).toEqual([]);
  });

  it('denies activation when the history is already inconsistent (two activated versions)', () => {
    const errors = validateTConfig(tconfig({ name: 'n' }), undefined, ctx([existing('a'), existing('b')]));
    expect(messages(errors)[0]).toMatch(/^activated: more than one activated version/);
  });

  it('plans to deactivate the one activated sibling, and only the same podSeq', () => {
    const others = [existing('a'), existing('slave', { name: 'slave', podSeq: '1' }), existing('old', { name: 'old', activated: false })];
    expect(planTConfigActivation(tconfig({ name: 'n' }), ctx(others))).toEqual(['a']);
    expect(planTConfigActivation(tconfig({ name: 'n', activated: false }), ctx(others))).toEqual([]);
  });
});

describe('validateTConfig on update', () => {
  const old = existing('cfg');

  it.each(['configContent', 'version', 'podSeq', 'updatePerson'] as const)('denies changing %s', (field) => {
    const obj = { ...structuredClone(old), [field]: field === 'podSeq' ? '3' : 'changed' };
    expect(messages(validateTConfig(obj, old, ctx([old])))).toContain(`${field}: is immutable`);
  });

  it('denies deactivating directly but lets the controller do it', () => {
    const obj = { ...structuredClone(old), activated: false };
    expect(messages(validateTConfig(obj, old, ctx([old])))[0]).toMatch(/^activated: only use authorized account/);
    expect(validateTConfig(obj, old, ctx([old], CONTROLLER_USER))).toEqual([]);
  });

  it('denies any change while the version is being deleted', () => {
    const deleting = structuredClone(old);
    deleting.metadata.labels!['tars.io/Deleting'] = 'Deleting';
    expect(messages(validateTConfig(structuredClone(deleting), deleting, ctx([])))).toContain('metadata: tconfig is being deleted');
  });

  it('checks siblings when an inactive version is activated', () => {
    const inactive = existing('cfg', { name: 'cfg', activated: false });
    const obj = { ...structuredClone(inactive), activated: true };
    expect(validateTConfig(obj, inactive, ctx([existing('a')]))).toEqual([]);
    expect(validateTConfig(obj, inactive, ctx([existing('a'), existing('b')]))).toHaveLength(1);
  });
});

describe('TConfig deletion', () => {
  const created = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();

  it('allows deleting an inactive version at once', () => {
    const obj = existing('cfg', { name: 'cfg', activated: false });
    obj.metadata.creationTimestamp = created(1);
    expect(validateTConfigDelete(obj, ctx([]))).toEqual([]);
  });

  it('guards an activated version for 48 s after creation', () => {
    const obj = existing('cfg');
    obj.metadata.creationTimestamp = created(10);
    expect(messages(validateTConfigDelete(obj, ctx([obj])))[0]).toContain('deletion guard time(48s)');
    obj.metadata.creationTimestamp = created(60);
    expect(validateTConfigDelete(obj, ctx([obj]))).toEqual([]);
  });

  it('denies deleting an activated master that per-pod versions refer to', () => {
    const master = existing('cfg');
    master.metadata.creationTimestamp = created(100);
    const slave = existing('s', { name: 's', podSeq: '2' });
    expect(messages(validateTConfigDelete(master, ctx([master, slave])))[0]).toContain('referenced by another tconfig (s)');
  });

  it('lets the controller and kube-system delete anything', () => {
    const master = existing('cfg');
    master.metadata.creationTimestamp = created(1);
    expect(validateTConfigDelete(master, ctx([master], CONTROLLER_USER))).toEqual([]);
    expect(validateTConfigDelete(master, ctx([master], 'system:serviceaccount:kube-system:namespace-controller'))).toEqual([]);
  });

  it('plans to delete the whole history of the same podSeq with the activated version', () => {
    const active = existing('cfg');
    const history = [existing('h1', { name: 'h1', activated: false }), existing('h2', { name: 'h2', activated: false })];
    const slave = existing('s', { name: 's', podSeq: '1' });
    const other = existing('o', { name: 'o', configName: 'other.conf' });
    expect(planTConfigDeletion(active, ctx([active, ...history, slave, other]))).toEqual(['h1', 'h2']);
    expect(planTConfigDeletion(history[0]!, ctx([active, ...history]))).toEqual([]);
  });
});

describe('deactivatedTConfig', () => {
  it('flips the field and the labels the way the controller does', () => {
    const obj = existing('cfg');
    obj.metadata.labels!['tars.io/Deactivate'] = 'Deactivating';
    const out = deactivatedTConfig(obj);
    expect(out.activated).toBe(false);
    expect(out.metadata.labels?.['tars.io/Activated']).toBe('false');
    expect(out.metadata.labels).not.toHaveProperty(['tars.io/Deactivate']);
  });
});
