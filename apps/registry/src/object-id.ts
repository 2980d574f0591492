// Tars object names as the registry reads them: `App.Server.Servant`, exactly three non-empty
// parts (K8SFramework QueryImp.cpp); anything else resolves to nothing.

export interface ObjectId {
  app: string;
  server: string;
  servant: string;
  /** The TEndpoint (and TServer) name: `lower(App)-lower(Server)`. */
  endpointName: string;
}

/** The parts of `id`, or undefined when it is not `App.Server.Servant`. */
export function parseObjectId(id: string): ObjectId | undefined {
  const first = id.indexOf('.');
  if (first <= 0) return undefined;
  const second = id.indexOf('.', first + 1);
  if (second <= first + 1 || second === id.length - 1) return undefined;
  if (id.indexOf('.', second + 1) !== -1) return undefined;
  const app = id.slice(0, first);
  const server = id.slice(first + 1, second);
  return { app, server, servant: id.slice(second + 1), endpointName: endpointNameOf(app, server) };
}

export function endpointNameOf(app: string, server: string): string {
  return `${app.toLowerCase()}-${server.toLowerCase()}`;
}
