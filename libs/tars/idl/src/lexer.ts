import type { Pos } from './ast.ts';
import { IdlError } from './errors.ts';

export type TokenKind = 'ident' | 'number' | 'string' | 'punct' | 'include' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Identifier/punctuation text, number text, or the decoded string value. */
  text: string;
  pos: Pos;
  /** The nearest comment block directly above the token (for doc comments in the output). */
  doc?: string;
  /** A comment that follows the token on the same line (`int a; // what a is`). */
  trailing?: string;
}

const PUNCT = new Set(['{', '}', ';', '<', '>', ',', '=', '[', ']', '(', ')', '-', '+']);

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}
function isIdentPart(c: string): boolean {
  return isIdentStart(c) || (c >= '0' && c <= '9');
}
function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/** Strips comment markers and decoration so a comment can be re-emitted as JSDoc. */
function cleanComment(raw: string): string {
  return raw
    .split('\n')
    .map((l) => l.replace(/^\s*(\/\/+|\/\*+|\*+\/?)?/, '').replace(/\*+\/\s*$/, '').trimEnd())
    .join('\n')
    .trim();
}

/** Splits a .tars source into tokens; `>>` is two `>` tokens so nested templates close. */
export function tokenize(src: string, file: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let pendingDoc: string[] = [];
  let docLine = -1; // line where the pending comment ended
  const pos = (at: number): Pos => ({ file, line, column: at - lineStart + 1 });
  const newline = (at: number) => {
    line++;
    lineStart = at + 1;
  };

  while (i < src.length) {
    const c = src[i];
    if (c === '\n') {
      newline(i);
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v' || c === '\uFEFF') {
      i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      const end = src.indexOf('\n', i);
      const stop = end < 0 ? src.length : end;
      const last = out[out.length - 1];
      if (last && last.pos.line === line) {
        const text = cleanComment(src.slice(i, stop));
        if (text) last.trailing = last.trailing ? `${last.trailing}\n${text}` : text;
        i = stop;
        continue;
      }
      if (docLine !== line - 1 && docLine !== line) pendingDoc = [];
      pendingDoc.push(cleanComment(src.slice(i, stop)));
      docLine = line;
      i = stop;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const start = pos(i);
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw new IdlError(start, 'unterminated comment /* ... */');
      for (let j = i; j < end; j++) if (src[j] === '\n') newline(j);
      if (docLine !== start.line - 1 && docLine !== start.line) pendingDoc = [];
      pendingDoc.push(cleanComment(src.slice(i, end + 2)));
      docLine = line;
      i = end + 2;
      continue;
    }
    const p = pos(i);
    const doc = docLine >= line - 1 && pendingDoc.length ? pendingDoc.filter((d) => d).join('\n') : undefined;
    pendingDoc = [];
    docLine = -1;
    const push = (kind: TokenKind, text: string) => out.push(doc ? { kind, text, pos: p, doc } : { kind, text, pos: p });

    if (c === '#') {
      let j = i + 1;
      while (j < src.length && isIdentPart(src[j])) j++;
      const word = src.slice(i + 1, j);
      if (word !== 'include') throw new IdlError(p, `unknown directive #${word}`);
      push('include', '#include');
      i = j;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      // `a::b::c` is one qualified name
      for (;;) {
        while (j < src.length && isIdentPart(src[j])) j++;
        if (src[j] === ':' && src[j + 1] === ':' && isIdentStart(src[j + 2] ?? '')) {
          j += 2;
          continue;
        }
        break;
      }
      push('ident', src.slice(i, j));
      i = j;
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(src[i + 1] ?? ''))) {
      let j = i;
      if (c === '0' && (src[i + 1] === 'x' || src[i + 1] === 'X')) {
        j = i + 2;
        while (j < src.length && /[0-9a-fA-F]/.test(src[j])) j++;
        if (j === i + 2) throw new IdlError(p, 'hex number needs digits after 0x');
      } else {
        while (j < src.length && isDigit(src[j])) j++;
        if (src[j] === '.') {
          j++;
          while (j < src.length && isDigit(src[j])) j++;
        }
        if (src[j] === 'e' || src[j] === 'E') {
          let k = j + 1;
          if (src[k] === '+' || src[k] === '-') k++;
          if (isDigit(src[k] ?? '')) {
            j = k;
            while (j < src.length && isDigit(src[j])) j++;
          }
        }
      }
      // C-style suffixes (1L, 2.0f) carry no meaning here
      while (j < src.length && /[lLuUfF]/.test(src[j])) j++;
      if (j < src.length && isIdentPart(src[j])) throw new IdlError(pos(j), `unexpected '${src[j]}' in number`);
      push('number', src.slice(i, j));
      i = j;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let value = '';
      for (;;) {
        if (j >= src.length || src[j] === '\n') throw new IdlError(p, 'unterminated string literal');
        const ch = src[j];
        if (ch === '"') break;
        if (ch === '\\') {
          const e = src[j + 1];
          const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', '"': '"', "'": "'" };
          if (e === undefined || !(e in map)) throw new IdlError(pos(j), `unknown escape \\${e ?? ''} in string`);
          value += map[e];
          j += 2;
          continue;
        }
        value += ch;
        j++;
      }
      push('string', value);
      i = j + 1;
      continue;
    }
    if (c === ':' && src[i + 1] === ':') {
      push('punct', '::');
      i += 2;
      continue;
    }
    if (PUNCT.has(c)) {
      push('punct', c);
      i++;
      continue;
    }
    throw new IdlError(p, `unexpected character '${c}'`);
  }
  out.push({ kind: 'eof', text: '', pos: pos(i) });
  return out;
}
