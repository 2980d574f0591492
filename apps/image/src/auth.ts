/**
 * Who may upload. Upstream tarsimage had no authentication (anyone reaching port 80 could build
 * and push). Here a request must carry one of the configured tokens, as `Authorization: Bearer
 * <token>` or as the password of HTTP Basic (what curl -u and most HTTP clients send).
 * Disabling it is an explicit choice (`auth: none`) for upstream tarsweb, which sends nothing.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export type UploadAuth = { kind: 'none' } | { kind: 'tokens'; tokens: string[] };

const digest = (s: string) => createHash('sha256').update(s).digest();

function presented(headers: IncomingHttpHeaders): string | undefined {
  const h = headers.authorization;
  if (!h) return undefined;
  const bearer = /^Bearer\s+(.+)$/i.exec(h);
  if (bearer) return bearer[1]!.trim();
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(h);
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon < 0 ? undefined : decoded.slice(colon + 1);
  }
  return undefined;
}

/** True when the request may upload. Compares digests in constant time. */
export function authorized(auth: UploadAuth, headers: IncomingHttpHeaders): boolean {
  if (auth.kind === 'none') return true;
  const token = presented(headers);
  if (!token) return false;
  const got = digest(token);
  let ok = false;
  for (const t of auth.tokens) if (timingSafeEqual(got, digest(t))) ok = true;
  return ok;
}

/** Tokens: one per line (blank lines and `#` comments skipped). */
export function parseTokens(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}
