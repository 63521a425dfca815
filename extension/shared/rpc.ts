/**
 * The one typed call to the worker, for every context (content scripts, popup, pages): the request
 * of a protocol message in, its response out, a worker error as a thrown RpcError. Deliberately tiny
 * and free of UI code, so content scripts can use it.
 */
import browser from 'webextension-polyfill';
import { isPush, type MessageType, type Push, type PushType, type Reply, type Request, type Response } from './messages.js';

export class RpcError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function request<T extends MessageType>(msg: Request<T> & { type: T }): Promise<Response<T>> {
  const raw = (await browser.runtime.sendMessage(msg)) as Reply<Response<T>> | undefined;
  if (!raw || typeof raw !== 'object') throw new RpcError('NO_REPLY', 'The extension did not answer.');
  if (raw.ok) return raw.value;
  throw new RpcError(String(raw.error?.code ?? 'ERROR'), String(raw.error?.message ?? 'Request failed.'));
}

/** Pushes of one type from the worker; returns an unsubscribe. */
export function onPush<T extends PushType>(type: T, listener: (push: Push<T>) => void): () => void {
  const handler = (m: unknown) => {
    if (isPush(m, type)) listener(m);
  };
  browser.runtime.onMessage.addListener(handler);
  return () => browser.runtime.onMessage.removeListener(handler);
}
