// Base classes generated code extends. Generated subclasses carry `static readonly descriptor`;
// these bases deliberately declare no `descriptor` and as few members as possible, so IDL method
// names cannot collide with them (see docs/design/tars-stack-contract.md, "Generated code").
import type { InterfaceDescriptor } from './types.ts';

/**
 * A servant implementation: a subclass with `static readonly descriptor` and one method per IDL
 * method taking `(current, ...inParams)`. The server dispatches by sFuncName (see server/dispatch.ts).
 */
export abstract class Servant {}

type WithDescriptor = { descriptor?: InterfaceDescriptor };

/** The interface descriptor of a servant (from its class's static `descriptor`). */
export function servantDescriptor(servant: object): InterfaceDescriptor {
  const d = (servant.constructor as WithDescriptor).descriptor;
  if (!d || typeof d !== 'object' || typeof d.methods !== 'object') {
    throw new TypeError(`${servant.constructor.name}: a servant class needs a static 'descriptor' (InterfaceDescriptor)`);
  }
  return d;
}
