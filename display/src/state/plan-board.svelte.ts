import { manualName, planProgress, type PlanDef, type PlanProgress } from '@egret/protocol';
import type { Locale } from '../i18n/translate.ts';
import { planAnnouncements, shownPlan, type PlanAnnouncement, type ShownPlan } from './plan-view.ts';
import type { WorldSource } from './world-parts.svelte.ts';

/**
 * The plan a screen shows and how far it has got: derived from a world source (the live store or a replay) and the
 * manual's plans, at a world time stepped by the minute — a point turns overdue within the minute, and 5,000
 * inspections are not re-counted every second. The wall, the console and replay each hold one.
 */
export class PlanBoard {
  constructor(
    private readonly world: () => WorldSource,
    private readonly defs: () => readonly PlanDef[],
    private readonly now: () => number,
  ) {}

  private minute = $derived.by(() => Math.floor(this.now() / 60_000) * 60_000);

  /** The plan shown: the one in force for the wall's mode, else the latest raised; null while none is in force. */
  shown = $derived.by((): ShownPlan | null => {
    const w = this.world();
    return shownPlan(w.plans.values(), this.defs(), w.mode);
  });

  progress = $derived.by((): PlanProgress | null => {
    const shown = this.shown;
    if (!shown?.def) return null;
    const w = this.world();
    return planProgress({
      plan: shown.def,
      activation: shown.activation,
      inspections: w.inspections.values(),
      prepositions: w.prepositions.values(),
      units: w.units.values(),
      supervisions: w.supervisions,
      now: this.minute,
    });
  });

  /** Plans their triggers raised in the last half hour of world time: the wall announces them (at once, not by the minute). */
  announcements = $derived.by((): PlanAnnouncement[] => planAnnouncements(this.world().plans.values(), this.now()));

  /** A plan's name in the manual, in the screen's language (its id when the config does not know it). */
  nameOf(planId: string, locale: Locale): string {
    const def = this.defs().find((d) => d.id === planId);
    return def ? manualName(def, locale) : planId;
  }
}
