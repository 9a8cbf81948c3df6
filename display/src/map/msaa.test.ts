import { describe, expect, it } from 'vitest';
import { msaaDeviceProps, msaaOff } from './msaa.ts';

describe(msaaOff.name, () => {
  it('reads ?msaa=off in any letter case, with spaces', () => {
    expect(msaaOff('?msaa=off')).toBe(true);
    expect(msaaOff('?seek=hold&MSAA=OFF')).toBe(false); // the key is case-sensitive, as the other flags' are
    expect(msaaOff('?seek=hold&msaa=OFF')).toBe(true);
    expect(msaaOff('?msaa=%20Off%20')).toBe(true);
  });

  it('keeps multisampling for anything else', () => {
    for (const s of ['', '?msaa=on', '?msaa=', '?msaa=0', '?msaa=offf', '?msaa=no', '?nomsaa=off'])
      expect(msaaOff(s)).toBe(false);
  });
});

describe(msaaDeviceProps.name, () => {
  it('asks for a canvas without antialiasing only when off, and leaves the Deck’s defaults alone otherwise', () => {
    expect(msaaDeviceProps(true)).toEqual({ deviceProps: { webgl: { antialias: false } } });
    expect(msaaDeviceProps(false)).toEqual({});
  });
});
