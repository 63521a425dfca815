import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'demo-output/**', 'test-results/**', 'bench-output/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Hub data, bundles and identities are hostile: never build HTML from strings.
      'no-restricted-properties': [
        'error',
        { property: 'innerHTML', message: 'Render text only (textContent / Preact).' },
        { property: 'outerHTML', message: 'Render text only.' },
        { property: 'insertAdjacentHTML', message: 'Render text only.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'Render text only.' },
      ],
      'no-eval': 'error',
      'no-implied-eval': 'error',
    },
  },
  // Layers, enforced: data flows core → background → UI; pages talk to the worker only by message.
  {
    files: ['extension/core/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/background/**', '**/ui/**', '**/pages/**', '**/shared/**', '**/cli/**', '**/popup/**', '**/content-scripts/**'], message: 'The core imports nothing outside extension/core.' },
            { group: ['node:*', 'webextension-polyfill', 'preact', 'preact/**'], message: 'The core is environment-free: inject what it needs.' },
          ],
        },
      ],
    },
  },
  {
    files: ['extension/background/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/ui/**', '**/pages/**', '**/popup/**', '**/content-scripts/**', 'preact', 'preact/**'], message: 'The worker holds no UI: shared tables live in extension/shared.' }] },
      ],
    },
  },
  {
    files: ['extension/ui/**/*.{ts,tsx}', 'extension/pages/**/*.{ts,tsx}', 'popup/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/background/**', '**/cli/**', '**/content-scripts/**'], message: 'UI reaches the worker by message only, never its internals.' }] },
      ],
    },
  },
  {
    // Dedicated workers (file hashing, downloads) handle hostile bytes: the core and shared types only;
    // no UI, no worker internals, no extension APIs (they only fetch, hash and write the private file system).
    files: ['extension/workers/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/background/**', '**/ui/**', '**/pages/**', '**/popup/**', '**/content-scripts/**', '**/offscreen/**', '**/cli/**', 'webextension-polyfill', 'preact', 'preact/**', 'node:*'], message: 'A dedicated worker imports only the core and shared types.' }] },
      ],
    },
  },
  {
    files: ['extension/offscreen/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/background/**', '**/ui/**', '**/pages/**', '**/popup/**', '**/content-scripts/**', '**/cli/**', 'preact', 'preact/**'], message: 'The download engine holds no UI and no worker internals: it talks to the background by port.' }] },
      ],
    },
  },
  {
    files: ['content-scripts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/background/**', '**/ui/**', '**/pages/**', '**/popup/**', '**/cli/**', 'preact', 'preact/**'], message: 'Content scripts hold no UI or worker code: they mount extension frames and message the worker.' },
            { group: ['**/core/**/*.js', '!**/core/verdict.js', '!**/core/hubs/pages.js', '!**/core/hubs/adapter.js', '!**/core/repo-ref.js'], message: 'Content scripts import only the page part of the hub adapter, repo references and the verdict types (no verification code in hub pages).' },
          ],
        },
      ],
    },
  },
);
