/** Set by vite.config.ts at build time: which browser this build is for. */
declare const __MODELSEAL_TARGET__: 'chrome' | 'firefox';
