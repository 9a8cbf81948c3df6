import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Files of the field app's shell that are not chunks of the build (display/public/field). */
const STATIC_SHELL = [
  '/field/',
  '/field/manifest.webmanifest',
  '/field/icons/icon-192.png',
  '/field/icons/icon-512.png',
];

/**
 * Writes the field terminal's service worker (`field/sw.js`) with the list of files its shell needs: the chunks the
 * field entry imports (statically, transitively), their CSS and assets, and the static shell. A hand-written worker
 * rather than vite-plugin-pwa: that plugin precaches a whole build by glob, and this build holds the wall's
 * and console's deck.gl chunks (megabytes) beside the phone's; picking the field entry's own chunks from the bundle
 * is a few lines, and the worker's caching rules (field-sw.js) are a page long.
 */
export function fieldServiceWorker(): Plugin {
  return {
    name: 'egret-field-service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const entry = Object.values(bundle).find(
        (o) => o.type === 'chunk' && o.isEntry && /\/(field\.html|src\/field\/main\.ts)$/.test(o.facadeModuleId ?? ''),
      );
      if (!entry || entry.type !== 'chunk') return; // a build without the field entry (a test's partial build)
      const files = new Set<string>();
      const visit = (name: string) => {
        if (files.has(name)) return;
        const o = bundle[name];
        if (!o) return;
        files.add(name);
        if (o.type !== 'chunk') return;
        o.imports.forEach(visit);
        const meta = (o as { viteMetadata?: { importedCss: Set<string>; importedAssets: Set<string> } }).viteMetadata;
        meta?.importedCss.forEach(visit);
        meta?.importedAssets.forEach(visit);
      };
      visit(entry.fileName);
      const precache = [...STATIC_SHELL, ...[...files].sort().map((f) => `/${f}`)];
      const version = createHash('sha256').update(precache.join('\n')).digest('hex').slice(0, 12);
      const worker = readFileSync(resolve(HERE, 'field-sw.js'), 'utf8');
      this.emitFile({
        type: 'asset',
        fileName: 'field/sw.js',
        source: `const FIELD_PRECACHE = ${JSON.stringify(precache)};\nconst FIELD_VERSION = '${version}';\n${worker}`,
      });
    },
  };
}
