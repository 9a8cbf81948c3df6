import { complaintHeat, type Case, type Mode } from '@egret/protocol';

/** What the wall's heat counts: today's cases, or (环保督察) the day's dust and noise complaints. */
export type HeatSubject = 'cases' | 'complaints';

/**
 * What a mode's heat is of. The environmental inspection (环保督察, issue #17) asks for "a heat of dust/noise
 * complaints": there the heat is of 施工扰民, 工地扬尘 and 噪声扰民 (protocol `COMPLAINT_HEAT_CATEGORIES`) and nothing
 * else, so the areas that glow are where residents complain of building sites, not where the city's street vending
 * is; every other mode's heat is of all today's cases.
 */
export function heatSubject(mode: Mode): HeatSubject {
  return mode === 'environmental' ? 'complaints' : 'cases';
}

/**
 * The cases the heat layer aggregates in `mode`, from today's cases (reported since `since`, local midnight). The
 * same array when nothing is left out, so the layer re-aggregates only when its cases change (with `keepIfSame`).
 */
export function heatCases(mode: Mode, today: readonly Case[], since: number): readonly Case[] {
  return heatSubject(mode) === 'complaints' ? complaintHeat(today, since) : today;
}
