import { z } from 'zod';
import type { BasemapFilter, BasemapStyle, BasemapStyleLayer, Rgba } from '@egret/protocol';

/**
 * A vector base map's style (`cities/<city>/basemap-style-dark.json`): a documented SUBSET of the MapLibre style
 * spec, enough to draw a city's GIS tiles on the wall — `background`, and `fill`, `line` and `symbol` layers with a
 * `source-layer`, a legacy `filter`, `minzoom`/`maxzoom`, constant paint colours, widths and opacities, and
 * `text-field` `"{name}"`-style labels with `text-size`. What the subset does not hold — another layer type, an
 * expression, a sprite, a glyph URL — is refused at start naming the key, never silently dropped: a style that
 * draws differently from what the city's GIS team wrote must not reach the wall.
 */

const COLOR_WORDS: Record<string, Rgba> = {
  black: [0, 0, 0, 255],
  white: [255, 255, 255, 255],
  transparent: [0, 0, 0, 0],
};

/** A CSS colour as MapLibre styles write them: `#rgb`, `#rrggbb`, `#rrggbbaa`, `rgb(…)`, `rgba(…)`, a few words (pure). */
export function parseColor(text: string): Rgba | null {
  const s = text.trim().toLowerCase();
  if (COLOR_WORDS[s]) return [...COLOR_WORDS[s]];
  let m = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/.exec(s);
  if (m) {
    const h = m[1]!.length === 3 ? [...m[1]!].map((c) => c + c).join('') : m[1]!;
    const n = (i: number) => parseInt(h.slice(i, i + 2), 16);
    return [n(0), n(2), n(4), h.length === 8 ? n(6) : 255];
  }
  m = /^rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*(?:,\s*([01]|0?\.\d+)\s*)?\)$/.exec(s);
  if (m) {
    const [r, g, b] = [m[1], m[2], m[3]].map(Number) as [number, number, number];
    if (r > 255 || g > 255 || b > 255) return null;
    return [r, g, b, Math.round((m[4] === undefined ? 1 : Number(m[4])) * 255)];
  }
  return null;
}

const Color = z.string().refine((c) => parseColor(c) !== null, {
  message: 'must be a colour (#rgb, #rrggbb, #rrggbbaa, rgb(), rgba())',
});
const Opacity = z.number().min(0).max(1);
const StyleZoom = z.number().min(0).max(24);
const Scalar = z.union([z.string(), z.number(), z.boolean()]);

const Filter: z.ZodType<BasemapFilter> = z.lazy(() =>
  z.union([
    z.tuple([z.enum(['==', '!=']), z.string(), Scalar]),
    z.tuple([z.enum(['in', '!in']), z.string()], Scalar),
    z.tuple([z.enum(['has', '!has']), z.string()]),
    z.tuple([z.enum(['all', 'any', 'none'])], Filter),
  ]),
) as z.ZodType<BasemapFilter>;

/** Keys every source-bound layer may carry; `source` is accepted (a city's style names its one source) and unused. */
const common = {
  id: z.string().min(1),
  source: z.string().optional(),
  'source-layer': z.string().min(1),
  filter: Filter.optional(),
  minzoom: StyleZoom.optional(),
  maxzoom: StyleZoom.optional(),
  metadata: z.unknown().optional(),
};
const Visibility = z.enum(['visible', 'none']).optional();

const Background = z.strictObject({
  id: z.string().min(1),
  type: z.literal('background'),
  layout: z.strictObject({ visibility: Visibility }).optional(),
  paint: z.strictObject({ 'background-color': Color, 'background-opacity': Opacity.optional() }),
  metadata: z.unknown().optional(),
});
const Fill = z.strictObject({
  ...common,
  type: z.literal('fill'),
  layout: z.strictObject({ visibility: Visibility }).optional(),
  paint: z.strictObject({
    'fill-color': Color,
    'fill-opacity': Opacity.optional(),
    'fill-outline-color': Color.optional(),
  }),
});
const Line = z.strictObject({
  ...common,
  type: z.literal('line'),
  layout: z
    .strictObject({
      visibility: Visibility,
      'line-cap': z.enum(['butt', 'round', 'square']).optional(),
      'line-join': z.enum(['bevel', 'round', 'miter']).optional(),
    })
    .optional(),
  paint: z.strictObject({
    'line-color': Color,
    'line-width': z.number().min(0).max(64).optional(),
    'line-opacity': Opacity.optional(),
  }),
});
const Symbol = z.strictObject({
  ...common,
  type: z.literal('symbol'),
  layout: z.strictObject({
    visibility: Visibility,
    /** A property in braces (`{name}`), with text around it if wanted (`{name}站`). */
    'text-field': z.string().regex(/\{[^{}]+\}/, 'must name a property in braces, e.g. "{name}"'),
    'text-size': z.number().min(4).max(96).optional(),
  }),
  paint: z
    .strictObject({
      'text-color': Color.optional(),
      'text-opacity': Opacity.optional(),
      'text-halo-color': Color.optional(),
      'text-halo-width': z.number().min(0).max(16).optional(),
    })
    .optional(),
});

const SUPPORTED = ['background', 'fill', 'line', 'symbol'];
const StyleLayer = z
  .looseObject({ type: z.string() })
  .superRefine((l, ctx) => {
    if (!SUPPORTED.includes(l.type))
      ctx.addIssue({
        code: 'custom',
        path: ['type'],
        message: `"${l.type}" is not drawn by Egret: a style layer must be one of ${SUPPORTED.join(', ')}`,
      });
  })
  .pipe(z.discriminatedUnion('type', [Background, Fill, Line, Symbol]));

export const BasemapStyleFile = z
  .looseObject({
    version: z.literal(8).optional(),
    name: z.string().optional(),
    layers: z.array(StyleLayer).min(1),
  })
  .superRefine((s, ctx) => {
    for (const key of ['sprite', 'glyphs'])
      if (key in s)
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: 'is not used: Egret draws labels with the wall’s own font and fetches nothing from the internet',
        });
    const seen = new Set<string>();
    s.layers.forEach((l, i) => {
      if (seen.has(l.id)) ctx.addIssue({ code: 'custom', path: ['layers', i, 'id'], message: `"${l.id}" twice` });
      seen.add(l.id);
    });
  });
export type BasemapStyleFile = z.infer<typeof BasemapStyleFile>;

const withOpacity = (color: string, opacity = 1): Rgba => {
  const c = parseColor(color)!;
  return [c[0], c[1], c[2], Math.round(c[3] * opacity)];
};

/** A validated style file as the display draws it (pure): colours as RGBA with opacity folded in, hidden layers out. */
export function resolveStyle(file: BasemapStyleFile): BasemapStyle {
  let background: Rgba | null = null;
  const layers: BasemapStyleLayer[] = [];
  for (const l of file.layers) {
    if (l.layout?.visibility === 'none') continue;
    if (l.type === 'background') {
      background = withOpacity(l.paint['background-color'], l.paint['background-opacity']);
      continue;
    }
    const base = {
      id: l.id,
      sourceLayer: l['source-layer'],
      ...(l.filter ? { filter: l.filter } : {}),
      minZoom: l.minzoom ?? 0,
      maxZoom: l.maxzoom ?? 24,
    };
    if (l.type === 'fill')
      layers.push({
        ...base,
        type: 'fill',
        color: withOpacity(l.paint['fill-color'], l.paint['fill-opacity']),
        ...(l.paint['fill-outline-color']
          ? { outlineColor: withOpacity(l.paint['fill-outline-color'], l.paint['fill-opacity']) }
          : {}),
      });
    else if (l.type === 'line')
      layers.push({
        ...base,
        type: 'line',
        color: withOpacity(l.paint['line-color'], l.paint['line-opacity']),
        width: l.paint['line-width'] ?? 1,
      });
    else
      layers.push({
        ...base,
        type: 'symbol',
        color: withOpacity(l.paint?.['text-color'] ?? '#000000', l.paint?.['text-opacity']),
        textField: l.layout['text-field'],
        textSize: l.layout['text-size'] ?? 16,
        haloColor: withOpacity(l.paint?.['text-halo-color'] ?? 'transparent', l.paint?.['text-opacity']),
        haloWidth: l.paint?.['text-halo-width'] ?? 0,
      });
  }
  return { background, layers };
}

/** Validates a style file's JSON; the problems name the file and the key path (pure). */
export function parseStyle(raw: unknown, shown: string): { style?: BasemapStyle; problems: string[] } {
  const parsed = BasemapStyleFile.safeParse(raw);
  if (!parsed.success)
    return {
      problems: parsed.error.issues.map(
        (i) => `${shown}: ${i.path.length ? i.path.map(String).join('.') : '(top level)'} ${i.message}`,
      ),
    };
  return { style: resolveStyle(parsed.data), problems: [] };
}
