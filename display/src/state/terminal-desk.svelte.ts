import type { FieldAnswer, FieldPairingAnswer, TerminalPresence } from '@egret/protocol';

/** A pairing code shown on the console, for one unit. */
export interface ShownPairing extends FieldPairingAnswer {
  unitId: string;
}

/** What the console shows of a unit's field terminal. */
export type TerminalView =
  | { kind: 'none' }
  | { kind: 'online'; pending: number; onDuty?: boolean }
  | { kind: 'offline'; lastSeenAt: number; pending: number };

/** A unit's terminal as the log last said (`Unit.terminal`). Pure. */
export function terminalView(t: TerminalPresence | undefined): TerminalView {
  if (!t) return { kind: 'none' };
  if (t.state === 'online')
    return { kind: 'online', pending: t.pending, ...(t.onDuty !== undefined ? { onDuty: t.onDuty } : {}) };
  return { kind: 'offline', lastSeenAt: t.lastSeenAt, pending: t.pending };
}

/** Whole minutes between `at` and `now` (never negative). */
export function minutesSince(at: number, now: number): number {
  return Math.max(0, Math.floor((now - at) / 60_000));
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * The console's side of pairing field terminals (issue #16): asks the hub for a one-time pairing code for a unit
 * (`POST /api/field/pairings`, shown as a QR code and a link) and unpairs a unit's terminal
 * (`DELETE /api/field/devices/<unitId>`). One request at a time; the refusal's message is kept to show.
 */
export class TerminalDesk {
  pairing = $state<ShownPairing | null>(null);
  busy = $state(false);
  error = $state<string | null>(null);

  constructor(private readonly fetcher: Fetch = (i, init) => fetch(i, init)) {}

  private async call(method: string, path: string, body?: unknown): Promise<FieldAnswer<unknown> | undefined> {
    if (this.busy) return undefined;
    this.busy = true;
    this.error = null;
    try {
      const res = await this.fetcher(path, {
        method,
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const answer = (await res.json()) as FieldAnswer<unknown> | { ok: false; error: string; message: string };
      if (!answer.ok) {
        this.error = 'refusal' in answer ? answer.refusal.message : answer.message;
        return undefined;
      }
      return answer;
    } catch (err) {
      this.error = (err as Error).message;
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  /** A new pairing code for `unitId` (the unit's waiting one is replaced). */
  async pair(unitId: string): Promise<void> {
    const a = await this.call('POST', '/api/field/pairings', { unitId });
    if (a?.ok) this.pairing = { ...(a.result as FieldPairingAnswer), unitId };
  }

  /** Revokes the unit's terminal (its phone is cut at once) and drops a code still waiting. */
  async unpair(unitId: string): Promise<void> {
    const a = await this.call('DELETE', `/api/field/devices/${encodeURIComponent(unitId)}`);
    if (a?.ok && this.pairing?.unitId === unitId) this.pairing = null;
  }

  /** The pairing shown for `unitId`, while it has not expired. */
  shownFor(unitId: string, now: number): ShownPairing | null {
    const p = this.pairing;
    return p && p.unitId === unitId && p.expiresAt > now ? p : null;
  }
}
