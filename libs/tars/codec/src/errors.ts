import { typeName } from './types.ts';

export interface TarsDecodeErrorDetails {
  offset?: number;
  tag?: number;
  expected?: string;
  actual?: number;
}

/** Input that is not valid TARS: says what went wrong and where (byte offset, tag, types). */
export class TarsDecodeError extends Error {
  readonly offset: number | undefined;
  readonly tag: number | undefined;
  constructor(what: string, details: TarsDecodeErrorDetails = {}) {
    const where: string[] = [];
    if (details.offset !== undefined) where.push(`offset ${details.offset}`);
    if (details.tag !== undefined) where.push(`tag ${details.tag}`);
    if (details.expected !== undefined) where.push(`expected ${details.expected}`);
    if (details.actual !== undefined) where.push(`got ${typeName(details.actual)}`);
    super(where.length ? `${what} (${where.join(', ')})` : what);
    this.name = 'TarsDecodeError';
    this.offset = details.offset;
    this.tag = details.tag;
  }
}

/** A length prefix that breaks the framing rules (< 5 or > maxPacketSize): the stream is unusable. */
export class TarsFrameError extends TarsDecodeError {
  constructor(what: string, offset?: number) {
    super(what, { offset });
    this.name = 'TarsFrameError';
  }
}
