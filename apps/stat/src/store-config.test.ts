import { TarsConfig } from '@tars-ts/service';
import { describe, expect, it } from 'vitest';
import { storeConfigFrom } from './store-config.ts';

const cfg = (text: string) => TarsConfig.parse(`<tars>\n${text}\n</tars>`, 'test.conf');

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
