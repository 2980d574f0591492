import { describe, expect, it } from 'vitest';
import { peerIpOf, rewriteHead, statKeyString } from './stat-rules.ts';
import { head } from './testing/stat-fixtures.ts';

describe('rewriteHead (K8S StatImp rules)', () => {
  const cases: Array<[string, Parameters<typeof head>[0], boolean, ReturnType<typeof rewriteHead> | Record<string, unknown>]> = [
    ['client report: caller IP from the connection, name@version split', { masterName: 'A.Client@3.0.1', masterIp: '1.1.1.1', slaveIp: '10.0.0.2' }, true,
      { masterName: 'A.Client', tarsVersion: '3.0.1', masterIp: '9.9.9.9', slaveIp: '10.0.0.2' }],
    ['server report: callee IP from the connection, caller IP kept', { masterName: 'stat_from_server', masterIp: '10.1.1.1', slaveIp: '' }, false,
      { masterName: 'stat_from_server', tarsVersion: '', masterIp: '10.1.1.1', slaveIp: '9.9.9.9' }],
    ['no @: tarsVersion field kept', { masterName: 'A.Client', tarsVersion: '1.2' }, true, { masterName: 'A.Client', tarsVersion: '1.2' }],
    ['split at the first @', { masterName: 'A.Client@1@2' }, true, { masterName: 'A.Client', tarsVersion: '1@2' }],
    ['set caller name keeps its set suffix', { masterName: 'A.Client.sz1a@3.0.0' }, true, { masterName: 'A.Client.sz1a', tarsVersion: '3.0.0' }],
    ['framework callee tars.tarsnode dropped', { slaveName: 'tars.tarsnode' }, true, 'framework-slave'],
    ['framework callee tars.tarsproperty dropped', { slaveName: 'tars.tarsproperty' }, false, 'framework-slave'],
    ['framework callee tars.tarsstat dropped', { slaveName: 'tars.tarsstat' }, true, 'framework-slave'],
    ['framework callee tars.tarsnotify dropped', { slaveName: 'tars.tarsnotify' }, true, 'framework-slave'],
    ['other framework callees kept', { slaveName: 'tars.tarsconfig' }, true, { slaveName: 'tars.tarsconfig' }],
    ['caller tars.tarsnode@v dropped', { masterName: 'tars.tarsnode@1.0' }, true, 'framework-master'],
    ['caller elk@v dropped', { masterName: 'elk@1.0' }, false, 'framework-master'],
    ['caller tars.tarsnode without @ kept (upstream checks only after the split)', { masterName: 'tars.tarsnode' }, true, { masterName: 'tars.tarsnode' }],
  ];
  it.each(cases)('%s', (_name, init, fromClient, expected) => {
    const out = rewriteHead(head(init), fromClient, '9.9.9.9');
    if (typeof expected === 'string') expect(out).toBe(expected);
    else expect(out).toMatchObject(expected);
  });

  it('key strings differ whenever a field differs, including set fields', () => {
    const base = rewriteHead(head({}), true, 'x') as Exclude<ReturnType<typeof rewriteHead>, string>;
    const keys = new Set([
      statKeyString(base),
      statKeyString({ ...base, slaveSetName: 'a' }),
      statKeyString({ ...base, slaveSetArea: 'a' }),
      statKeyString({ ...base, slavePort: 1 }),
      statKeyString({ ...base, returnValue: -1 }),
      statKeyString({ ...base, masterName: base.masterName + '1', slaveName: base.slaveName.slice(1) }),
    ]);
    expect(keys.size).toBe(6);
  });

  it('peerIpOf unwraps IPv4-mapped addresses only', () => {
    expect(peerIpOf('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(peerIpOf('10.1.2.3')).toBe('10.1.2.3');
    expect(peerIpOf('fe80::1')).toBe('fe80::1');
  });
});
