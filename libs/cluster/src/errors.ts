// Typed failures of the ClusterState port. Both implementations throw these, so callers can retry
// on conflicts and treat "not found" as a value without looking at HTTP codes.

export interface StatusCause {
  field?: string;
  message?: string;
  reason?: string;
}

/** Any failure reported by the cluster (API server or embedded store). */
export class ClusterError extends Error {
  override name = 'ClusterError';
  /** HTTP-style status code (0 when the server could not be reached). */
  readonly code: number;
  /** Kubernetes `Status.reason` (`NotFound`, `Conflict`, `AlreadyExists`, `Invalid`, ...). */
  readonly reason: string;
  readonly causes: readonly StatusCause[];

  constructor(message: string, code: number, reason: string, causes: readonly StatusCause[] = []) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.causes = causes;
  }
}

export class NotFoundError extends ClusterError {
  override name = 'NotFoundError';
  constructor(message: string) {
    super(message, 404, 'NotFound');
  }
}

/** The object changed since it was read (stale `metadata.resourceVersion` or uid precondition). */
export class ConflictError extends ClusterError {
  override name = 'ConflictError';
  constructor(message: string) {
    super(message, 409, 'Conflict');
  }
}

/** A create found an object of that name. Not a ConflictError: re-reading does not help. */
export class AlreadyExistsError extends ClusterError {
  override name = 'AlreadyExistsError';
  constructor(message: string) {
    super(message, 409, 'AlreadyExists');
  }
}

/** The object breaks the schema (or a name rule); `causes` lists the fields. */
export class InvalidError extends ClusterError {
  override name = 'InvalidError';
  constructor(message: string, causes: readonly StatusCause[] = []) {
    super(message, 422, 'Invalid', causes);
  }
}

/** The typed error for a Kubernetes `Status` body (or a bare HTTP status). */
export function errorFromStatus(code: number, status: { message?: string; reason?: string; details?: { causes?: StatusCause[] } } | undefined, what: string): ClusterError {
  const message = status?.message ? status.message : `${what}: HTTP ${code}`;
  const reason = status?.reason ?? '';
  if (code === 404) return new NotFoundError(message);
  if (code === 409 && reason === 'AlreadyExists') return new AlreadyExistsError(message);
  if (code === 409) return new ConflictError(message);
  if (code === 422) return new InvalidError(message, status?.details?.causes ?? []);
  return new ClusterError(message, code, reason || 'Unknown', status?.details?.causes ?? []);
}

export function isNotFound(e: unknown): e is NotFoundError {
  return e instanceof NotFoundError;
}

export function isConflict(e: unknown): e is ConflictError {
  return e instanceof ConflictError;
}
