/**
 * Names from the wire become directory and file names under the log directory. Each must be one
 * plain path component: not empty, not "." or "..", no "/" or "\", no NUL, at most 255 bytes.
 * Anything else is refused with a LogNameError saying which name and why; nothing is written.
 */
export class LogNameError extends Error {
  override name = 'LogNameError';
}

const MAX_NAME_BYTES = 255;

/** Why `value` cannot be a path component, or undefined when it can. */
export function pathComponentProblem(value: string): string | undefined {
  if (value === '') return 'is empty';
  if (value === '.' || value === '..') return `is "${value}"`;
  if (value.includes('/')) return 'contains "/"';
  if (value.includes('\\')) return 'contains "\\"';
  if (value.includes('\0')) return 'contains a NUL character';
  if (Buffer.byteLength(value) > MAX_NAME_BYTES) return `is longer than ${MAX_NAME_BYTES} bytes`;
  return undefined;
}

export function checkPathComponent(what: string, value: string): string {
  const problem = pathComponentProblem(value);
  if (problem) throw new LogNameError(`refused: ${what} ${JSON.stringify(value)} ${problem}; remote log names must be plain file names`);
  return value;
}

/**
 * Upstream's getSetGoodFormat: "a.b.c" → "abc", "a.b.*" → "ab", anything without exactly three
 * parts → "" (no set directory).
 */
export function setDirectoryName(setdivision: string): string {
  const parts = setdivision.split('.');
  if (parts.length !== 3) return '';
  return parts[2] === '*' ? parts[0] + parts[1] : parts[0] + parts[1] + parts[2];
}
