// Types for shim-aliases.mjs (consumed by vite.config.ts, vitest.config.ts and vite.cli.config.ts).
export declare const shimAliases: { find: RegExp; replacement: string }[];
