/// <reference lib="webworker" />
/**
 * The replay's asks, fetched off the page's main thread (./worker-fetch.ts): a late seek's answers are megabytes, and
 * the browser reads a body on the thread that fetched it, chunk by chunk as it arrives. Here the whole body is read
 * into one buffer and handed to the page without a copy.
 */
import type { WorkerAsk, WorkerAnswer } from './worker-fetch.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const asks = new Map<number, AbortController>();

scope.onmessage = async (e: MessageEvent<WorkerAsk>) => {
  const ask = e.data;
  if ('abort' in ask) {
    asks.get(ask.id)?.abort();
    return;
  }
  const controller = new AbortController();
  asks.set(ask.id, controller);
  try {
    const res = await fetch(ask.url, { signal: controller.signal });
    const body = await res.arrayBuffer();
    const answer: WorkerAnswer = {
      id: ask.id,
      status: res.status,
      statusText: res.statusText,
      contentType: res.headers.get('content-type'),
      body,
    };
    scope.postMessage(answer, [body]);
  } catch (err) {
    const answer: WorkerAnswer = {
      id: ask.id,
      // The message alone, as the page's own fetch would reject ('Failed to fetch', not 'TypeError: Failed to fetch'):
      // the screen shows it.
      error: (err as Error).name === 'AbortError' ? 'AbortError' : ((err as Error).message ?? String(err)),
    };
    scope.postMessage(answer);
  } finally {
    asks.delete(ask.id);
  }
};
