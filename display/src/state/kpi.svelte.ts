import type { KpiReport } from '@egret/protocol';

/** The hub's latest KPI table (`kpi:report`): replaced whole on each report, never mutated. */
export class KpiStore {
  report = $state.raw<KpiReport | null>(null);
  /** Reports received (not reactive: for diagnostics). */
  received = 0;

  receive(report: KpiReport): void {
    this.report = report;
    this.received++;
  }
}
