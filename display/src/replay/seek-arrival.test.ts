import { describe, expect, it } from 'vitest';
import { SeekArrival } from './seek-arrival.ts';

describe('SeekArrival', () => {
  it('puts tracks in before what is open into its draw, and the finished part then recounts the heat at once', () => {
    const a = new SeekArrival<string>();
    expect(a.tracksIn('T')).toEqual({});
    expect(a.openApplied(true)).toEqual({ take: 'T' });
    expect(a.finishedApplied(true)).toEqual({ heat: true });
  });

  it('holds tracks that come while the finished part is on its way, and draws both together', () => {
    const a = new SeekArrival<string>();
    expect(a.openApplied(true)).toEqual({});
    expect(a.tracksIn('T')).toEqual({});
    expect(a.finishedApplied(true)).toEqual({ take: 'T', heat: true });
  });

  it('lets the heat wait for tracks still on their way, then draws them with it', () => {
    const a = new SeekArrival<string>();
    expect(a.openApplied(true)).toEqual({});
    expect(a.finishedApplied(true)).toEqual({});
    expect(a.tracksIn('T')).toEqual({ take: 'T', heat: true, answered: true });
  });

  it('recounts the heat at once when the whole state was taken again', () => {
    const a = new SeekArrival<string>();
    expect(a.openApplied(true)).toEqual({});
    expect(a.finishedApplied(false)).toEqual({ heat: true });
    expect(a.tracksIn('T')).toEqual({ take: 'T', answered: true });
  });

  it('draws late tracks at once when no finished part is to come (one answer)', () => {
    const a = new SeekArrival<string>();
    expect(a.openApplied(false)).toEqual({});
    expect(a.tracksIn('T')).toEqual({ take: 'T', answered: true });
  });
});
