// The legacy NotifyF call the K8S tarsnode still uses: reportServer(App.Server, "-1", msg)
// (framework-services.md §5.1, §9.2). It was commented out of NotifyF.tars in 2023-11, so the
// generated code lacks it; this descriptor is written by hand on the same codec primitives.
import { Servant, ServantProxy, type CallOptions, type Current, type InterfaceDescriptor, type ParamDescriptor } from '@tars-ts/rpc';

function stringParam(name: string, tag: number): ParamDescriptor {
  return {
    name,
    tag,
    out: false,
    tupType: 'string',
    write: (w, t, v) => w.writeString(t, v as string),
    read: (r) => r.readString(),
    empty: () => '',
  };
}

export const LegacyNotifyDescriptor: InterfaceDescriptor = {
  name: 'tars.Notify',
  methods: {
    reportServer: { name: 'reportServer', params: [stringParam('sServerName', 1), stringParam('sThreadId', 2), stringParam('sMessage', 3)] },
  },
};

export class LegacyNotifyProxy extends ServantProxy {
  static readonly descriptor: InterfaceDescriptor = LegacyNotifyDescriptor;

  reportServer(sServerName: string, sThreadId: string, sMessage: string, options?: CallOptions): Promise<void> {
    return this.invoke(LegacyNotifyDescriptor.methods.reportServer, [sServerName, sThreadId, sMessage], options) as Promise<void>;
  }
}

/** Server side of the legacy call (tests; a notify service may reuse the shape). */
export abstract class LegacyNotifyServant extends Servant {
  static readonly descriptor: InterfaceDescriptor = LegacyNotifyDescriptor;
  abstract reportServer(current: Current, sServerName: string, sThreadId: string, sMessage: string): void | Promise<void>;
}
