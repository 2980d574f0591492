import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CONTROLLER_USER } from '../meta/constants.ts';
import { normalize } from '../schema/lookup.ts';
import type { TAccount } from '../kinds/taccount.ts';
import type { TImage } from '../kinds/timage.ts';
import type { TTemplate } from '../kinds/ttemplate.ts';
import type { TTree } from '../kinds/ttree.ts';
import { accountName, defaultTAccount, validateTAccount } from './taccount.ts';
import { defaultTImage } from './timage.ts';
import { defaultTTemplate, validateTTemplate, validateTTemplateDelete } from './ttemplate.ts';
import { defaultTTree, validateTTree, validateTTreeDelete } from './ttree.ts';

const now = new Date('2024-03-28T15:04:05Z');

function template(name: string, parent: string): TTemplate {
  return { apiVersion: 'k8s.tars.io/v1beta3', kind: 'TTemplate', metadata: { name }, spec: { content: '', parent } };
}

describe('TTemplate', () => {
  it('labels children with their parent and roots without', () => {
    expect(defaultTTemplate(template('tars.cpp', 'tars.default')).metadata.labels).toEqual({ 'tars.io/Parent': 'tars.default' });
    const root = template('tars.default', 'tars.default');
    root.metadata.labels = { 'tars.io/Parent': 'x' };
    expect(defaultTTemplate(root).metadata.labels).toEqual({});
  });

  it('requires an existing parent unless self-parented', () => {
    const templates = new Set(['tars.default']);
    expect(validateTTemplate(template('tars.default', 'tars.default'), undefined, { templates: new Set() })).toEqual([]);
    expect(validateTTemplate(template('tars.cpp', 'tars.default'), undefined, { templates })).toEqual([]);
    expect(validateTTemplate(template('tars.cpp', 'tars.base'), undefined, { templates })).toEqual([
      { path: 'spec.parent', message: 'parent TTemplate "tars.base" does not exist' },
    ]);
    expect(validateTTemplate(template('tars.cpp', ''), undefined, { templates })).toEqual([{ path: 'spec.parent', message: 'must not be empty' }]);
  });

  it('denies deleting a template that is a parent or in use', () => {
    const root = template('tars.default', 'tars.default');
    const child = defaultTTemplate(template('tars.cpp', 'tars.default'));
    const server = { metadata: { name: 'test-hello', labels: { 'tars.io/Template': 'tars.cpp' } } };
    expect(validateTTemplateDelete(root, { templates: [root, child], tservers: [] })[0]?.message).toBe('TTemplate "tars.default" is the parent of "tars.cpp"');
    expect(validateTTemplateDelete(child, { templates: [root, child], tservers: [server] })[0]?.message).toBe('TTemplate "tars.cpp" is used by TServer "test-hello"');
    expect(validateTTemplateDelete(child, { templates: [root, child], tservers: [] })).toEqual([]);
    expect(validateTTemplateDelete(root, { templates: [root, child], tservers: [], user: CONTROLLER_USER })).toEqual([]);
  });
});

function tree(apps: [string, string][], businesses = ['TarsFramework']): TTree {
  return normalize<TTree>({
    apiVersion: 'k8s.tars.io/v1beta3',
    kind: 'TTree',
    metadata: { name: 'tars-tree' },
    businesses: businesses.map((name) => ({ name, show: name, weight: 3 })),
    apps: apps.map(([name, businessRef]) => ({ name, businessRef })),
  });
}

describe('TTree', () => {
  it('moves apps of unknown businesses to no business', () => {
    expect(defaultTTree(tree([['tars', 'TarsFramework'], ['Test', 'Gone']])).apps.map((a) => a.businessRef)).toEqual(['TarsFramework', '']);
  });

  it.each([
    ['wrong name', () => ({ ...tree([]), metadata: { name: 'my-tree' } }), false, 'metadata.name: must be "tars-tree"'],
    ['second tree', () => tree([]), true, 'metadata.name: tars-tree already exists'],
    ['duplicate business', () => tree([], ['B1', 'B1']), false, 'businesses: business "B1" is listed more than once'],
    ['duplicate app', () => tree([['A', ''], ['A', '']]), false, 'apps: app "A" is listed more than once'],
    ['unknown business', () => tree([['A', 'Nope']]), false, 'apps[0].businessRef: business "Nope" does not exist'],
  ])('denies on create: %s', (_name, make, treeExists, expected) => {
    const errors = validateTTree(make(), undefined, { treeExists, tservers: [] });
    expect(errors.map((e) => `${e.path}: ${e.message}`)).toContain(expected);
  });

  it('denies removing an app that TServers still use, except for the controller', () => {
    const old = tree([['Test', ''], ['Unused', '']]);
    const servers = [{ metadata: { labels: { 'tars.io/ServerApp': 'Test' } } }];
    expect(validateTTree(tree([['Unused', '']]), old, { treeExists: true, tservers: servers })).toEqual([
      { path: 'apps', message: 'app "Test" is still used by a TServer' },
    ]);
    expect(validateTTree(tree([['Test', '']]), old, { treeExists: true, tservers: servers })).toEqual([]);
    expect(validateTTree(tree([['Unused', '']]), old, { treeExists: true, tservers: servers, user: CONTROLLER_USER })).toEqual([]);
  });

  it('denies deleting tars-tree except for system users', () => {
    expect(validateTTreeDelete(tree([]), {})).toHaveLength(1);
    expect(validateTTreeDelete(tree([]), { user: 'system:serviceaccount:kube-system:namespace-controller' })).toEqual([]);
  });
});

function account(username: string, authentication: TAccount['spec']['authentication']): TAccount {
  return {
    apiVersion: 'k8s.tars.io/v1beta3',
    kind: 'TAccount',
    metadata: { name: accountName(username), annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"password":"secret"}' } },
    spec: { username, authentication, authorization: [{ role: 'admin', flag: '*' }] },
  };
}

/** A stand-in with bcrypt's output shape; which hash function runs is the webhook's choice. */
const bcrypt = (data: string, cost: number) => `$2a$0${cost}$${createHash('sha256').update(data).digest('base64').padEnd(53, '.')}`;

describe('TAccount', () => {
  it('names accounts by the md5 of the user name (admin → 21232f…)', () => {
    expect(accountName('admin')).toBe('21232f297a57a5a743894a0e4a801fc3');
  });

  it('replaces the password by bcrypt(hex(sha1(password))) and drops tokens and last-applied', () => {
    const input = account('admin', { password: 'admin123', tokens: [{ name: 'tk', expirationTime: '2030-01-01T00:00:00Z' }] });
    const result = defaultTAccount(input, undefined, { bcrypt });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const auth = result.object.spec.authentication;
    const sha1 = createHash('sha1').update('admin123').digest('hex');
    expect(auth).not.toHaveProperty('password');
    expect(auth.bcryptPassword).toBe(bcrypt(sha1, 6));
    expect(auth.tokens).toEqual([]);
    expect(result.object.metadata).not.toHaveProperty('annotations');
  });

  it('denies a password outside 6..32 printable characters', () => {
    const result = defaultTAccount(account('admin', { password: 'short' }), undefined, { bcrypt });
    expect(result).toEqual({ ok: false, errors: [{ path: 'spec.authentication.password', message: 'must be 6 to 32 printable ASCII characters' }] });
  });

  it('keeps tokens on update unless the password changes', () => {
    const hash = bcrypt('x', 6);
    const tokens = [{ name: 'tk', expirationTime: '2030-01-01T00:00:00Z' }];
    const old = account('admin', { bcryptPassword: hash, tokens });
    const same = defaultTAccount(account('admin', { bcryptPassword: hash, tokens }), old, { bcrypt });
    expect(same.ok && same.object.spec.authentication.tokens).toEqual(tokens);
    const changed = defaultTAccount(account('admin', { bcryptPassword: bcrypt('y', 6), tokens }), old, { bcrypt });
    expect(changed.ok && changed.object.spec.authentication.tokens).toEqual([]);
  });

  it('requires the name to be the md5 of the user name', () => {
    const wrong = { ...account('admin', { bcryptPassword: bcrypt('x', 6) }), metadata: { name: 'admin' } };
    expect(validateTAccount(wrong, undefined, {})).toEqual([{ path: 'metadata.name', message: 'must be the md5 of spec.username (21232f297a57a5a743894a0e4a801fc3)' }]);
    expect(validateTAccount(account('admin', { bcryptPassword: bcrypt('x', 6) }), undefined, {})).toEqual([]);
    expect(validateTAccount(wrong, wrong, { user: CONTROLLER_USER })).toEqual([]);
  });
});

describe('TImage', () => {
  const image = (fields: Partial<TImage>): TImage => ({ apiVersion: 'k8s.tars.io/v1beta3', kind: 'TImage', metadata: { name: 'cppbase' }, imageType: 'base', ...fields });

  it('labels base images with their supported types and removes stale ones', () => {
    const input = image({ supportedType: ['cpp', 'go'] });
    input.metadata.labels = { 'tars.io/Supported.java-jar': 'java-jar', keep: 'me' };
    expect(defaultTImage(input, { now }).metadata.labels).toEqual({
      keep: 'me',
      'tars.io/ImageType': 'base',
      'tars.io/Supported.cpp': 'cpp',
      'tars.io/Supported.go': 'go',
    });
    const server = image({ imageType: 'server', supportedType: ['cpp'] });
    server.metadata.labels = { 'tars.io/Supported.cpp': 'cpp' };
    expect(defaultTImage(server, { now }).metadata.labels).toEqual({ 'tars.io/ImageType': 'server' });
  });

  it('keeps the first release of each id and stamps missing creation times', () => {
    const out = defaultTImage(
      image({
        imageType: 'server',
        releases: [
          { id: 'v2', image: 'r/a:v2' },
          { id: 'v1', image: 'r/a:v1', createTime: '2020-01-01T00:00:00Z' },
          { id: 'v2', image: 'r/a:v2-again' },
        ],
      }),
      { now },
    );
    expect(out.releases).toEqual([
      { id: 'v2', image: 'r/a:v2', createTime: '2024-03-28T15:04:05Z' },
      { id: 'v1', image: 'r/a:v1', createTime: '2020-01-01T00:00:00Z' },
    ]);
  });
});
