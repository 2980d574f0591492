import type { Pos } from './ast.ts';

/** Any problem with IDL input: the message starts with `file:line:column:`. */
export class IdlError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly reason: string;
  constructor(pos: Pos, reason: string) {
    super(`${pos.file}:${pos.line}:${pos.column}: ${reason}`);
    this.name = 'IdlError';
    this.file = pos.file;
    this.line = pos.line;
    this.column = pos.column;
    this.reason = reason;
  }
}
