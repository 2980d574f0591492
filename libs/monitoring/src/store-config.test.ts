import { TarsConfig } from '@tars-ts/service';
import { describe, expect, it } from 'vitest';
import { storeConfigFrom, StoreConfigError } from './store-config.ts';

const cfg = (text: string) => TarsConfig.parse(`<tars>\n${text}\n</tars>`, 'test.conf');
const parse = (text: string) => TarsConfig.parse(text, 'tarsnotify.conf');

describe('storeConfigFrom', () => {
  it('reads our <storage> domain', () => {
    expect(storeConfigFrom(cfg('<storage>\nbackend=duckdb\nduckdb=/data/m.duckdb\nnamespace=dev\n</storage>'))).toEqual({ backend: 'duckdb', namespace: 'dev', path: '/data/m.duckdb' });
    expect(storeConfigFrom(cfg('<storage>\nelasticsearch=http://a:9200, https://b:9200\n</storage>'))).toEqual({ backend: 'elasticsearch', namespace: 'tars', node: ['http://a:9200', 'https://b:9200'] });
  });

  it('works with the upstream template tars.es alone', () => {
    const text = '<elk>\nprotocol=https\n<nodes>\ntars-elasticsearch:9200\nes2:9200\n</nodes>\n<indexpre>\nstat=prod_stat_\nproperty=prod_property_\n</indexpre>\n</elk>';
    expect(storeConfigFrom(cfg(text))).toEqual({ backend: 'elasticsearch', namespace: 'prod', node: ['https://tars-elasticsearch:9200', 'https://es2:9200'] });
  });

  it('says what is missing', () => {
    expect(() => storeConfigFrom(cfg(''))).toThrow(/<duckdb> must name the DuckDB file/);
    expect(() => storeConfigFrom(cfg('<storage>\nbackend=elasticsearch\n</storage>'))).toThrow(/lists a node/);
    expect(() => storeConfigFrom(cfg('<storage>\nbackend=mysql\n</storage>'))).toThrow(/must be duckdb or elasticsearch, got "mysql"/);
  });
});

describe('storeConfigFrom with an own index (notify, kevent)', () => {
  it('takes the namespace from the upstream tars.es index<notify> and the ES nodes', () => {
    const c = parse('<tars>\nprotocol=http\n<elk>\n<nodes>\ntars-elasticsearch:9200\n</nodes>\n<index>\nnotify=prod_notify_\nkevent=prod_kevent_\n</index>\n</elk>\n</tars>\n');
    expect(storeConfigFrom(c, 'notify')).toEqual({ backend: 'elasticsearch', namespace: 'prod', node: ['http://tars-elasticsearch:9200'] });
  });

  it('prefers the own index to indexpre, and only for the service that asks', () => {
    const text = '<elk>\n<index>\nnotify=own_notify_\nkevent=ev_kevent_\n</index>\n<indexpre>\nstat=pre_stat_\n</indexpre>\n</elk>\n<storage>\nduckdb=:memory:\n</storage>';
    expect(storeConfigFrom(cfg(text), 'notify').namespace).toBe('own');
    expect(storeConfigFrom(cfg(text), 'kevent').namespace).toBe('ev');
    expect(storeConfigFrom(cfg(text)).namespace).toBe('pre');
  });

  it('uses our <storage> domain for DuckDB, and says what is missing', () => {
    expect(storeConfigFrom(parse('<tars>\n<storage>\nduckdb=/data/m.duckdb\nnamespace=dev\n</storage>\n</tars>\n'), 'notify')).toEqual({ backend: 'duckdb', namespace: 'dev', path: '/data/m.duckdb' });
    expect(() => storeConfigFrom(parse('<tars>\n</tars>\n'), 'notify')).toThrow(StoreConfigError);
    expect(() => storeConfigFrom(parse('<tars>\n</tars>\n'), 'notify')).toThrow(/<duckdb> must name the DuckDB file/);
  });
});
