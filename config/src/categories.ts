import type { CategoryRef, CategoryStandard, LonLat, Urgency } from '@egret/protocol';
import { guardedAt, type MajorEvent } from './major-events.ts';
import type { CategoriesFile, CategoryEntry } from './schema.ts';

const HOUR_MS = 3_600_000;

/** The category dictionary of one city: look-ups by (standard, code), legacy mapping and deadline policy. */
export class CategoryDictionary {
  private readonly byKey = new Map<string, CategoryEntry>();

  /** `events`: the major events the city guards, whose perimeters tighten deadlines (major-events.ts). */
  constructor(
    readonly file: CategoriesFile,
    readonly events: readonly MajorEvent[] = [],
  ) {
    for (const c of file.categories) this.byKey.set(key(c.standard, c.code), c);
  }

  get entries(): readonly CategoryEntry[] {
    return this.file.categories;
  }

  get(standard: CategoryStandard, code: string): CategoryEntry | undefined {
    return this.byKey.get(key(standard, code));
  }

  /** The reference a case stores: code, standard and the (Chinese) name at filing time. */
  ref(standard: CategoryStandard, code: string): CategoryRef | undefined {
    const c = this.get(standard, code);
    return c && { code: c.code, standard: c.standard, name: c.name.zh };
  }

  /** The current-standard entry a legacy (GB/T 30428) code maps to, when there is one. */
  current(standard: CategoryStandard, code: string): CategoryEntry | undefined {
    const c = this.get(standard, code);
    if (!c) return undefined;
    if (c.standard !== 'GB/T 30428') return c;
    return c.mapsTo ? (this.get('GB/T 47678.5-2026', c.mapsTo) ?? this.get('local', c.mapsTo)) : undefined;
  }

  group(standard: CategoryStandard, code: string): string | undefined {
    return this.get(standard, code)?.group;
  }

  color(standard: CategoryStandard, code: string): [number, number, number] {
    const g = this.group(standard, code);
    return (g && this.file.groups[g]?.color) || [170, 180, 200];
  }

  /**
   * Time from filing to deadline for a category and urgency: category override, then group, then default. With
   * `where` (the case's position and the filing time), a case inside the perimeter of a major event that is on gets
   * the event's tighter deadline for its group (市容保障), when that is shorter.
   */
  deadlineMs(
    standard: CategoryStandard,
    code: string,
    urgency: Urgency,
    where?: { position: LonLat; at: number },
  ): number {
    const d = this.file.deadlines;
    const c = this.get(standard, code);
    const hours = d.byCategory[code]?.[urgency] ?? (c && d.byGroup[c.group]?.[urgency]) ?? d.default[urgency] ?? 48;
    const guard = where && c ? guardedAt(this.events, where.position, where.at) : undefined;
    const tighter =
      guard && c && guard.event.deadlines.groups.includes(c.group) ? guard.event.deadlines.hours[urgency] : undefined;
    return Math.min(hours, tighter ?? Infinity) * HOUR_MS;
  }
}

function key(standard: string, code: string): string {
  return `${standard}|${code}`;
}
