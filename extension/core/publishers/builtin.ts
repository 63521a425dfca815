/** The directory shipped with the extension and the CLI, read through the same strict reader as imports. */
import shipped from './directory.json';
import { parsePublisherDirectory, type PublisherDirectory } from './directory.js';

let cached: PublisherDirectory | undefined;

export function builtinDirectory(): PublisherDirectory {
  cached ??= parsePublisherDirectory(shipped);
  return cached;
}
