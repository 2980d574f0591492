import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@tars-ts/rpc';
import { AdminCommands, TarsConfig } from '@tars-ts/service';
import { registerReloadLogFormat } from './log-admin.ts';
import { createLogService, type LogService } from './log-service.ts';

describe('reloadLogFormat', () => {
  let dir: string;
  let log: LogService;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'log-admin-'));
    log = createLogService({ logPath: join(dir, 'logs'), logger: silentLogger });
  });
  afterEach(async () => {
    await log.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('re-reads the file and keeps the old rules when it does not parse', async () => {
    const file = join(dir, 'tarslog.conf');
    const admin = new AdminCommands();
    registerReloadLogFormat(admin, log, () => TarsConfig.load(file));

    writeFileSync(file, '<tars>\n<log>\n<format>\nhour=A.a|B.b\n</format>\n<logtype>\n2hour=C.c.f\n</logtype>\n</log>\n</tars>\n');
    expect(await admin.dispatch('reloadLogFormat')).toBe('loadLogFormat succ: hour: A.a|B.b; logtype: C.c.f=2hour; ipfix: true');
    expect([...log.rules().hourly]).toEqual(['A.a', 'B.b']);

    writeFileSync(file, '<tars>\n<log>\n</tars>\n');
    expect(await admin.dispatch('reloadLogFormat')).toMatch(/^loadLogFormat failed: .*tarslog\.conf:3/);
    expect([...log.rules().hourly]).toEqual(['A.a', 'B.b']);
  });
});
