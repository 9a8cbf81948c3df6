import { writeFileSync } from 'node:fs';
import type { CDPSession } from 'playwright-core';
import type { TraceEvent } from './trace-breakdown.ts';

/**
 * What `BENCH_WALL_TRACE` records (bench:wall): the page's main thread with its tasks, script, style, layout, paint,
 * GC and the GPU command buffer's calls — what the DevTools Performance panel records, in thread time.
 */
export const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  'v8',
  'gpu',
  'toplevel',
  'blink',
  'cc',
];

/** Starts a Chrome trace through `cdp`; `stop(file)` ends it, writes it to `file` and answers its events. */
export async function startTrace(cdp: CDPSession): Promise<{ stop(file: string): Promise<TraceEvent[]> }> {
  await cdp.send('Tracing.start', {
    transferMode: 'ReturnAsStream',
    traceConfig: { includedCategories: TRACE_CATEGORIES, recordMode: 'recordContinuously' },
  });
  return {
    async stop(file) {
      const complete = new Promise<string>((done) => cdp.once('Tracing.tracingComplete', (e) => done(e.stream ?? '')));
      await cdp.send('Tracing.end');
      const stream = await complete;
      const parts: string[] = [];
      for (;;) {
        const { data, eof, base64Encoded } = await cdp.send('IO.read', { handle: stream, size: 1 << 20 });
        parts.push(base64Encoded ? Buffer.from(data, 'base64').toString('utf8') : data);
        if (eof) break;
      }
      await cdp.send('IO.close', { handle: stream });
      const text = parts.join('');
      writeFileSync(file, text);
      const parsed = JSON.parse(text) as { traceEvents?: TraceEvent[] } | TraceEvent[];
      return Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
    },
  };
}
