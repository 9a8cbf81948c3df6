/// <reference lib="webworker" />
/**
 * The replay's asks, fetched off the page's main thread (./worker-fetch.ts): a late seek's answers are megabytes, and
 * the browser reads a body on the thread that fetched it, chunk by chunk as it arrives. Here the whole body is read
 * into one buffer and handed to the page without a copy.
 */
import type { WorkerAsk, WorkerAnswer } from './worker-fetch.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const asks = new Map<number, AbortController>();

const NOT_PARSED = Symbol('not parsed');

function parseOrNot(body: ArrayBuffer): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(body)) as unknown;
  } catch {
    return NOT_PARSED;
  }
}

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
    const head = {
      id: ask.id,
      status: res.status,
      statusText: res.statusText,
      contentType: res.headers.get('content-type'),
    };
    // The page may wait for an answer whose bytes are here (worker-fetch.ts `onBodyIn`): parsing it is all that is left.
    if (ask.parse) scope.postMessage({ id: ask.id, bodyIn: true } satisfies WorkerAnswer);
    // Asked to parse (worker-fetch.ts `parsedInWorker`): a 2xx JSON answer goes over as its value. Anything else, or
    // JSON that does not parse, goes as bytes: the page reads it, and fails on it, as it would have.
    const json = ask.parse && res.ok && /json/i.test(head.contentType ?? '') ? parseOrNot(body) : NOT_PARSED;
    if (json !== NOT_PARSED) {
      scope.postMessage({ ...head, json } satisfies WorkerAnswer);
      return;
    }
    const answer: WorkerAnswer = { ...head, body };
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
