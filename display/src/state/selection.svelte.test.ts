import { describe, expect, it } from 'vitest';
import type { Result, SquadCandidate } from '@egret/protocol';
import type { CommandTransport } from '../net/commands.ts';
import { Selection, SHOWN_CANDIDATES } from './selection.svelte.ts';

function squad(id: string): SquadCandidate {
  return {
    squadId: id,
    district: '350203',
    status: 'available',
    etaMs: 60_000,
    distanceM: 500,
    score: 60_000,
    reasons: [],
    units: [],
  };
}

/** Candidates answered on demand, per case asked. */
function hub() {
  const waiting: { caseId: string; resolve: (r: Result<SquadCandidate[]>) => void }[] = [];
  const transport: CommandTransport = {
    send: () => Promise.reject(new Error('not used')),
    candidates: (caseId) => new Promise((resolve) => waiting.push({ caseId, resolve })),
  };
  return { transport, waiting };
}

describe(Selection.name, () => {
  it('shows the best few squads of the selected case', async () => {
    const h = hub();
    const s = new Selection();
    s.select('C1');
    const loading = s.loadCandidates(h.transport);
    expect(s.candidates).toEqual({ state: 'loading', caseId: 'C1' });
    h.waiting[0]!.resolve({ ok: true, data: Array.from({ length: 8 }, (_, i) => squad(`S${i}`)) });
    await loading;
    expect(s.candidates.state).toBe('ready');
    expect(s.candidates.state === 'ready' && s.candidates.squads.length).toBe(SHOWN_CANDIDATES);
  });

  it('drops an answer for a case that is no longer selected', async () => {
    const h = hub();
    const s = new Selection();
    s.select('C1');
    const stale = s.loadCandidates(h.transport);
    s.select('C2');
    h.waiting[0]!.resolve({ ok: true, data: [squad('S1')] });
    await stale;
    expect(s.candidates).toEqual({ state: 'idle' });
  });

  it('shows why the hub could not rank', async () => {
    const h = hub();
    const s = new Selection();
    s.select('C1');
    const p = s.loadCandidates(h.transport);
    h.waiting[0]!.resolve({ ok: false, error: 'unknown_case', message: 'no case C1' });
    await p;
    expect(s.candidates).toEqual({
      state: 'failed',
      caseId: 'C1',
      failure: { error: 'unknown_case', message: 'no case C1' },
    });
  });
});
