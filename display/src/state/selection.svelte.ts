import type { SquadCandidate } from '@egret/protocol';
import type { CommandTransport } from '../net/commands.ts';
import type { CommandFailure } from './command-desk.svelte.ts';

/** Squads shown on the card: the best few, as the hub ranked them. */
export const SHOWN_CANDIDATES = 5;

/** The candidates of the selected case as the card shows them. */
export type CandidatesView =
  | { state: 'idle' }
  | { state: 'loading'; caseId: string }
  | { state: 'ready'; caseId: string; squads: SquadCandidate[] }
  | { state: 'failed'; caseId: string; failure: CommandFailure };

/**
 * The console's selection: which case the commander is looking at, and the squads the hub recommends for it.
 * Answers for a case no longer selected are dropped; while a refresh is under way the last list stays up.
 */
export class Selection {
  caseId = $state<string | null>(null);
  candidates = $state.raw<CandidatesView>({ state: 'idle' });
  /** Candidate requests sent (not reactive: for tests and diagnostics). */
  requests = 0;
  private asked = 0;

  select(caseId: string | null): void {
    if (caseId === this.caseId) return;
    this.caseId = caseId;
    this.asked++;
    this.candidates = { state: 'idle' };
  }

  /** Asks the hub for the selected case's candidates (`case:candidates`). */
  async loadCandidates(transport: CommandTransport): Promise<void> {
    const caseId = this.caseId;
    if (!caseId) return;
    const ticket = ++this.asked;
    this.requests++;
    const shown = this.candidates;
    if (!(shown.state === 'ready' && shown.caseId === caseId)) this.candidates = { state: 'loading', caseId };
    const res = await transport
      .candidates(caseId)
      .catch((err: unknown) => ({ ok: false as const, error: 'internal', message: String(err) }));
    if (ticket !== this.asked || caseId !== this.caseId) return;
    this.candidates = res.ok
      ? { state: 'ready', caseId, squads: res.data.slice(0, SHOWN_CANDIDATES) }
      : { state: 'failed', caseId, failure: { error: res.error, message: res.message } };
  }
}
