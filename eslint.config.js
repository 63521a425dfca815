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
);
