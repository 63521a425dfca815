/**
 * Chromium's host for the download engine. The service worker can create neither workers nor blob
 * URLs, so it opens this offscreen document (reasons WORKERS and BLOBS); the document connects a port
 * named ENGINE_PORT and runs what the manager sends. Events that cannot be delivered while the
 * service worker restarts are kept (bounded) and sent on the next connection.
 */
import { DownloadEngine } from './engine.js';
import { ENGINE_PORT, type EngineCommand, type EngineEvent } from '../shared/download-engine.js';

interface PortLike {
  postMessage(m: unknown): void;
  onMessage: { addListener(cb: (m: unknown) => void): void };
  onDisconnect: { addListener(cb: () => void): void };
}
const runtime = (globalThis as unknown as { chrome: { runtime: { connect(o: { name: string }): PortLike } } }).chrome.runtime;

const MAX_QUEUED = 1000;
let port: PortLike | undefined;
const queued: EngineEvent[] = [];

function send(e: EngineEvent): void {
  if (port) {
    try {
      port.postMessage(e);
      return;
    } catch {
      port = undefined;
    }
  }
  // Progress is superseded by the next one; ends are kept.
  if (e.op !== 'progress' && queued.length < MAX_QUEUED) queued.push(e);
}

const engine = new DownloadEngine(send);

function connect(): void {
  const p = runtime.connect({ name: ENGINE_PORT });
  port = p;
  p.onMessage.addListener((m) => void engine.handle(m as EngineCommand));
  p.onDisconnect.addListener(() => {
    port = undefined;
    setTimeout(connect, 500);
  });
  for (const e of queued.splice(0)) p.postMessage(e);
  p.postMessage({ op: 'ready', running: engine.activeIds() } satisfies EngineEvent);
}

connect();
