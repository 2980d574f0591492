// Field-path errors, the one shape every check in this library reports.

export interface FieldError {
  /** Dotted path with indices, e.g. `spec.tars.servants[1].port`; `metadata.name` for names. */
  readonly path: string;
  readonly message: string;
}

export function fieldError(path: string, message: string): FieldError {
  return { path, message };
}

export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (parent === '') return key;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/** One line, the way an admission denial shows it: `path: message; path: message`. */
export function formatFieldErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => (e.path === '' ? e.message : `${e.path}: ${e.message}`)).join('; ');
}
