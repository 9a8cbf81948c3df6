/**
 * Which WebGL renderer this browser gives the map, read before the map's own context is made: some of the map's
 * choices can only be made when its context is created (multisampling, ./msaa.ts), and whether the pixels are drawn
 * by a GPU or by the CPU decides them. A wall PC without a GPU (or without its driver) draws in software:
 * Chromium's SwiftShader, Mesa's llvmpipe/softpipe on Linux, WARP ("Microsoft Basic Render Driver") on Windows.
 */

/** Renderer strings of WebGL drawn by the CPU, as Chromium reports them (through ANGLE) or as the driver names itself. */
const SOFTWARE = /swiftshader|llvmpipe|softpipe|basic render driver|\bwarp\b|software (adapter|rasterizer|renderer)/i;

/** Whether a WebGL renderer string names a software rasterizer. An unknown renderer (null) counts as a GPU. */
export function isSoftwareRenderer(renderer: string | null): boolean {
  return renderer !== null && SOFTWARE.test(renderer);
}

/** The renderer string Chromium tells a page (unmasked when it may), or null without WebGL. */
export function rendererOf(gl: WebGLRenderingContext | WebGL2RenderingContext): string | null {
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer: unknown = gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER);
  return typeof renderer === 'string' && renderer !== '' ? renderer : null;
}

let probed: string | null | undefined;

/**
 * Asks a throw-away canvas for WebGL and reads its renderer, then lets its context go at once (browsers keep only a
 * few); once a page. Null where there is no WebGL or no DOM.
 */
export function probeRenderer(): string | null {
  if (probed === undefined) probed = probeOnce();
  return probed;
}

function probeOnce(): string | null {
  if (typeof document === 'undefined') return null;
  const canvas = document.createElement('canvas');
  const gl = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
  if (!gl) return null;
  try {
    return rendererOf(gl);
  } finally {
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  }
}
