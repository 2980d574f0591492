// Typed errors. `code` is always a BaseF return code (see codes.ts).
import { TarsCode } from './codes.ts';

export class TarsError extends Error {
  readonly code: number;
  constructor(code: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TarsError';
    this.code = code;
  }
}

/** The call did not complete within its timeout (client side, -7). */
export class TimeoutError extends TarsError {
  constructor(message: string) {
    super(TarsCode.INVOKE_TIMEOUT, message);
    this.name = 'TimeoutError';
  }
}

/** Could not connect, or the connection broke before the reply arrived (-8 / -13). */
export class ConnectionError extends TarsError {
  constructor(message: string, code: number = TarsCode.PROXY_CONNECT_ERR, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'ConnectionError';
  }
}

/** No endpoint to send to: unresolvable name or every endpoint gone (-10). */
export class NoEndpointError extends TarsError {
  constructor(message: string) {
    super(TarsCode.ADAPTER_NULL, message);
    this.name = 'NoEndpointError';
  }
}

/** The server answered with a non-zero iRet (-1, -3, -4, -6, -9, -99, or a servant-chosen code). */
export class ServerError extends TarsError {
  /** sResultDesc of the reply. */
  readonly desc: string;
  constructor(code: number, desc: string, where: string) {
    super(code, `${where}: server returned ${code}${desc ? ` (${desc})` : ''}`);
    this.name = 'ServerError';
    this.desc = desc;
  }
}

/** The reply could not be decoded (-12). */
export class ClientDecodeError extends TarsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(TarsCode.CLIENT_DECODE_ERR, message, options);
    this.name = 'ClientDecodeError';
  }
}
