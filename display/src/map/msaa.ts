/**
 * `?msaa=off` (any letter case): the map's WebGL canvas without multisampling (issue #19). By default a WebGL canvas
 * is antialiased, and Chromium's software GL (SwiftShader, on a wall PC without a GPU) then blends, tests and writes
 * four samples a pixel: at a typhoon's landfall in `bench:replay` (30 h, 1080p, 2,300 dispatch lines, 11,000 open
 * cases) the GPU process spent ~1.8 s of CPU on the seek's one draw with it and ~0.9 s without. The dots and labels
 * smooth their own edges in their shaders and look the same; straight lines lose their edge smoothing (a stair step
 * seen from close up). Off by default: the lead's call (docs/performance.md). Read once per map.
 */
export function msaaOff(search: string): boolean {
  return new URLSearchParams(search).get('msaa')?.trim().toLowerCase() === 'off';
}

/** The Deck's device props for it: none (the browser's default, antialiased) unless multisampling is off. */
export function msaaDeviceProps(off: boolean): { deviceProps?: { webgl: { antialias: false } } } {
  return off ? { deviceProps: { webgl: { antialias: false } } } : {};
}
