/** Dedicated worker that hashes local files for the "Check files on this computer" page, off the main thread. */
import { handleHashMessage } from './file-hash-job.js';

const scope = self as unknown as { onmessage: ((e: MessageEvent) => void) | null; postMessage(m: unknown): void };
scope.onmessage = (e: MessageEvent) => void handleHashMessage(e.data, (reply) => scope.postMessage(reply));
