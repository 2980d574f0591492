// TAccount: a tarsweb user (object name = md5 hex of the user name), its login tokens and roles.
// v1beta2 and v1beta3 have the same shape; this file declares both.
import { s, type Infer } from '../schema/dsl.ts';
import { AGE_COLUMN, resourceSchema, type KindDefinition, type ResourceOf, type VersionDefinition } from './resource.ts';

export const TAccountToken = s.object(
  {
    name: s.string({ minLength: 2, maxLength: 32 }),
    content: s.string({ maxLength: 8092 }),
    updateTime: s.dateTime(),
    expirationTime: s.dateTime(),
    valid: s.bool({ default: true }),
  },
  { required: ['expirationTime'] },
);
export type TAccountToken = Infer<typeof TAccountToken>;

export const TAccountAuthentication = s.object(
  {
    /** Write-only: the mutating webhook replaces it with `bcryptPassword`. */
    password: s.string({ pattern: '^[\\x21-\\x7e]*$', minLength: 6, maxLength: 32 }),
    bcryptPassword: s.string({ minLength: 60, maxLength: 60 }),
    activated: s.bool({ default: false }),
    tokens: s.array(TAccountToken),
  },
  { oneOfRequired: [['password'], ['bcryptPassword']] },
);
export type TAccountAuthentication = Infer<typeof TAccountAuthentication>;

export const TAccountAuthorization = s.object(
  {
    role: s.enum(['admin', 'operator', 'developer']),
    flag: s.string({ maxLength: 1600 }),
    updateTime: s.dateTime(),
  },
  { required: ['role', 'flag'] },
);
export type TAccountAuthorization = Infer<typeof TAccountAuthorization>;

export const TAccountSpec = s.object(
  {
    username: s.string({ pattern: '^[\\x21-\\x7e\\p{Han}]*$', minLength: 2, maxLength: 16 }),
    extra: s.array(s.string({ maxLength: 1024 })),
    authentication: TAccountAuthentication,
    authorization: s.array(TAccountAuthorization),
  },
  { required: ['username', 'authentication', 'authorization'] },
);
export type TAccountSpec = Infer<typeof TAccountSpec>;

export const TAccountSchema = resourceSchema({ spec: TAccountSpec }, { required: ['spec'] });
export type TAccount = ResourceOf<typeof TAccountSchema, 'v1beta3', 'TAccount'>;
export type TAccountV1beta2 = ResourceOf<typeof TAccountSchema, 'v1beta2', 'TAccount'>;

const printerColumns = [{ name: 'Username', type: 'string', jsonPath: '.spec.username' }, AGE_COLUMN] as const;
const v1beta3: VersionDefinition = { name: 'v1beta3', schema: TAccountSchema, printerColumns };

export const TAccountKind: KindDefinition = {
  kind: 'TAccount',
  plural: 'taccounts',
  singular: 'taccount',
  shortNames: ['ta'],
  conversion: 'None',
  versions: [{ ...v1beta3, name: 'v1beta2' }, v1beta3],
};
