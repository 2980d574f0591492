// Base class of generated proxies. Its only members are `tarsObject` and the protected `invoke`,
// so IDL method names cannot collide with it (the generator rejects `invoke`).
import type { CallOptions, MethodDescriptor } from './types.ts';

/** What a proxy sends calls through (implemented by client/object-proxy.ts). */
export interface Invoker {
  readonly objectName: string;
  invoke(method: MethodDescriptor, args: readonly unknown[], options?: CallOptions): Promise<unknown>;
  /** tars_ping: resolves when the servant answers. */
  ping(options?: CallOptions): Promise<void>;
}

export class ServantProxy {
  /** The object proxy behind this typed proxy: name, endpoints, timeout, ping. */
  readonly tarsObject: Invoker;

  constructor(tarsObject: Invoker) {
    this.tarsObject = tarsObject;
  }

  /**
   * Called by generated methods. `args` are the in parameters in IDL order. Resolves to the return
   * value, or `{ ret?, ...outs }` when the method has out parameters; rejects with a TarsError.
   */
  protected invoke(method: MethodDescriptor, args: readonly unknown[], options?: CallOptions): Promise<unknown> {
    return this.tarsObject.invoke(method, args, options);
  }
}

export type ProxyClass<T extends ServantProxy> = new (tarsObject: Invoker) => T;
