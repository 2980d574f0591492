/**
 * The smallest logger the store needs. libs/service adapts its winston logger to this shape;
 * storage must not import libs/service (module boundaries), so the contract lives here.
 */
export interface StoreLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: StoreLogger = {
  info() {},
  warn() {},
  error() {},
};
