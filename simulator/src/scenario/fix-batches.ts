import { MAX_INPUT_BYTES } from '@egret/protocol';

const ENVELOPE_BYTES = '{"fixes":[]}'.length;

/**
 * Builds FixBatch JSON (`{"fixes":[{unitId, lon, lat, at}, …]}`) directly as strings: at 50,000 units a second
 * this avoids one object per fix and a JSON.stringify walk over them. A batch closes at `maxPerBatch` fixes or
 * before it would pass the contract's 64 KiB entry limit (≈ 800 fixes). Coordinates keep 6 decimals (~0.1 m).
 * Unit ids are trusted (the roster makes them from [A-Z0-9-]), so they need no escaping, and the text is ASCII,
 * so its length is its size in bytes.
 */
export class FixBatchWriter {
  private parts: string[] = [];
  private bytes = ENVELOPE_BYTES;
  private batches: string[] = [];
  private total = 0;

  constructor(
    private readonly maxPerBatch = 1000,
    private readonly maxBytes = MAX_INPUT_BYTES,
  ) {}

  add(unitId: string, lon: number, lat: number, at: number): void {
    const part = `{"unitId":"${unitId}","lon":${lon.toFixed(6)},"lat":${lat.toFixed(6)},"at":${at}}`;
    if (this.parts.length && this.bytes + 1 + part.length > this.maxBytes) this.flush();
    this.bytes += part.length + (this.parts.length ? 1 : 0);
    this.parts.push(part);
    this.total++;
    if (this.parts.length >= this.maxPerBatch) this.flush();
  }

  /** The finished batches and how many fixes they hold; the writer starts empty again. */
  take(): { batches: string[]; count: number } {
    this.flush();
    const out = { batches: this.batches, count: this.total };
    this.batches = [];
    this.total = 0;
    return out;
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    this.batches.push(`{"fixes":[${this.parts.join(',')}]}`);
    this.parts = [];
    this.bytes = ENVELOPE_BYTES;
  }
}
