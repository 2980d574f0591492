// Flat config: typescript-eslint for every project, and Nx module boundaries that keep the
// arrows one way (see ARCHITECTURE: apps -> libs; tars/* never imports api or cluster; ...).
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const ours = ['scope:tars', 'scope:api', 'scope:cluster', 'scope:storage', 'scope:service'];
const kube = ['@kubernetes/client-node'];
const stores = ['@elastic/elasticsearch', '@duckdb/node-api'];

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '.nx/**', 'coverage/**', '**/fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          // Test tooling (the real API server for integration tests) may be imported by any project's tests.
          allow: ['@tars-ts/kube-env', '@tars-ts/kube-env/testing', '@tars-ts/local-registry'],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:app'] },
            // The standalone framework composes the service apps in one process (docs/adr/0005).
            { sourceTag: 'type:composition', onlyDependOnLibsWithTags: ['type:lib', 'type:app'], bannedExternalImports: [...kube, ...stores] },
            { sourceTag: 'scope:tars', onlyDependOnLibsWithTags: ['scope:tars'], bannedExternalImports: [...kube, ...stores] },
            { sourceTag: 'scope:api', notDependOnLibsWithTags: ours, bannedExternalImports: [...kube, ...stores] },
            { sourceTag: 'scope:cluster', onlyDependOnLibsWithTags: ['scope:api'], bannedExternalImports: stores },
            { sourceTag: 'scope:storage', notDependOnLibsWithTags: ['scope:cluster', 'scope:service'], bannedExternalImports: kube },
            { sourceTag: 'scope:service', onlyDependOnLibsWithTags: ['scope:tars', 'scope:service'], bannedExternalImports: [...kube, ...stores] },
            // What the monitoring services share (store settings from the Tars config, the MonitorQuery servant).
            { sourceTag: 'scope:monitoring', onlyDependOnLibsWithTags: ['scope:tars', 'scope:service', 'scope:storage', 'scope:monitoring'], bannedExternalImports: [...kube, ...stores] },
            { sourceTag: 'type:app', bannedExternalImports: [...kube, ...stores] },
          ],
        },
      ],
    },
  },
];
