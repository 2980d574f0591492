// Admission rules for TAccount: passwords are stored only as bcrypt hashes; the object name is
// the md5 of the user name (how tarsweb finds an account).
import { createHash } from 'node:crypto';
import { fieldError, type FieldError } from '../errors.ts';
import { Annotation } from '../meta/constants.ts';
import type { TAccount } from '../kinds/taccount.ts';
import { isController, type Mutated } from './common.ts';

const PASSWORD = /^[\x21-\x7e]{6,32}$/;
/** tarsweb compares bcrypt(hex(sha1(password))) with this cost. */
export const BCRYPT_COST = 6;

export interface TAccountDefaultsContext {
  /** bcrypt hash of `data` at `cost` (the webhook provides an implementation). */
  bcrypt: (data: string, cost: number) => string;
}

export function accountName(username: string): string {
  return createHash('md5').update(username).digest('hex');
}

export function defaultTAccount(input: TAccount, old: TAccount | undefined, ctx: TAccountDefaultsContext): Mutated<TAccount> {
  const obj = structuredClone(input);
  const auth = obj.spec.authentication;
  const password = auth.password;
  if (password !== undefined) {
    if (!PASSWORD.test(password)) {
      return { ok: false, errors: [fieldError('spec.authentication.password', 'must be 6 to 32 printable ASCII characters')] };
    }
    auth.bcryptPassword = ctx.bcrypt(createHash('sha1').update(password).digest('hex'), BCRYPT_COST);
    delete auth.password;
  }
  // A new password invalidates every token issued with the old one.
  if (old === undefined || password !== undefined || auth.bcryptPassword !== old.spec.authentication.bcryptPassword) auth.tokens = [];
  // kubectl apply would otherwise keep the plain password in this annotation.
  if (obj.metadata.annotations !== undefined) {
    delete obj.metadata.annotations[Annotation.LastApplied];
    if (Object.keys(obj.metadata.annotations).length === 0) delete obj.metadata.annotations;
  }
  return { ok: true, object: obj };
}

export function validateTAccount(obj: TAccount, old: TAccount | undefined, ctx: { user?: string }): FieldError[] {
  if (old !== undefined && isController(ctx.user)) return [];
  const want = accountName(obj.spec.username);
  if (obj.metadata.name !== want) return [fieldError('metadata.name', `must be the md5 of spec.username (${want})`)];
  return [];
}
