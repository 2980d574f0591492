import { ConfigDomain } from './domain.ts';

/** A config text that cannot be read; `line` is 1-based, `source` names the file (or "<text>"). */
export class ConfigParseError extends Error {
  readonly line: number;
  readonly source: string;

  constructor(source: string, line: number, reason: string) {
    super(`${source}:${line}: ${reason}`);
    this.name = 'ConfigParseError';
    this.line = line;
    this.source = source;
  }
}

// The same line split and trim as @tars/utils Config, so both read a file identically.
const LINE_BREAK = /\r\n|\r|\n/;
const FORBIDDEN_IN_DOMAIN_NAME = /[<>/]/;

interface OpenDomain {
  domain: ConfigDomain;
  line: number;
}

/**
 * Parses Tars config text into a root domain (the file's top level; `<tars>` is its child).
 * Rules (those of @tars/utils and TarsCpp): lines are trimmed; empty lines and lines starting with
 * `#` are comments; `<name>` opens a domain, `</name>` closes it; any other line is `key=value`
 * split at the first `=` (so values may contain `=`), both sides trimmed, or a bare line without
 * `=`. Unlike @tars/utils, a mismatched or missing close tag is an error instead of being ignored.
 */
export function parseConfigText(text: string, source = '<text>'): ConfigDomain {
  const root = new ConfigDomain('');
  const stack: OpenDomain[] = [{ domain: root, line: 0 }];
  const lines = text.split(LINE_BREAK);

  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i].trim();
    if (line.length === 0 || line[0] === '#') continue;
    const current = stack[stack.length - 1].domain;

    if (line[0] !== '<') {
      const eq = line.indexOf('=');
      if (eq === -1) {
        current.addBareLine(line);
        continue;
      }
      const key = line.slice(0, eq).trim();
      if (key.length === 0) throw new ConfigParseError(source, lineNo, `missing key before '=' in "${line}"`);
      current.setParam(key, line.slice(eq + 1).trim(), line);
      continue;
    }

    if (line[line.length - 1] !== '>') {
      throw new ConfigParseError(source, lineNo, `domain tag "${line}" is not closed with '>'`);
    }
    const closing = line[1] === '/';
    const name = line.slice(closing ? 2 : 1, -1).trim();
    if (name.length === 0 || FORBIDDEN_IN_DOMAIN_NAME.test(name)) {
      throw new ConfigParseError(source, lineNo, `invalid domain name in "${line}"`);
    }

    if (!closing) {
      stack.push({ domain: current.child(name), line: lineNo });
      continue;
    }
    if (stack.length === 1) {
      throw new ConfigParseError(source, lineNo, `</${name}> closes a domain that is not open`);
    }
    const open = stack[stack.length - 1];
    if (open.domain.name !== name) {
      throw new ConfigParseError(source, lineNo, `</${name}> does not match <${open.domain.name}> opened at line ${open.line}`);
    }
    stack.pop();
  }

  if (stack.length > 1) {
    const open = stack[stack.length - 1];
    throw new ConfigParseError(source, open.line, `<${open.domain.name}> is never closed`);
  }
  return root;
}
