import tseslint from 'typescript-eslint';

const forbiddenInCore = [
  'vscode', 'vscode-languageserver', 'vscode-languageserver/node', 'vscode-languageclient',
  'vscode-languageclient/node', '@kubernetes/client-node',
  'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'http', 'node:http', 'https', 'node:https',
  'net', 'node:net', 'tls', 'node:tls', 'dgram', 'node:dgram', 'child_process', 'node:child_process',
];

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
    rules: {
      'no-restricted-imports': ['error', { paths: forbiddenInCore.map((name) => ({ name, message: 'src/core is pure: pass data in, get data out.' })) }],
    },
  },
);
