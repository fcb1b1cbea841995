import tseslint from 'typescript-eslint';

const forbiddenInCore = [
  'vscode',
  'vscode-languageserver',
  'vscode-languageserver/node',
  'vscode-languageclient',
  'vscode-languageclient/node',
  '@kubernetes/client-node',
  'fs',
  'node:fs',
  'fs/promises',
  'node:fs/promises',
  'http',
  'node:http',
  'https',
  'node:https',
  'net',
  'node:net',
  'tls',
  'node:tls',
  'dgram',
  'node:dgram',
  'child_process',
  'node:child_process',
];

const pureCore = forbiddenInCore.map((name) => ({ name, message: 'src/core is pure: pass data in, get data out.' }));

/** A pattern that keeps src/core/<self> from importing src/core/<other> (shared code lives at the top of src/core). */
function engineBoundary(other, self) {
  return {
    group: [`**/core/${other}/**`, `**/core/${other}`, `../${other}/**`, `../../${other}/**`, `../../../${other}/**`],
    message: `src/core/${self} and src/core/${other} are separate engines: move what both need to the top of src/core.`,
  };
}

/** A pattern that keeps the files of `self` from importing the folders named in `others`. */
function layerBoundary(self, others) {
  return {
    group: others.flatMap((o) => [`**/${o}/**`, `../${o}`, `../../${o}`]),
    message: `${self} must not import ${others.join(', ')}: pass what it needs in.`,
  };
}

export default tseslint.config(
  { ignores: ['dist/**', '.test-out/**', 'node_modules/**', '.cache/**', 'bench/out/**', '**/*.js', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The tooling (build, test runner, scripts, bench): plain ESM, typed from JSDoc by tsconfig.tools.json.
    files: ['**/*.mjs'],
    languageOptions: { parserOptions: { project: ['./tsconfig.tools.json'], tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The analysis core is pure: no editor, no protocol connection, no network, no file system.
    files: ['src/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: pureCore }] },
  },
  {
    // Two engines that never import each other: the manifest engine and the OOM/PSI verdict engine.
    files: ['src/core/manifest/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: pureCore, patterns: [engineBoundary('oom', 'manifest')] }] },
  },
  {
    // The cluster layer serves the CLI, the panel and the extension, and imports none of them;
    // its API access (requests, kubeconfig, fetchers) knows nothing of the analysis built on it.
    files: ['src/cluster/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [layerBoundary('src/cluster', ['panel', 'extension', 'cli', 'server'])] },
      ],
    },
  },
  {
    files: ['src/cluster/access/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [layerBoundary('src/cluster/access', ['panel', 'extension', 'cli', 'server', 'analysis'])] },
      ],
    },
  },
  {
    files: ['src/core/oom/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: pureCore, patterns: [engineBoundary('manifest', 'oom')] }] },
  },
);
