import { describe, expect, it } from 'vitest';
import {
  fetchOnMain,
  parseOnMain,
  workerFetch,
  type WorkerAnswer,
  type WorkerAsk,
  type WorkerFetchInit,
  type WorkerLike,
} from './worker-fetch.ts';

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

  it('reads the bytes the worker handed over without copying them, once, and fails on JSON that does not parse', async () => {
    const w = new Stand();
    const f = workerFetch(w, 'http://hub.test/replay');
    const answer = (id: number, body: ArrayBuffer) =>
      w.answer({ id, status: 200, statusText: 'OK', contentType: 'application/octet-stream', body });
    const trails = bytes('binary');
    const first = f('/api/replay/trails?from=1&to=2&step=20000');
    answer(1, trails);
    const res = await first;
    expect(await res.arrayBuffer()).toBe(trails);
    await expect(res.arrayBuffer()).rejects.toBeInstanceOf(TypeError);
    await expect(res.json()).rejects.toBeInstanceOf(TypeError);
    const second = f('/api/replay/kpi?t=5');
    answer(2, bytes('状态'));
    expect(await (await second).text()).toBe('状态');
    const third = f('/api/replay/kpi?t=6');
    answer(3, bytes('{"a":'));
    await expect((await third).json()).rejects.toBeInstanceOf(SyntaxError);
  });

  it('asks the worker to parse the finished part, and no other answer; the page gets its value from json()', async () => {
    const w = new Stand();
    const f = workerFetch(w, 'http://hub.test/replay');
    const fin = f('/api/replay/state?t=5&part=finished');
    void f('/api/replay/state?t=5&part=open');
    void f('/api/replay/trails?from=1&to=2&step=20000');
    expect(w.asks).toEqual([
      { id: 1, url: 'http://hub.test/api/replay/state?t=5&part=finished', parse: true },
      { id: 2, url: 'http://hub.test/api/replay/state?t=5&part=open' },
      { id: 3, url: 'http://hub.test/api/replay/trails?from=1&to=2&step=20000' },
    ]);
    const value = { t: 5, world: { seq: 9, at: 4 }, columns: { v: 1 } };
    w.answer({ id: 1, status: 200, statusText: 'OK', contentType: 'application/json', json: value });
    const res = await fin;
    expect(res.ok).toBe(true);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toBe(value);
    // Read once, as a body is.
    await expect(res.json()).rejects.toBeInstanceOf(TypeError);
  });

  it('tells `onBodyIn` when the worker has the bytes and parses them; the ask waits for the value', async () => {
    const w = new Stand();
    const f = workerFetch(w, 'http://hub.test/replay');
    let told = 0;
    let settled = false;
    const init: WorkerFetchInit = { onBodyIn: () => told++ };
    const fin = f('/api/replay/state?t=5&part=finished', init).then((r) => ((settled = true), r));
    w.answer({ id: 1, bodyIn: true });
    await Promise.resolve();
    expect(told).toBe(1);
    expect(settled).toBe(false);
    w.answer({ id: 1, status: 200, statusText: 'OK', contentType: 'application/json', json: { t: 5 } });
    expect(await (await fin).json()).toEqual({ t: 5 });
    expect(told).toBe(1);
    // An ask without the hook is told nothing, and is answered all the same.
    const other = f('/api/replay/state?t=6&part=finished');
    w.answer({ id: 2, bodyIn: true });
    w.answer({ id: 2, status: 200, statusText: 'OK', contentType: 'application/json', json: { t: 6 } });
    expect(await (await other).json()).toEqual({ t: 6 });
  });

  it('parses nothing in the worker when told not to (`?parse=main`, the baseline)', () => {
    const w = new Stand();
    const f = workerFetch(w, 'http://hub.test/', undefined, () => false);
    void f('/api/replay/state?t=5&part=finished');
    expect(w.asks).toEqual([{ id: 1, url: 'http://hub.test/api/replay/state?t=5&part=finished' }]);
    expect(parseOnMain('?parse=Main')).toBe(true);
    expect(parseOnMain('?parse=worker')).toBe(false);
    expect(parseOnMain('')).toBe(false);
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
  it('hands what waits on it to the page’s own fetch (with its signal), and every later ask', async () => {
    const w = new Stand();
    const main: { url: string; signal: AbortSignal | null | undefined }[] = [];
    const f = workerFetch(w, 'http://hub.test/', (input, init) => {
      main.push({ url: String(input), signal: init?.signal });
      if (init?.signal?.aborted) return Promise.reject(new DOMException('aborted', 'AbortError'));
      return Promise.resolve(new Response(`from the page: ${String(input)}`));
    });
    const c = new AbortController();
    const waiting = f('/a', { signal: c.signal });
    const answered = f('/done');
    w.answer({ id: 2, status: 200, statusText: 'OK', contentType: null, body: bytes('from the worker') });
    // The worker's script arrives as a 404 after the first asks were made (or it dies): they are not failed.
    w.onerror?.(new Event('error') as ErrorEvent);
    expect(await (await waiting).text()).toBe('from the page: /a');
    expect(await (await answered).text()).toBe('from the worker');
    expect(main).toEqual([{ url: '/a', signal: c.signal }]);
    // An abort after the hand-over is the page's fetch's: the worker is not told.
    c.abort();
    expect(await (await f('/b')).text()).toBe('from the page: /b');
    expect(main.map((m) => m.url)).toEqual(['/a', '/b']);
    expect(w.asks).toHaveLength(2);
  });
});

describe(fetchOnMain.name, () => {
  it('reads ?fetch=main in any letter case of its value, and nothing else', () => {
    expect(fetchOnMain('?fetch=main')).toBe(true);
    expect(fetchOnMain('?seek=hold&fetch=MAIN')).toBe(true);
    for (const s of ['', '?fetch=worker', '?fetch=', '?fetch=mains', '?FETCH=main']) expect(fetchOnMain(s)).toBe(false);
  });
});
