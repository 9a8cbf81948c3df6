import type { CategoryRef, HubConfig } from '@egret/protocol';
import type { Rgba } from '../theme.ts';

type Entry = HubConfig['categories']['entries'][number];

/**
 * The city's category dictionary as the display needs it: a case's group (for colour and legend) and its name
 * in the current language. Cases carry their code, standard and Chinese name; the dictionary adds the rest.
 */
export class CategoryIndex {
  private readonly byKey = new Map<string, Entry>();
  private readonly colors = new Map<string, Rgba>();

  constructor(readonly categories: HubConfig['categories']) {
    for (const e of categories.entries) this.byKey.set(`${e.standard}|${e.code}`, e);
    for (const [id, g] of Object.entries(categories.groups)) this.colors.set(id, [...g.color, 255]);
  }

  entry(ref: Pick<CategoryRef, 'standard' | 'code'>): Entry | undefined {
    return this.byKey.get(`${ref.standard}|${ref.code}`);
  }

  group(ref: Pick<CategoryRef, 'standard' | 'code'>): string | undefined {
    return this.entry(ref)?.group;
  }

  /** The group colour of a case's category, or `fallback` when the dictionary does not know it. */
  color(ref: Pick<CategoryRef, 'standard' | 'code'>, fallback: Rgba): Rgba {
    const g = this.group(ref);
    return (g && this.colors.get(g)) || fallback;
  }

  /** The category's name in `locale`; the name stored on the case when the dictionary does not know it. */
  name(ref: CategoryRef, locale: 'zh' | 'en'): string {
    return this.entry(ref)?.name[locale] ?? ref.name;
  }
}
