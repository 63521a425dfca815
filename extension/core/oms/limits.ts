/** Bounds applied to every signature before and while parsing it (hostile input). */
export const MAX_BUNDLE_BYTES = 1024 * 1024;
export const MAX_JSON_DEPTH = 64;
export const MAX_RESOURCES = 100_000;
/** Longest path accepted in a manifest or ignore list (bytes of UTF-16 text; generous for any FS). */
export const MAX_PATH_LENGTH = 4096;
