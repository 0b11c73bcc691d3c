// @ts-check
import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const nodeBuiltins = ['node:*', 'fs', 'path', 'crypto', 'os', 'stream', 'http', 'https', 'url', 'child_process'];

export default tseslint.config(
  { ignores: ['dist/**', 'data/**', 'node_modules/**', 'coverage/**', 'docs/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': ['error', { maxDepth: 10 }],
      'import-x/no-self-import': 'error',
    },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['tsconfig.json', 'web/tsconfig.json'], noWarnOnMultipleProjects: true })] },
  },
  {
    // common/ is shared by server and web: no Node, no DOM, nothing from either side.
    files: ['common/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.filter((name) => !name.includes('*')),
          patterns: [
            { group: ['node:*'], message: 'common/ must run in the browser too.' },
            {
              group: ['**/server/**', '**/web/**', 'react', 'react-dom', '@mantine/*', 'fastify', 'kysely', 'pg'],
              message: 'common/ imports nothing from server or web.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'Buffer'],
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/web/**', 'react', 'react-dom', '@mantine/*'], message: 'The server does not import the web app.' }] },
      ],
    },
  },
  {
    files: ['server/db/migrations/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../*', '../../*', '!./*'], message: 'Migrations are frozen and import nothing from the app.' }] },
      ],
    },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['**/server/**', 'node:*', 'fastify', 'kysely', 'pg'], message: 'The web app does not import server code.' }],
        },
      ],
    },
  },
  {
    // A feature may use another feature only through its index (public surface).
    files: ['web/src/features/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/server/**', 'node:*', 'fastify', 'kysely', 'pg'], message: 'The web app does not import server code.' },
            { group: ['../*/*', '!../*/index'], message: 'Import another feature through its index, not its internals.' },
          ],
        },
      ],
    },
  },
);
