import { isSoftwareRenderer } from './gl-renderer.ts';

/**
 * Whether the map's WebGL canvas is multisampled (issue #19). A WebGL canvas is antialiased by default, and a
 * software rasterizer (SwiftShader, llvmpipe, WARP: a wall PC without a GPU, ./gl-renderer.ts) then blends, tests
 * and writes four samples a pixel: at a typhoon's landfall in `bench:replay` (30 h, 1080p, 2,300 dispatch lines,
 * 11,000 open cases) the GPU process spent ~1.8 s of CPU on the seek's one draw with it and ~0.9 s without
 * (docs/performance.md). So the canvas is multisampled on a GPU, where it costs next to nothing, and not when the CPU
 * draws: there the dots and labels still smooth their own edges in their shaders, and only straight lines lose their
 * edge smoothing (a stair step seen from close up; at 4K from five metres it does not read). `?msaa=on` / `?msaa=off`
 * (any letter case) decide it whatever the renderer. Read once per map: a canvas keeps the choice its context was
 * made with.
 */
export function msaaWanted(search: string, renderer: string | null): boolean {
  const forced = new URLSearchParams(search).get('msaa')?.trim().toLowerCase();
  if (forced === 'on') return true;
  if (forced === 'off') return false;
  return !isSoftwareRenderer(renderer);
}

/** The Deck's device props for it: none (the browser's default, antialiased) unless multisampling is off. */
export function msaaDeviceProps(wanted: boolean): { deviceProps?: { webgl: { antialias: false } } } {
  return wanted ? {} : { deviceProps: { webgl: { antialias: false } } };
}
