import { describe, expect, it } from 'vitest';
import { fetchOnMain, workerFetch, type WorkerAnswer, type WorkerAsk, type WorkerLike } from './worker-fetch.ts';

/** A worker stand-in: records the asks; the test answers them. */
class Stand implements WorkerLike {
  asks: WorkerAsk[] = [];
  onmessage: ((e: MessageEvent<WorkerAnswer>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  postMessage(message: WorkerAsk): void {
    this.asks.push(message);
  }
  answer(a: WorkerAnswer): void {
    this.onmessage?.({ data: a } as MessageEvent<WorkerAnswer>);
  }
}

const bytes = (text: string) => new TextEncoder().encode(text).buffer as ArrayBuffer;

describe(workerFetch.name, () => {
  it('asks the worker for the absolute URL and answers with its bytes as a Response', async () => {
    const w = new Stand();
    const f = workerFetch(w, 'http://hub.test/replay?t=1');
    const asked = f('/api/replay/kpi?t=5');
    expect(w.asks).toEqual([{ id: 1, url: 'http://hub.test/api/replay/kpi?t=5' }]);
    w.answer({ id: 1, status: 200, statusText: 'OK', contentType: 'application/json', body: bytes('{"a":1}') });
    const res = await asked;
    expect(res.ok).toBe(true);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ a: 1 });
  });

  it('keeps answers apart by id, whatever order they come in, and drops one nobody waits for', async () => {
    const w = new Stand();
    const f = workerFetch(w, 'http://hub.test/');
    const a = f('/a');
    const b = f('/b');
    w.answer({ id: 99, status: 200, statusText: 'OK', contentType: null, body: bytes('stray') });
    w.answer({ id: 2, status: 200, statusText: 'OK', contentType: null, body: bytes('B') });
    w.answer({ id: 1, status: 200, statusText: 'OK', contentType: null, body: bytes('A') });
    expect(await (await a).text()).toBe('A');
    expect(await (await b).text()).toBe('B');
    // The same answer again (a replay of it) changes nothing.
    w.answer({ id: 1, status: 200, statusText: 'OK', contentType: null, body: bytes('again') });
  });

  it('passes an error status through as a Response (the API reads its message), and a failure as a TypeError', async () => {
    const w = new Stand();
    const f = workerFetch(w, 'http://hub.test/');
    const bad = f('/x');
    w.answer({ id: 1, status: 400, statusText: 'Bad Request', contentType: null, body: bytes('{"message":"t?"}') });
    const res = await bad;
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ message: 't?' });
    const down = f('/y');
    w.answer({ id: 2, error: 'TypeError: Failed to fetch' });
    await expect(down).rejects.toBeInstanceOf(TypeError);
  });

  it('aborts: rejects with an AbortError, tells the worker, and ignores the answer that still comes', async () => {
    const w = new Stand();
    const f = workerFetch(w, 'http://hub.test/');
    const c = new AbortController();
    const asked = f('/slow', { signal: c.signal });
    c.abort();
    await expect(asked).rejects.toMatchObject({ name: 'AbortError' });
    expect(w.asks).toEqual([
      { id: 1, url: 'http://hub.test/slow' },
      { id: 1, abort: true },
    ]);
    w.answer({ id: 1, status: 200, statusText: 'OK', contentType: null, body: bytes('late') });
    // Already aborted: not asked at all.
    const gone = new AbortController();
    gone.abort();
    await expect(f('/never', { signal: gone.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(w.asks).toHaveLength(2);
  });
});

describe('a worker that fails', () => {
  it('fails what waits on it and leaves later asks to the page’s own fetch', async () => {
    const w = new Stand();
    const main: string[] = [];
    const f = workerFetch(w, 'http://hub.test/', (input) => {
      main.push(String(input));
      return Promise.resolve(new Response('from the page'));
    });
    const waiting = f('/a');
    w.onerror?.(new Event('error') as ErrorEvent);
    await expect(waiting).rejects.toBeInstanceOf(TypeError);
    expect(await (await f('/b')).text()).toBe('from the page');
    expect(main).toEqual(['/b']);
    expect(w.asks).toHaveLength(1);
  });
});

describe(fetchOnMain.name, () => {
  it('reads ?fetch=main in any letter case of its value, and nothing else', () => {
    expect(fetchOnMain('?fetch=main')).toBe(true);
    expect(fetchOnMain('?seek=hold&fetch=MAIN')).toBe(true);
    for (const s of ['', '?fetch=worker', '?fetch=', '?fetch=mains', '?FETCH=main']) expect(fetchOnMain(s)).toBe(false);
  });
});
