import { describe, expect, it } from 'vitest';
import { isSoftwareRenderer } from './gl-renderer.ts';

describe(isSoftwareRenderer.name, () => {
  it('knows the software rasterizers a wall PC without a GPU draws with', () => {
    for (const renderer of [
      // Chromium's own, as this project's tests and benches run it (--disable-gpu, or no GPU).
      'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
      'Google SwiftShader',
      // Mesa on a Linux PC without a GPU driver.
      'ANGLE (Mesa, llvmpipe (LLVM 15.0.6, 256 bits), OpenGL 4.5)',
      'softpipe',
      // Windows without a display driver: WARP.
      'ANGLE (Microsoft, Microsoft Basic Render Driver (0x0000008C) Direct3D11 vs_5_0 ps_5_0, D3D11)',
      'ANGLE (Microsoft, WARP, D3D11)',
    ])
      expect(isSoftwareRenderer(renderer), renderer).toBe(true);
  });

  it('takes GPUs, masked strings and no answer as a GPU', () => {
    for (const renderer of [
      'ANGLE (NVIDIA, NVIDIA GeForce GTX 1650 (0x00001F82) Direct3D11 vs_5_0 ps_5_0, D3D11)',
      'ANGLE (Intel, Intel(R) UHD Graphics 630 (0x00003E92) Direct3D11 vs_5_0 ps_5_0, D3D11)',
      'ANGLE (AMD, AMD Radeon RX 6600 (radeonsi, navi23, LLVM 15.0.6, DRM 3.49, 6.1.0-18-amd64), OpenGL 4.6)',
      'ANGLE (Apple, ANGLE Metal Renderer: Apple M2, Unspecified Version)',
      // Zhaoxin's, on a domestic (信创) PC.
      'ANGLE (Zhaoxin, ZX C-1080 (0x00003A03), OpenGL 4.6)',
      'WebKit WebGL',
      'Software', // a bare word says nothing about who draws
      null,
    ])
      expect(isSoftwareRenderer(renderer), String(renderer)).toBe(false);
  });
});
