import type { WorkerFetchInit } from './worker-fetch.ts';
import {
  decodeFrame,
  decodeReplayFinished,
  decodeTrails,
  type KpiReport,
  type PositionFrame,
  type ReplayCase,
  type ReplayEventPage,
  type ReplayEvents,
  type ReplayHistogram,
  type ReplayFinished,
  type ReplayFinishedColumns,
  type ReplayRange,
  type ReplayState,
  type ReplaySummary,
  type Trails,
} from '@egret/protocol';

/** The hub refused or failed a replay request; `status` 404 means "no history there". */
export class ReplayApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * How a seek's state comes: `split` (the default: what is open first, drawn at once, the finished cases and tasks
 * after — `/state?part=`) or `json` (the whole state in one answer, as before; `?snapshot=json`, the bench's
 * baseline).
 */
export type SnapshotFormat = 'split' | 'json';

/** The hub's replay API (`/api/replay/*`, docs/replay.md): the only I/O of replay mode. */
export class ReplayApi {
  constructor(
    private readonly fetchFn: typeof fetch = (...a) => fetch(...a),
    private readonly base = '',
    readonly snapshot: SnapshotFormat = 'split',
  ) {}

  /**
   * `signal`: a seek's asks are dropped when another seek overtakes it (the browser's connections and the hub's work).
   * `onBodyIn`: told when the answer's bytes are in and are being parsed (only through the fetch worker).
   */
  private async get(
    path: string,
    params: Record<string, string | number>,
    signal?: AbortSignal,
    onBodyIn?: () => void,
  ): Promise<Response> {
    const q = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
    const init: WorkerFetchInit | undefined = signal || onBodyIn ? { signal, onBodyIn } : undefined;
    const res = await this.fetchFn(`${this.base}/api/replay/${path}?${q}`, init);
    if (!res.ok) {
      let message = `${res.status} ${res.statusText}`;
      try {
        message = ((await res.json()) as { message?: string }).message ?? message;
      } catch {
        /* not JSON */
      }
      throw new ReplayApiError(res.status, message);
    }
    return res;
  }

  async range(): Promise<ReplayRange> {
    return (await this.get('range', {})).json() as Promise<ReplayRange>;
  }

  /** The state at t: whole, or only what is open in it (`part: 'open'`). */
  async state(t: number, part: 'all' | 'open' = 'all', signal?: AbortSignal): Promise<ReplayState> {
    const q: Record<string, string | number> = part === 'all' ? { t: Math.round(t) } : { t: Math.round(t), part };
    return (await this.get('state', q, signal)).json() as Promise<ReplayState>;
  }

  /**
   * The finished cases and tasks of the state at t: with `state(t, 'open')`, the whole state. Asked at once; read
   * only once `readWhen` resolves — after the open part has been drawn — and then decoded here. Sent as columns
   * (protocol finished-columns.ts); a malformed answer throws `FinishedColumnsError`. Through the fetch worker the
   * JSON is parsed there (worker-fetch.ts `parsedInWorker`): the page then pays the structured clone of the parsed
   * value when the worker's message arrives, which may be before `readWhen`; `?parse=main` parses it here instead.
   * `onBodyIn`: told when its bytes are in and the worker parses them.
   */
  async finished(
    t: number,
    readWhen: Promise<unknown> = Promise.resolve(),
    signal?: AbortSignal,
    onBodyIn?: () => void,
  ): Promise<ReplayFinished> {
    const res = await this.get('state', { t: Math.round(t), part: 'finished' }, signal, onBodyIn);
    await readWhen;
    return decodeReplayFinished((await res.json()) as ReplayFinishedColumns);
  }

  async kpi(t: number): Promise<KpiReport> {
    return (await this.get('kpi', { t: Math.round(t) })).json() as Promise<KpiReport>;
  }

  async caseAt(id: string, t: number): Promise<ReplayCase> {
    return (await this.get('case', { id, t: Math.round(t) })).json() as Promise<ReplayCase>;
  }

  async events(from: number, to: number, afterSeq: number): Promise<ReplayEvents> {
    return (
      await this.get('events', { from: Math.round(from), to: Math.round(to), afterSeq })
    ).json() as Promise<ReplayEvents>;
  }

  /** Page n of the log (`EVENT_PAGE_SIZE` events): a final page is the same bytes for every screen, kept compressed by the hub. */
  async eventPage(n: number): Promise<ReplayEventPage> {
    return (await this.get('events', { page: n })).json() as Promise<ReplayEventPage>;
  }

  /** Every unit's position at t, or undefined when no position history lies near t. */
  async positions(t: number, signal?: AbortSignal): Promise<PositionFrame | undefined> {
    try {
      return decodeFrame(await (await this.get('positions', { t: Math.round(t) }, signal)).arrayBuffer());
    } catch (err) {
      if (err instanceof ReplayApiError && err.status === 404) return undefined;
      throw err;
    }
  }

  async trails(from: number, to: number, step: number, signal?: AbortSignal): Promise<Trails> {
    return decodeTrails(
      await (await this.get('trails', { from: Math.round(from), to: Math.round(to), step }, signal)).arrayBuffer(),
    );
  }

  async histogram(from: number, to: number, bins: number): Promise<ReplayHistogram> {
    return (
      await this.get('histogram', { from: Math.round(from), to: Math.round(to), bins })
    ).json() as Promise<ReplayHistogram>;
  }

  async summary(from: number, to: number): Promise<ReplaySummary> {
    return (await this.get('summary', { from: Math.round(from), to: Math.round(to) })).json() as Promise<ReplaySummary>;
  }
}

/** The CSV download of a summary. */
export function summaryCsvUrl(from: number, to: number): string {
  return `/api/replay/summary?from=${Math.round(from)}&to=${Math.round(to)}&format=csv`;
}
