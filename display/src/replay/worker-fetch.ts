/**
 * A `fetch` for the replay API whose bodies are read in a worker (./fetch-worker.ts). At a typhoon's landfall the
 * open part is ~12 MB of JSON; fetched from the page, the browser reads it on the main thread as it arrives (~80 ms
 * of tasks in the trace: docs/performance.md). The worker reads it whole and hands the buffer over without a copy;
 * the page parses it as before (`Response.json()`). `?fetch=main` keeps the page's own fetch (the baseline).
 *
 * The finished part (`parsedInWorker`) is also parsed there: late in a long storm it is ~6 MB of JSON columns — long
 * arrays of small integers, which the structured clone hands over in about half the time the page took to decode
 * and parse the text. The open part is not: its rows are objects, which clone slower than they parse.
 * `?parse=main` parses it on the page again (the baseline).
 */
export type WorkerAsk = { id: number; url: string; parse?: true } | { id: number; abort: true };

interface WorkerHead {
  id: number;
  status: number;
  statusText: string;
  contentType: string | null;
}

/**
 * The answer's bytes, or — asked with `parse` and a 2xx JSON answer that parsed — its value. Before parsing, an ask
 * with `parse` is told `bodyIn`: its last byte has come.
 */
export type WorkerAnswer =
  | (WorkerHead & { body: ArrayBuffer })
  | (WorkerHead & { json: unknown })
  | { id: number; error: string }
  | { id: number; bodyIn: true };

/**
 * `RequestInit` and `onBodyIn`: told when the answer's last byte has come and the worker goes on to parse it (asks the
 * worker parses only; the page's own fetch never tells it). A seek's hold waits for an answer that far along.
 */
export interface WorkerFetchInit extends RequestInit {
  onBodyIn?: () => void;
}

/** The asks whose JSON the worker parses (the default `parseIn`): the replay's finished part. */
export function parsedInWorker(url: URL): boolean {
  return url.pathname.endsWith('/api/replay/state') && url.searchParams.get('part') === 'finished';
}

/** A Response whose body is read by the given functions, each once (as a body is read once). */
function readOnce(init: ResponseInit, read: Record<string, () => unknown>): Response {
  const res = new Response(null, init);
  let used = false;
  for (const [name, get] of Object.entries(read)) {
    Object.defineProperty(res, name, {
      value: () => {
        if (used) return Promise.reject(new TypeError('body already used'));
        used = true;
        try {
          return Promise.resolve(get());
        } catch (err) {
          return Promise.reject(err);
        }
      },
    });
  }
  return res;
}

/** A Response for a value parsed in the worker: `json()` gives it; no bytes. */
function parsedResponse(value: unknown, init: ResponseInit): Response {
  return readOnce(init, { json: () => value });
}

/**
 * A Response over the worker's bytes, read straight from the buffer it handed over. `new Response(buffer)` copies the
 * buffer into a body and `arrayBuffer()` or `json()` copies it out again: for a late seek's megabytes, 70–140 ms of
 * the page's main thread a seek (a profile of the 72-hour typhoon's late seeks: `Response` 31–76 ms, `arrayBuffer`
 * 41–71 ms) for nothing.
 */
function bytesResponse(body: ArrayBuffer, init: ResponseInit): Response {
  const text = () => new TextDecoder().decode(body);
  return readOnce(init, { arrayBuffer: () => body, text, json: () => JSON.parse(text()) as unknown });
}

/** What of a Worker this needs (a test gives a stand-in). */
export interface WorkerLike {
  postMessage(message: WorkerAsk): void;
  onmessage: ((e: MessageEvent<WorkerAnswer>) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
}

/** The statuses a Response may not have a body with (Fetch standard: null body status). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * `fetch(url, { signal })` over a worker: a Response of the worker's bytes, an AbortError when the signal aborts. A
 * worker that fails (its script did not load, it threw) hands what waits on it to the page's own `fallback`, which
 * fetches from then on: the replay never hangs or fails on it.
 */
export function workerFetch(
  worker: WorkerLike,
  base: string,
  fallback: typeof fetch = (...a) => fetch(...a),
  parseIn: (url: URL) => boolean = parsedInWorker,
): typeof fetch {
  let next = 0;
  let broken = false;
  interface Waiting {
    input: RequestInfo | URL;
    init: RequestInit | undefined;
    resolve: (r: Response) => void;
    reject: (e: unknown) => void;
  }
  const waiting = new Map<number, Waiting>();
  worker.onerror = () => {
    broken = true;
    // What waited on the worker is asked again by the page (GETs: asking twice is harmless), with its own signal:
    // a worker whose script failed to arrive after the first asks were made must not fail the replay's opening.
    for (const w of waiting.values()) fallback(w.input, w.init).then(w.resolve, w.reject);
    waiting.clear();
  };
  worker.onmessage = (e) => {
    const answer = e.data;
    const w = waiting.get(answer.id);
    if (!w) return;
    if ('bodyIn' in answer) {
      (w.init as WorkerFetchInit | undefined)?.onBodyIn?.();
      return;
    }
    waiting.delete(answer.id);
    if ('error' in answer) {
      w.reject(answer.error === 'AbortError' ? new DOMException('aborted', 'AbortError') : new TypeError(answer.error));
      return;
    }
    const headers = answer.contentType ? { 'content-type': answer.contentType } : undefined;
    const init = { status: answer.status, statusText: answer.statusText, headers };
    if ('json' in answer) {
      w.resolve(parsedResponse(answer.json, init));
      return;
    }
    // A status that may carry no body (204, 304…) makes `new Response(body)` throw: inside this handler that left
    // the ask waiting for ever. Such an answer gets no body; anything else that throws fails the ask.
    try {
      w.resolve(NULL_BODY.has(answer.status) ? new Response(null, init) : bytesResponse(answer.body, init));
    } catch (err) {
      w.reject(err);
    }
  };
  return ((input: RequestInfo | URL, init?: RequestInit) => {
    if (broken) return fallback(input, init);
    const parsed = new URL(String(input), base);
    const url = parsed.href;
    const parse = parseIn(parsed);
    const signal = init?.signal ?? undefined;
    if (signal?.aborted) return Promise.reject(new DOMException('aborted', 'AbortError'));
    const id = ++next;
    return new Promise<Response>((resolve, reject) => {
      waiting.set(id, { input, init, resolve, reject });
      signal?.addEventListener(
        'abort',
        () => {
          if (!waiting.delete(id)) return;
          worker.postMessage({ id, abort: true });
          reject(new DOMException('aborted', 'AbortError'));
        },
        { once: true },
      );
      worker.postMessage(parse ? { id, url, parse } : { id, url });
    });
  }) as typeof fetch;
}

/** `?parse=main` (any letter case): the finished part is parsed on the page, as before (the worker reads it). */
export function parseOnMain(search: string): boolean {
  return new URLSearchParams(search).get('parse')?.trim().toLowerCase() === 'main';
}

/** `?fetch=main` (any letter case): the replay fetches on the page's main thread, as before. */
export function fetchOnMain(search: string): boolean {
  return new URLSearchParams(search).get('fetch')?.trim().toLowerCase() === 'main';
}
