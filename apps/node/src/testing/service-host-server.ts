// A real framework-style service for the agent's tests: @tars-ts/service's ServiceHost reads the
// rendered config (--config=FILE), serves AdminF on `local`, and heartbeats to `node`.
import { ServiceHost } from '@tars-ts/service';

const host = await ServiceHost.start({ version: 'test-1.0', keepAliveIntervalMs: 200, console: false });
await host.listen();
