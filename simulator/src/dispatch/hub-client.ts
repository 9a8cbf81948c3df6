import type {
  DispatchCommand,
  DispatchReceipt,
  PlanActivateCommand,
  PlanReceipt,
  Result,
  SquadCandidate,
} from '@egret/protocol';

/** The hub did not answer (connection refused, timeout) or answered something that is not a Result. */
export class HubUnreachableError extends Error {
  override name = 'HubUnreachableError';
}

/** What the auto-dispatcher asks of the hub. */
export interface HubApi {
  /** `GET /api/cases/:id/candidates`: the squads best placed to take a case, best first. */
  candidates(caseId: string): Promise<Result<SquadCandidate[]>>;
  /** `POST /api/commands/case:dispatch`. */
  dispatch(command: DispatchCommand): Promise<Result<DispatchReceipt>>;
}

export interface HttpHubOptions {
  /** Who the commands are attributed to (`X-Egret-User`) when the hub runs without accounts. */
  user?: string;
  /** An API key (`dispatcher` role) for a hub with accounts: sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Per request. */
  timeoutMs?: number;
}

/**
 * The hub over HTTP: answers are the hub's `Result` whatever the status (a refusal is an answer, not an error);
 * a request that gets no answer, or one that is not a Result, throws `HubUnreachableError`.
 */
export class HttpHub implements HubApi {
  private readonly base: string;

  constructor(
    baseUrl: string,
    private readonly o: HttpHubOptions = {},
  ) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  candidates(caseId: string): Promise<Result<SquadCandidate[]>> {
    return this.call('GET', `/api/cases/${encodeURIComponent(caseId)}/candidates`);
  }

  dispatch(command: DispatchCommand): Promise<Result<DispatchReceipt>> {
    return this.call('POST', '/api/commands/case:dispatch', command);
  }

  /** `POST /api/commands/plan:activate`: the scenario's commander (issue #17, `PlanCommander`). */
  activatePlan(command: PlanActivateCommand): Promise<Result<PlanReceipt>> {
    return this.call('POST', '/api/commands/plan:activate', command);
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Result<T>> {
    const url = `${this.base}${path}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          'content-type': 'application/json',
          'x-egret-user': this.o.user ?? 'sim-auto-dispatcher',
          ...(this.o.token ? { authorization: `Bearer ${this.o.token}` } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 5_000),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new HubUnreachableError(`${method} ${url}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
    }
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      throw new HubUnreachableError(`${method} ${url}: answered ${res.status} without JSON`);
    }
    if (!isResult(json))
      throw new HubUnreachableError(`${method} ${url}: answered ${res.status} with something that is not a Result`);
    return json as Result<T>;
  }
}

function isResult(v: unknown): v is Result<unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as { ok?: unknown; error?: unknown };
  return r.ok === true || (r.ok === false && typeof r.error === 'string');
}
