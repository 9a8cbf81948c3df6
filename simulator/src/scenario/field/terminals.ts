import type { LogEvent } from '@egret/protocol';

/**
 * The units a live field terminal holds (issue #16), as the hub logs it (`terminal.changed`): a real phone plays
 * them — their fixes, duty and tasks come from the street — so the simulated city leaves them alone: it neither
 * moves nor reports them, nor answers their tasks. A unit whose terminal goes offline is played again from where
 * the log last put it.
 */
export class HeldUnits {
  private readonly held = new Set<string>();

  observe(events: readonly LogEvent[]): void {
    for (const e of events) {
      if (e.type !== 'terminal.changed') continue;
      if (e.terminal.state === 'online') this.held.add(e.unitId);
      else this.held.delete(e.unitId);
    }
  }

  has(unitId: string): boolean {
    return this.held.has(unitId);
  }

  get size(): number {
    return this.held.size;
  }
}
