// Container environment (core/v1 EnvVar, EnvFromSource): the subset a TServer may set.
import { s, type Infer } from '../schema/dsl.ts';
import { QUANTITY } from '../meta/names.ts';

const keyRef = () =>
  s.object(
    { name: s.string({ maxLength: 253 }), key: s.string({ maxLength: 253 }), optional: s.bool({ default: true }) },
    { required: ['name', 'key'] },
  );

export const EnvVarSource = s.object(
  {
    fieldRef: s.object({ apiVersion: s.string(), fieldPath: s.string() }, { required: ['fieldPath'] }),
    resourceFieldRef: s.object(
      { containerName: s.string(), resource: s.string(), divisor: s.string({ pattern: QUANTITY, default: '1' }) },
      { required: ['resource'] },
    ),
    configMapKeyRef: keyRef(),
    secretKeyRef: keyRef(),
  },
  { oneOfRequired: [['fieldRef'], ['resourceFieldRef'], ['configMapKeyRef'], ['secretKeyRef']] },
);

export const EnvVar = s.object(
  {
    name: s.string({ pattern: '^[-._0-9A-Za-z]{1,63}$' }),
    value: s.string(),
    valueFrom: EnvVarSource,
  },
  { required: ['name'], oneOfRequired: [['value'], ['valueFrom']] },
);
export type EnvVar = Infer<typeof EnvVar>;

const sourceRef = () => s.object({ name: s.string({ maxLength: 253 }), optional: s.bool({ default: true }) }, { required: ['name'] });

export const EnvFromSource = s.object(
  {
    prefix: s.string({ pattern: '^[A-Za-z][_0-9A-Za-z]*$' }),
    configMapRef: sourceRef(),
    secretRef: sourceRef(),
  },
  { oneOfRequired: [['configMapRef'], ['secretRef']] },
);
export type EnvFromSource = Infer<typeof EnvFromSource>;
