import { Clock, InputMessage } from '@egret/protocol';
import type { Fence } from '../domain/change.ts';
import { parseInput } from '../domain/parse-input.ts';
import { commitBatch, type BatchDeadLetter } from '../redis/commit-batch.ts';
import { deadLetterCommands } from '../redis/deadletter.ts';
import {
  batchNeeds,
  decideBatch,
  learn,
  nothingKnown,
  unitsNeedingSlots,
  type BatchEntry,
  type EntryDecision,
} from './decide-batch.ts';
import type { IngestContext } from './handle-entry.ts';
import { Fenced, type LiveEntry } from './stream-consumer.ts';

/** Whole-batch attempts when a command keeps changing an entity under us; then the batch goes one by one. */
const MAX_ATTEMPTS = 5;
/** Loads of entities linked within the batch, per attempt (each load adds what the decision asked for). */
const MAX_LOADS = 8;

/**
 * Handles a batch of control-plane input entries in one commit: parse each, load every entity they touch once,
 * decide them in stream order in memory (decide-batch.ts), and commit the merged change, the refused entries' dead
 * letters and every acknowledgement in one fenced script call (commit-batch.lua). A version conflict (a command
 * changed an entity meanwhile) reloads and decides the batch again.
 *
 * Answers 'done' when every entry is settled, 'gave_up' when the batch kept conflicting (the caller then applies
 * it entry by entry, each with its own retries: nothing of it was written). Throws {@link Fenced} when the lease
 * is no longer ours (nothing written) and whatever Redis throws (the entries stay pending).
 */
export async function handleBatch(
  ctx: IngestContext,
  stream: string,
  entries: readonly LiveEntry[],
  fence: Fence | undefined,
  logMaxLen: number,
): Promise<'done' | 'gave_up'> {
  const parsed: BatchEntry[] = entries.map((e) => {
    const data = e.message.data;
    return { id: e.id, parsed: parseInput(InputMessage, data), raw: data ?? JSON.stringify(e.message) };
  });
  /** Frame slots reserved for new units: kept across attempts, so a retry takes no new numbers. */
  const slots = new Map<string, number>();

  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    // Entries a previous applier committed before it died (claimed again): only acknowledged, never decided again.
    const [scores, storedClock] = await Promise.all([
      ctx.redis.zmScore(
        ctx.keys.applied,
        parsed.map((e) => e.id),
      ),
      ctx.redis.get(ctx.keys.clock),
    ]);
    const before = new Set(parsed.filter((_, i) => scores[i] !== null).map((e) => e.id));
    const todo = parsed.filter((e) => !before.has(e.id));
    // The clock as Redis holds it (the mirror may trail a clock.set just committed); the mirror's when none is stored.
    const clock = parseClock(storedClock) ?? ctx.clock();

    const known = nothingKnown();
    const needs = batchNeeds(todo);
    learn(known, needs.ids, await ctx.store.load(needs.ids, needs.follow));
    await reserveSlots(ctx, unitsNeedingSlots(todo, known), slots);

    const realNow = ctx.realNow();
    let decision = decideBatch(todo, known, { apply: ctx.apply, clock, realNow, slots });
    for (let loads = 0; !decision.ok; loads++) {
      if (loads >= MAX_LOADS) throw new Error('a batch kept naming entities it had not loaded');
      learn(known, decision.missing, await ctx.store.load(decision.missing, true));
      await reserveSlots(ctx, decision.slots, slots);
      decision = decideBatch(todo, known, { apply: ctx.apply, clock, realNow, slots });
    }

    const rejected = decision.entries.filter(
      (d): d is Extract<EntryDecision, { result: 'rejected' }> => d.result === 'rejected',
    );
    const deadLetters: BatchDeadLetter[] = rejected.map((d) => ({
      reason: d.refusal.reason,
      fields: deadLetterCommands(
        ctx.keys,
        { source: stream, entryId: d.id, reason: d.refusal.reason, detail: d.refusal.detail, data: d.raw },
        ctx.deadletterMaxLen,
        realNow,
      ).xadd[1],
    }));
    const { change } = decision;
    const outcome = await commitBatch(ctx.redis, {
      keys: ctx.keys,
      stream,
      logMaxLen,
      deadletterMaxLen: ctx.deadletterMaxLen,
      now: realNow,
      ...(fence ? { fence } : {}),
      writes: change.writes,
      events: change.events,
      ...(change.clock ? { clock: change.clock } : {}),
      applied: change.applied,
      acknowledged: [...before, ...decision.entries.filter((d) => d.result !== 'applied').map((d) => d.id)],
      deadLetters,
    });
    if (outcome.status === 'fenced') throw new Fenced();
    if (outcome.status === 'conflict') {
      ctx.metrics.commitConflicts.inc();
      continue;
    }
    const count = (result: string, n: number) => {
      if (n > 0) ctx.metrics.ingestEntries.inc({ stream, result }, n);
    };
    count('already_applied', before.size);
    count('applied', change.applied.length);
    count('noop', decision.entries.filter((d) => d.result === 'noop').length);
    count('rejected', rejected.length);
    for (const d of rejected) {
      ctx.metrics.deadletters.inc({ reason: d.refusal.reason });
      ctx.logger.debug(
        { stream, entryId: d.id, reason: d.refusal.reason, detail: d.refusal.detail },
        'input dead-lettered',
      );
    }
    return 'done';
  }
  ctx.logger.warn(
    { stream, entries: entries.length },
    'input batch kept conflicting with concurrent changes; applying it entry by entry',
  );
  return 'gave_up';
}

/**
 * Reserves frame slots for units registering for the first time (see handle-entry.ts `reserveSlot`): the slot
 * the unit already has, else the next numbers of the counter, taken in one INCRBY.
 */
async function reserveSlots(ctx: IngestContext, unitIds: readonly string[], slots: Map<string, number>) {
  const wanted = unitIds.filter((id) => !slots.has(id));
  if (wanted.length === 0) return;
  const existing = await ctx.redis.hmGet(ctx.keys.slots, wanted);
  const fresh: string[] = [];
  wanted.forEach((id, i) => {
    const s = existing[i];
    if (s !== null && s !== undefined) slots.set(id, Number(s));
    else fresh.push(id);
  });
  if (fresh.length === 0) return;
  const top = await ctx.redis.incrBy(ctx.keys.slotSeq, fresh.length);
  fresh.forEach((id, i) => slots.set(id, top - fresh.length + i));
}

function parseClock(text: string | null): Clock | undefined {
  if (!text) return undefined;
  try {
    const c = Clock.safeParse(JSON.parse(text));
    return c.success ? c.data : undefined;
  } catch {
    return undefined;
  }
}
