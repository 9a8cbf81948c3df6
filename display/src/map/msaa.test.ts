import { describe, expect, it } from 'vitest';
import { msaaDeviceProps, msaaWanted } from './msaa.ts';

const SWIFTSHADER = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';
const GPU = 'ANGLE (NVIDIA, NVIDIA GeForce GTX 1650 (0x00001F82) Direct3D11 vs_5_0 ps_5_0, D3D11)';

describe(msaaWanted.name, () => {
  it('multisamples on a GPU and not when the CPU draws', () => {
    expect(msaaWanted('', GPU)).toBe(true);
    expect(msaaWanted('', null)).toBe(true); // no renderer told: the browser's default
    expect(msaaWanted('', SWIFTSHADER)).toBe(false);
    expect(msaaWanted('?seek=hold', 'ANGLE (Mesa, llvmpipe (LLVM 15.0.6, 256 bits), OpenGL 4.5)')).toBe(false);
  });

  it('takes ?msaa=on and ?msaa=off in any letter case, with spaces, whatever the renderer', () => {
    expect(msaaWanted('?msaa=off', GPU)).toBe(false);
    expect(msaaWanted('?seek=hold&msaa=OFF', GPU)).toBe(false);
    expect(msaaWanted('?msaa=%20Off%20', GPU)).toBe(false);
    expect(msaaWanted('?msaa=on', SWIFTSHADER)).toBe(true);
    expect(msaaWanted('?msaa=ON', SWIFTSHADER)).toBe(true);
  });

  it('leaves the choice to the renderer for anything else', () => {
    for (const s of ['', '?msaa=', '?msaa=0', '?msaa=offf', '?msaa=no', '?nomsaa=off', '?MSAA=ON']) {
      expect(msaaWanted(s, GPU), s).toBe(true);
      expect(msaaWanted(s, SWIFTSHADER), s).toBe(false);
    }
  });
});

describe(msaaDeviceProps.name, () => {
  it('asks for a canvas without antialiasing only when not wanted, and leaves the Deck’s defaults alone otherwise', () => {
    expect(msaaDeviceProps(false)).toEqual({ deviceProps: { webgl: { antialias: false } } });
    expect(msaaDeviceProps(true)).toEqual({});
  });
});
