import { MAX_INPUT_BYTES } from '@egret/protocol';
import type { z } from 'zod';
import { refuse, type Refusal } from './rejection.ts';

/**
 * The edge checks every raw input goes through, in this order: there is a payload, it is not oversized, it is
 * JSON, it matches the schema. Size is checked before parsing so a huge entry costs nothing to refuse.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  data: string | undefined,
): { ok: true; value: z.infer<S> } | Refusal {
  if (data === undefined) return refuse('missing_data', 'the entry has no `data` field');
  const bytes = Buffer.byteLength(data, 'utf8');
  if (bytes > MAX_INPUT_BYTES)
    return refuse('oversized', `data is ${bytes} bytes, more than the ${MAX_INPUT_BYTES} allowed`);
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch (err) {
    return refuse('invalid_json', `data is not JSON: ${(err as Error).message}`);
  }
  return checkSchema(schema, json);
}

/** Validates already-parsed JSON; the refusal names each bad path, e.g. `fixes[3].lon: Too big: …`. */
export function checkSchema<S extends z.ZodType>(
  schema: S,
  json: unknown,
  pathPrefix = '',
): { ok: true; value: z.infer<S> } | Refusal {
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  return refuse('schema', describeIssues(result.error.issues, pathPrefix));
}

/** `fixes[3].lon: Too big: expected number to be <=180; kind: Invalid input` — at most 5 issues. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], pathPrefix = ''): string {
  const shown = issues.slice(0, 5).map((i) => `${formatPath(i.path, pathPrefix)}: ${i.message}`);
  if (issues.length > 5) shown.push(`… and ${issues.length - 5} more`);
  return shown.join('; ');
}

export function formatPath(path: readonly PropertyKey[], prefix = ''): string {
  const s = path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 && !prefix ? '' : '.'}${String(p)}`))
    .join('');
  return prefix + s || '(top level)';
}
