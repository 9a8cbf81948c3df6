import { FixBatch, MAX_INPUT_BYTES } from '@egret/protocol';

/** Why a whole positions-stream entry is refused before any of its fixes is looked at. */
export type EntryProblem = 'missing_data' | 'oversized' | 'invalid_json' | 'schema';

export type EntryVerdict = { ok: true; batch: FixBatch } | { ok: false; reason: EntryProblem; detail: string };

/**
 * Reads one entry of the positions input stream: field `data` must hold a JSON `FixBatch` of at most
 * `MAX_INPUT_BYTES`. Never throws: a bad entry comes back with the reason it is dead-lettered under.
 */
export function readFixEntry(message: Readonly<Record<string, string>>): EntryVerdict {
  const data = message.data;
  if (data === undefined || data === '') {
    return {
      ok: false,
      reason: 'missing_data',
      detail: `entry has no "data" field (fields: ${Object.keys(message).join(', ') || 'none'})`,
    };
  }
  const bytes = Buffer.byteLength(data, 'utf8');
  if (bytes > MAX_INPUT_BYTES) {
    return { ok: false, reason: 'oversized', detail: `"data" is ${bytes} bytes, more than ${MAX_INPUT_BYTES}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch (err) {
    return { ok: false, reason: 'invalid_json', detail: `"data" is not JSON: ${(err as Error).message}` };
  }
  const parsed = FixBatch.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const shown = issues.slice(0, 3).map((i) => `${formatPath(i.path)}: ${i.message}`);
    if (issues.length > 3) shown.push(`… ${issues.length - 3} more`);
    return { ok: false, reason: 'schema', detail: shown.join('; ') };
  }
  return { ok: true, batch: parsed.data };
}

/** `['fixes', 3, 'lat']` → `fixes[3].lat`. */
function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}
