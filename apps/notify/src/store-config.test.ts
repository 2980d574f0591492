import { describe, expect, it } from 'vitest';
import { TarsConfig } from '@tars-ts/service';
import { storeConfigFrom, StoreConfigError } from './store-config.ts';

const parse = (text: string) => TarsConfig.parse(text, 'tarsnotify.conf');

describe('storeConfigFrom (notify)', () => {
  it('takes the namespace from the upstream tars.es index<notify> and the ES nodes', () => {
    const c = parse('<tars>\nprotocol=http\n<elk>\n<nodes>\ntars-elasticsearch:9200\n</nodes>\n<index>\nnotify=prod_notify_\nkevent=prod_kevent_\n</index>\n</elk>\n</tars>\n');
    expect(storeConfigFrom(c)).toEqual({ backend: 'elasticsearch', namespace: 'prod', node: ['http://tars-elasticsearch:9200'] });
  });

  it('uses our <storage> domain for DuckDB, and says what is missing', () => {
    expect(storeConfigFrom(parse('<tars>\n<storage>\nduckdb=/data/m.duckdb\nnamespace=dev\n</storage>\n</tars>\n'))).toEqual({ backend: 'duckdb', namespace: 'dev', path: '/data/m.duckdb' });
    expect(() => storeConfigFrom(parse('<tars>\n</tars>\n'))).toThrow(StoreConfigError);
    expect(() => storeConfigFrom(parse('<tars>\n</tars>\n'))).toThrow(/<duckdb> must name the DuckDB file/);
  });
});
