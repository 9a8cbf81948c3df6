/** One stream entry as node-redis returns it; `message` is null when the entry was deleted while pending. */
export interface StreamEntry<V = string> {
  id: string;
  message: Record<string, V> | null;
}

/**
 * Flattens an XREAD/XREADGROUP reply (`[{ name, messages }] | null`) into its entries. node-redis types these
 * replies loosely (the RESP3 shape is still unsettled upstream), so the shape is checked here once.
 */
export function streamEntries<V = string>(reply: unknown): StreamEntry<V>[] {
  if (!Array.isArray(reply)) return [];
  const out: StreamEntry<V>[] = [];
  for (const stream of reply as Array<{ messages?: unknown }>) {
    if (!stream || !Array.isArray(stream.messages)) continue;
    for (const m of stream.messages as Array<{ id: unknown; message: Record<string, V> } | null>) {
      if (m) out.push({ id: String(m.id), message: m.message ?? null });
    }
  }
  return out;
}
