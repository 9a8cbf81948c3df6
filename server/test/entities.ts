import type { Actor, Case, Unit } from '@egret/protocol';

/** The world time the command and store tests decide at, and the commander who acts. */
export const AT = Date.UTC(2026, 6, 1, 2, 0, 0);
export const ALICE: Actor = { role: 'commander', id: 'alice' };

/** A filed 暴露垃圾 case in Siming, an hour before its deadline: dispatchable. */
export const filedCase = (id: string, over: Partial<Case> = {}): Case => ({
  id,
  category: { code: '06010', standard: 'GB/T 47678.5-2026', name: '暴露垃圾' },
  source: 'hotline',
  urgency: 'normal',
  position: [118.09, 24.46],
  address: '',
  district: '350203',
  status: 'filed',
  reportedAt: AT - 60_000,
  deadline: AT + 3_600_000,
  filedAt: AT - 30_000,
  supervised: false,
  history: [{ to: 'reported', at: AT - 60_000, actor: ALICE }],
  version: 2,
  ...over,
});

/** An available enforcement unit of its own squad (`SQ-<id>`) in Siming. */
export const availableUnit = (id: string, over: Partial<Unit> = {}): Unit => ({
  id,
  name: id,
  type: 'enforcement',
  squadId: `SQ-${id}`,
  district: '350203',
  status: 'available',
  slot: 0,
  version: 0,
  ...over,
});
