// Read-modify-write loops: re-run `fn` (which should re-read the object) while it hits a
// ConflictError, like client-go's retry.RetryOnConflict.
import { ConflictError } from './errors.ts';

export async function retryOnConflict<T>(fn: () => Promise<T>, attempts = 5, delayMs = 10): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof ConflictError) || i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, delayMs * i));
    }
  }
}
