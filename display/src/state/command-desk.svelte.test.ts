import { describe, expect, it } from 'vitest';
import type { CommandName, CommandOf, Result } from '@egret/protocol';
import type { CommandTransport } from '../net/commands.ts';
import { CommandDesk, intents } from './command-desk.svelte.ts';

/** A hub stand-in that records what it is sent and answers when told to. */
function hub() {
  const sent: { name: CommandName; command: CommandOf<CommandName> }[] = [];
  const answers: ((r: Result<unknown>) => void)[] = [];
  const transport: CommandTransport = {
    send(name, command) {
      sent.push({ name, command });
      return new Promise((resolve) => answers.push(resolve as (r: Result<unknown>) => void));
    },
    candidates: () => Promise.resolve({ ok: true, data: [] }),
  };
  return { transport, sent, answer: (r: Result<unknown>) => answers.shift()!(r) };
}

let n = 0;
const keys = () => `k${++n}`;

describe(CommandDesk.name, () => {
  it('sends a double click once and shows the button busy until the answer', async () => {
    const h = hub();
    const desk = new CommandDesk(h.transport, keys);
    const intent = intents.dispatch('C1', 'U1');
    const first = desk.run(intent, 'case:dispatch', { caseId: 'C1', unitId: 'U1' });
    const second = desk.run(intent, 'case:dispatch', { caseId: 'C1', unitId: 'U1' });
    expect(h.sent).toHaveLength(1);
    expect(desk.busy(intent)).toBe(true);
    h.answer({ ok: true, data: { seq: 4, caseId: 'C1', taskId: 'T1', unitId: 'U1', squadId: 'S1' } });
    expect(await first).toEqual(await second);
    expect(desk.busy(intent)).toBe(false);
  });

  it('retries an unanswered dispatch with the same idempotency key', async () => {
    const h = hub();
    const desk = new CommandDesk(h.transport, keys);
    const intent = intents.dispatch('C2', 'U1');
    const attempt = desk.run(intent, 'case:dispatch', { caseId: 'C2', unitId: 'U1' });
    h.answer({ ok: false, error: 'timeout', message: 'no answer' });
    await attempt;
    expect(desk.failure(intent)?.error).toBe('timeout');
    const retry = desk.run(intent, 'case:dispatch', { caseId: 'C2', unitId: 'U1' });
    expect(desk.failure(intent)).toBeUndefined();
    h.answer({ ok: true, data: { seq: 5 } });
    await retry;
    expect(h.sent).toHaveLength(2);
    expect(h.sent[1]!.command.idempotencyKey).toBe(h.sent[0]!.command.idempotencyKey);
  });

  it('keeps the hub’s refusal on show, and sends a new key when the commander tries again', async () => {
    const h = hub();
    const desk = new CommandDesk(h.transport, keys);
    const intent = intents.dispatch('C3', 'U9');
    const attempt = desk.run(intent, 'case:dispatch', { caseId: 'C3', unitId: 'U9' });
    h.answer({ ok: false, error: 'unit_busy', message: 'unit U9 is already dispatched to case C7' });
    expect(await attempt).toMatchObject({ ok: false, error: 'unit_busy' });
    expect(desk.failure(intent)).toEqual({ error: 'unit_busy', message: 'unit U9 is already dispatched to case C7' });
    expect(desk.latest?.intent).toBe(intent);
    void desk.run(intent, 'case:dispatch', { caseId: 'C3', unitId: 'U9' });
    expect(h.sent[1]!.command.idempotencyKey).not.toBe(h.sent[0]!.command.idempotencyKey);
  });

  it('reads a transport that throws as a refusal, never a floating promise', async () => {
    const desk = new CommandDesk(
      { send: () => Promise.reject(new Error('boom')), candidates: () => Promise.reject(new Error('x')) },
      keys,
    );
    const res = await desk.run('supervise:C1', 'case:supervise', { caseId: 'C1' });
    expect(res).toMatchObject({ ok: false, error: 'internal' });
    expect(desk.busy('supervise:C1')).toBe(false);
  });
});

describe('the latest refusal', () => {
  it('remembers what was asked, so the console can say which unit was refused, and clears once a step goes through', async () => {
    const h = hub();
    const desk = new CommandDesk(h.transport, keys);
    const refused = desk.run(intents.dispatch('C4', 'U2'), 'case:dispatch', { caseId: 'C4', unitId: 'U2' });
    h.answer({ ok: false, error: 'unit_busy', message: 'busy' });
    await refused;
    expect(desk.latest).toMatchObject({
      name: 'case:dispatch',
      payload: { caseId: 'C4', unitId: 'U2' },
      failure: { error: 'unit_busy' },
    });
    const ok = desk.run(intents.dispatch('C4', 'U3'), 'case:dispatch', { caseId: 'C4', unitId: 'U3' });
    h.answer({ ok: true, data: { seq: 1 } });
    await ok;
    expect(desk.latest).toBeNull();
  });
});
