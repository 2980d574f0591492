/**
 * The MonitorStore contract against a REAL Elasticsearch, when one is reachable: set
 * TARS_ES_URL (e.g. http://127.0.0.1:9200). Each test uses its own namespace, so its indices,
 * templates and data streams do not meet other runs'. Without TARS_ES_URL the suite is skipped.
 */
import { describe, it } from 'vitest';
import { describeMonitorStoreContract } from '../monitor-store.contract.ts';
import { openElasticsearchStore } from '../open.ts';

const url = process.env.TARS_ES_URL;

if (url) {
  describeMonitorStoreContract('elasticsearch', (options) => openElasticsearchStore({ ...options, node: url, bulkRefresh: 'wait_for' }));
} else {
  describe('MonitorStore contract: elasticsearch', () => {
    it.skip('skipped: set TARS_ES_URL=http://host:9200 to run the contract suite against a real Elasticsearch', () => {});
  });
}
