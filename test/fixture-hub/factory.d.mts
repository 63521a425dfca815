export const factory: typeof import('../factory/index.js');
