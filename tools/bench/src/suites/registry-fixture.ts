// The registry suite's data: SERVERS TEndpoints of PODS_PER_SERVER pods each, as the controller
// would write them, and the object ids the clients look up.
import type { TEndpoint } from '@tars-ts/api';
import { EndpointIndex } from '@tars-ts/app-registry';

export const SERVERS = 10_000;
export const PODS_PER_SERVER = 5;

export function objectId(i: number): string {
  return `App${i % 100}.Server${i}.MainObj`;
}

/** TEndpoint i: 5 pods, the last one not Active (so answers carry both lists). */
export function benchEndpoint(i: number): TEndpoint {
  const app = `App${i % 100}`;
  const server = `Server${i}`;
  const name = `${app.toLowerCase()}-${server.toLowerCase()}`;
  return {
    apiVersion: 'k8s.tars.io/v1beta3',
    kind: 'TEndpoint',
    metadata: { name },
    spec: {
      app,
      server,
      subType: 'tars',
      tars: { template: 'tars.cpp', servants: [{ name: 'MainObj', port: 10000, timeout: 60000, isTcp: true, isTars: true, thread: 3, capacity: 10000, connection: 10000 }, { name: 'AdminObj', port: 10001 }] },
    },
    status: {
      pods: Array.from({ length: PODS_PER_SERVER }, (_, p) => ({
        name: `${name}-${p}`,
        settingState: 'Active',
        presentState: p === PODS_PER_SERVER - 1 ? 'Deactivating' : 'Active',
      })),
    },
  } as TEndpoint;
}

export function filledIndex(): EndpointIndex {
  const index = new EndpointIndex();
  for (let i = 0; i < SERVERS; i++) index.setEndpoint(benchEndpoint(i));
  return index;
}

