import type { Case } from './entities.ts';
import { haversineM, type LonLat } from './geo.ts';
import { inspectionOverdue, type Inspection, type InspectionPoint } from './plans.ts';
import type { Sensor, SensorKind } from './sensors.ts';
import { isCaseOpen } from './workflow.ts';

/*
 * 环保督察 compliance (issue #17): each construction site inspected with its compliance (noise, dust, hoarding,
 * covered soil trucks — the site's checks, its open cases and its dust and noise monitors) and the heat of dust and
 * noise complaints. Pure: the world's inspections, cases and sensors and `now` are passed in; the wall, the console
 * and the after-action summary read the same figures. The 文明创建 scores are in campaign-scores.ts.
 */

/** What a construction site can be out of compliance for, by the GB/T 47678.5 事项 of 08 施工管理类. */
export const COMPLIANCE_CATEGORIES = {
  /** 08001 施工扰民 */
  noise: ['08001'],
  /** 08004 工地扬尘 */
  dust: ['08004'],
  /** 08007 施工工地围挡问题 */
  hoarding: ['08007'],
  /** 08011 渣土运输车辆未密闭 */
  soil_truck: ['08011'],
} as const satisfies Record<string, readonly string[]>;
export type ComplianceIssue = keyof typeof COMPLIANCE_CATEGORIES | 'other';
export const COMPLIANCE_ISSUES: readonly ComplianceIssue[] = ['noise', 'dust', 'hoarding', 'soil_truck', 'other'];

/** The issue a case's category stands for at a site; undefined for a category that is not about sites. */
export function complianceIssue(code: string): Exclude<ComplianceIssue, 'other'> | undefined {
  for (const [issue, codes] of Object.entries(COMPLIANCE_CATEGORIES))
    if ((codes as readonly string[]).includes(code)) return issue as Exclude<ComplianceIssue, 'other'>;
  return undefined;
}

/** Sensors and site cases within this many metres of a site are its own (a site with its hoarding and gate). */
export const SITE_RADIUS_M = 300;
/** The sensors that watch a site. */
export const SITE_SENSOR_KINDS: readonly SensorKind[] = ['dust', 'noise'];

/** A site's state, worst first: open problems or sensors in alarm; its round overdue; never checked; compliant. */
export type SiteState = 'non_compliant' | 'overdue' | 'unchecked' | 'compliant';
export const SITE_STATES: readonly SiteState[] = ['non_compliant', 'overdue', 'unchecked', 'compliant'];

export interface SiteCompliance {
  pointId: string;
  name?: string;
  district: string;
  position: LonLat;
  state: SiteState;
  /** The latest checked inspection of the site, if any. */
  lastCheck?: { status: 'passed' | 'problem'; checkedAt: number };
  /** Whether its latest inspection is open past its deadline. */
  overdue: boolean;
  /** Open cases at the site by issue: problems its inspections found and site cases reported within the radius. */
  open: Record<ComplianceIssue, number>;
  openTotal: number;
  /** Dust and noise sensors within the radius reading at alarm level, by id. */
  sensorsInAlarm: string[];
}

export interface SiteComplianceInput {
  /** The construction sites (a point set); sites met only in inspections are added from them. */
  sites?: readonly InspectionPoint[];
  inspections: Iterable<Inspection>;
  cases: ReadonlyMap<string, Case>;
  sensors: Iterable<Sensor>;
  now: number;
  radiusM?: number;
}

const emptyOpen = (): Record<ComplianceIssue, number> => ({ noise: 0, dust: 0, hoarding: 0, soil_truck: 0, other: 0 });

/**
 * Each construction site's compliance at `now`, out of compliance first (most open problems and alarms first), then
 * overdue, unchecked and compliant, by id within each. A site case (of `COMPLIANCE_CATEGORIES`) belongs to the nearest
 * site within the radius; a problem an inspection found belongs to its site wherever it was reported.
 */
export function siteCompliance({
  sites = [],
  inspections,
  cases,
  sensors,
  now,
  radiusM = SITE_RADIUS_M,
}: SiteComplianceInput): SiteCompliance[] {
  const out = new Map<string, SiteCompliance>();
  const latest = new Map<string, Inspection>();
  const lastChecked = new Map<string, Inspection>();
  const counted = new Set<string>();
  const add = (p: Pick<InspectionPoint, 'id' | 'district' | 'position'> & { name?: string }) => {
    if (!out.has(p.id))
      out.set(p.id, {
        pointId: p.id,
        ...(p.name !== undefined ? { name: p.name } : {}),
        district: p.district,
        position: p.position,
        state: 'compliant',
        overdue: false,
        open: emptyOpen(),
        openTotal: 0,
        sensorsInAlarm: [],
      });
    return out.get(p.id)!;
  };
  for (const p of sites) if (p.kind === 'construction_site') add(p);
  const openCase = (site: SiteCompliance, c: Case) => {
    if (counted.has(c.id) || !isCaseOpen(c)) return;
    counted.add(c.id);
    site.open[complianceIssue(c.category.code) ?? 'other']++;
    site.openTotal++;
  };
  for (const i of inspections) {
    if (i.kind !== 'construction_site') continue;
    const site = add({
      id: i.pointId,
      district: i.district,
      position: i.position,
      ...(i.name !== undefined ? { name: i.name } : {}),
    });
    if (site.name === undefined && i.name !== undefined) site.name = i.name;
    const had = latest.get(i.pointId);
    if (!had || i.issuedAt > had.issuedAt || (i.issuedAt === had.issuedAt && i.round > had.round))
      latest.set(i.pointId, i);
    if (i.status !== 'open') {
      const seen = lastChecked.get(i.pointId);
      if (!seen || (i.checkedAt ?? 0) > (seen.checkedAt ?? 0)) lastChecked.set(i.pointId, i);
      const c = i.caseId === undefined ? undefined : cases.get(i.caseId);
      if (i.status === 'problem' && c) openCase(site, c);
    }
  }
  const list = [...out.values()];
  // Sites in cells about a radius wide: a case or a sensor is measured only against the sites of its 3 × 3 cells.
  const maxLat = Math.max(0, ...list.map((x) => Math.abs(x.position[1])));
  const cellLat = radiusM / 111_000;
  const cellLon = cellLat / Math.max(0.01, Math.cos((Math.min(89, maxLat + 1) * Math.PI) / 180));
  const cells = new Map<string, SiteCompliance[]>();
  const cellOf = (p: LonLat): [number, number] => [Math.floor(p[0] / cellLon), Math.floor(p[1] / cellLat)];
  for (const x of list) {
    const [cx, cy] = cellOf(x.position);
    const key = `${cx}:${cy}`;
    const bucket = cells.get(key);
    if (bucket) bucket.push(x);
    else cells.set(key, [x]);
  }
  const around = (p: LonLat): SiteCompliance[] => {
    const [cx, cy] = cellOf(p);
    const found: SiteCompliance[] = [];
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = -1; dy <= 1; dy++) for (const x of cells.get(`${cx + dx}:${cy + dy}`) ?? []) found.push(x);
    return found;
  };
  const nearest = (at: LonLat): SiteCompliance | undefined => {
    let best: SiteCompliance | undefined;
    let bestM = radiusM;
    for (const x of around(at)) {
      const m = haversineM(x.position, at);
      if (m < bestM || (m === bestM && best !== undefined && x.pointId < best.pointId) || (m <= bestM && !best))
        [best, bestM] = [x, m];
    }
    return best;
  };
  if (list.length > 0) {
    for (const c of cases.values()) {
      if (!isCaseOpen(c) || counted.has(c.id) || complianceIssue(c.category.code) === undefined) continue;
      const site = nearest(c.position);
      if (site) openCase(site, c);
    }
    for (const sensor of sensors) {
      if (!SITE_SENSOR_KINDS.includes(sensor.kind) || sensor.level !== 'alarm') continue;
      for (const site of around(sensor.position))
        if (haversineM(site.position, sensor.position) <= radiusM) site.sensorsInAlarm.push(sensor.id);
    }
  }
  for (const site of list) {
    const last = lastChecked.get(site.pointId);
    if (last)
      site.lastCheck = { status: last.status as 'passed' | 'problem', checkedAt: last.checkedAt ?? last.issuedAt };
    const top = latest.get(site.pointId);
    site.overdue = top !== undefined && inspectionOverdue(top, now);
    site.sensorsInAlarm.sort();
    site.state =
      site.openTotal > 0 || site.sensorsInAlarm.length > 0
        ? 'non_compliant'
        : site.overdue
          ? 'overdue'
          : last
            ? 'compliant'
            : 'unchecked';
  }
  const weight = (s: SiteCompliance) => s.openTotal + s.sensorsInAlarm.length;
  return list.sort(
    (a, b) =>
      SITE_STATES.indexOf(a.state) - SITE_STATES.indexOf(b.state) ||
      weight(b) - weight(a) ||
      (a.pointId < b.pointId ? -1 : a.pointId > b.pointId ? 1 : 0),
  );
}

/** How many sites are in each state, and their open problems by issue: the panel's head. */
export function complianceCounts(
  sites: readonly SiteCompliance[],
): Record<SiteState, number> & { sites: number; open: Record<ComplianceIssue, number>; alarms: number } {
  const counts = {
    sites: sites.length,
    non_compliant: 0,
    overdue: 0,
    unchecked: 0,
    compliant: 0,
    open: emptyOpen(),
    alarms: 0,
  };
  for (const s of sites) {
    counts[s.state]++;
    for (const k of COMPLIANCE_ISSUES) counts.open[k] += s.open[k];
    counts.alarms += s.sensorsInAlarm.length;
  }
  return counts;
}

/** The categories of dust and noise complaints: 施工扰民, 工地扬尘, and 06028 噪声扰民 of 市容环境. */
export const COMPLAINT_HEAT_CATEGORIES: readonly string[] = ['08001', '08004', '06028'];

/**
 * The heat of dust and noise complaints: the cases of those categories reported since `since`, for the existing
 * heat layer factory (`display/src/map/layers/heat.ts`, weighted there by urgency). Keeps the input's order.
 */
export function complaintHeat(cases: Iterable<Case>, since: number): Case[] {
  const out: Case[] = [];
  for (const c of cases) if (c.reportedAt >= since && COMPLAINT_HEAT_CATEGORIES.includes(c.category.code)) out.push(c);
  return out;
}
