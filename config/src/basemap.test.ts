import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { basemapOrigins, packageKind, parseBasemap, tileTemplate } from './basemap.ts';
import { tempDir } from '../../test/temp-dir.ts';

const raster = (dark: unknown, extra: Record<string, unknown> = {}) => ({
  kind: 'raster',
  crs: 'wgs84',
  attribution: '审图号 GS(2024)0000',
  dark,
  ...extra,
});

describe(tileTemplate.name, () => {
  it('leaves an XYZ template as it is', () => {
    expect(tileTemplate({ type: 'xyz', url: 'https://t.example/{z}/{x}/{y}.png' })).toBe(
      'https://t.example/{z}/{x}/{y}.png',
    );
  });

  it('turns a 天地图-style WMTS KVP service into GetTile requests with the key kept', () => {
    const t = tileTemplate({
      type: 'wmts-kvp',
      url: 'https://t{s}.tianditu.gov.cn/vec_w/wmts',
      layer: 'vec',
      style: 'default',
      tileMatrixSet: 'w',
      format: 'tiles',
      tileMatrixPrefix: '',
      params: { tk: 'a b&c' },
    });
    expect(t).toBe(
      'https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default' +
        '&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=a%20b%26c',
    );
  });

  it('names GeoServer tile matrices with their prefix and appends to a URL that already has a query', () => {
    const t = tileTemplate({
      type: 'wmts-kvp',
      url: 'https://gis.city.gov.cn/geoserver/gwc/service/wmts?x=1',
      layer: 'city:base',
      style: 'default',
      tileMatrixSet: 'EPSG:900913',
      format: 'image/png',
      tileMatrixPrefix: 'EPSG:900913:',
      params: {},
    });
    expect(t).toContain('?x=1&SERVICE=WMTS');
    expect(t).toContain('LAYER=city%3Abase');
    expect(t).toContain('FORMAT=image%2Fpng');
    expect(t).toContain('TILEMATRIX=EPSG%3A900913%3A{z}&TILEROW={y}&TILECOL={x}');
  });

  it('fills a WMTS REST ResourceURL template: row is y, column is x', () => {
    const t = tileTemplate({
      type: 'wmts-rest',
      url: 'https://gis.example/wmts/{Layer}/{Style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}.png',
      layer: 'img',
      style: 'default',
      tileMatrixSet: 'w',
      tileMatrixPrefix: '',
    });
    expect(t).toBe('https://gis.example/wmts/img/default/w/{z}/{y}/{x}.png');
  });

  it('asks an ArcGIS cached map service for /tile/{z}/{y}/{x}', () => {
    expect(tileTemplate({ type: 'arcgis', url: 'https://gis.example/arcgis/rest/services/Base/MapServer/' })).toBe(
      'https://gis.example/arcgis/rest/services/Base/MapServer/tile/{z}/{y}/{x}',
    );
  });
});

describe(parseBasemap.name, () => {
  const dir = tempDir('egret-basemap-');

  it('reads none as no base map', () => {
    expect(parseBasemap({ kind: 'none' }, 'b.json', dir)).toEqual({
      basemap: { info: null, packages: {} },
      problems: [],
    });
  });

  it('resolves a GCJ-02 XYZ source with subdomains, defaults filled in and light falling back to dark', () => {
    const { basemap, problems } = parseBasemap(
      raster(
        { type: 'xyz', url: 'https://webrd0{s}.example.com/{z}/{x}/{y}', subdomains: ['1', '2'] },
        { crs: 'gcj02' },
      ),
      'b.json',
      dir,
    );
    expect(problems).toEqual([]);
    expect(basemap.info).toMatchObject({
      crs: 'gcj02',
      minZoom: 0,
      maxZoom: 18,
      tileSize: 256,
      subdomains: ['1', '2'],
      tiles: { dark: 'https://webrd0{s}.example.com/{z}/{x}/{y}', light: 'https://webrd0{s}.example.com/{z}/{x}/{y}' },
    });
  });

  it('names the file, the field and the expectation for each mistake', () => {
    const { problems } = parseBasemap(
      raster({ type: 'xyz', url: 'javascript:alert(1)//{z}{x}{y}' }, { minZoom: 9, maxZoom: 3, crs: 'bd09' }),
      'config/cities/x/basemap.json',
      dir,
    );
    expect(problems).toContain(
      'config/cities/x/basemap.json: dark.url must be an http(s) URL or a path on the hub starting with /',
    );
    expect(problems.some((p) => p.startsWith('config/cities/x/basemap.json: crs '))).toBe(true);
    expect(parseBasemap(raster({ type: 'xyz', url: 'https://t.example/{z}/{x}.png' }), 'f', dir).problems).toEqual([
      'f: dark.url must contain {z}, {x} and {y} (or {-y})',
    ]);
    expect(
      parseBasemap(raster({ type: 'xyz', url: 'https://t.example/{z}/{x}/{y}' }, { minZoom: 9, maxZoom: 3 }), 'f', dir)
        .problems,
    ).toEqual(['f: minZoom must not be above maxZoom']);
    expect(parseBasemap(raster({ type: 'xyz', url: 'https://t{s}.example/{z}/{x}/{y}' }), 'f', dir).problems).toEqual([
      'f: subdomains must be given when a url contains {s}',
    ]);
    expect(
      parseBasemap(
        {
          kind: 'raster',
          crs: 'wgs84',
          attribution: 'a',
          dark: { type: 'xyz', url: 'https://a/{z}/{x}/{y}', extra: 1 },
        },
        'f',
        dir,
      ).problems[0],
    ).toMatch(/^f: dark /);
  });

  it('refuses a package that is missing, an MBTiles file, or not a tile package, naming why', () => {
    writeFileSync(join(dir, 'city.mbtiles'), 'SQLite format 3\0' + ' '.repeat(200));
    writeFileSync(join(dir, 'junk.pmtiles'), 'hello');
    const p = (file: string) => parseBasemap(raster({ type: 'package', file }), 'f', dir).problems;
    expect(p('missing.pmtiles')[0]).toMatch(/^f: dark\.file .*missing\.pmtiles does not exist$/);
    expect(p('city.mbtiles')[0]).toMatch(/MBTiles \(SQLite\) file: not supported/);
    expect(p('junk.pmtiles')[0]).toMatch(/must be a PMTiles archive$/);
  });

  it('serves a PMTiles package from the hub under /tiles with the extension of its tile type', () => {
    const head = new Uint8Array(127);
    head.set(new TextEncoder().encode('PMTiles'), 0);
    head[7] = 3;
    head[99] = 3; // jpeg
    head[100] = 8; // zooms 8–15
    head[101] = 15;
    writeFileSync(join(dir, 'city.pmtiles'), head);
    const { basemap, problems } = parseBasemap(raster({ type: 'package', file: 'city.pmtiles' }), 'f', dir);
    expect(problems).toEqual([]);
    expect(basemap.info?.tiles.dark).toBe('/tiles/{z}/{x}/{y}.jpg');
    expect(basemap.packages.dark).toEqual({
      file: join(dir, 'city.pmtiles'),
      ext: 'jpg',
      contentType: 'image/jpeg',
      minZoom: 8,
      maxZoom: 15,
    });
    // Past the package's deepest zoom the display scales those tiles up.
    expect(basemap.info?.maxZoom).toBe(15);
    head[99] = 1; // vector tiles
    writeFileSync(join(dir, 'mvt.pmtiles'), head);
    expect(parseBasemap(raster({ type: 'package', file: 'mvt.pmtiles' }), 'f', dir).problems[0]).toMatch(
      /tile type 1: raster tiles/,
    );
  });
});

describe('a vector base map', () => {
  const dir = tempDir('egret-basemap-vector-');
  const darkStyle = {
    version: 8,
    layers: [
      { id: 'bg', type: 'background', paint: { 'background-color': '#0b1a2c' } },
      { id: 'roads', type: 'line', 'source-layer': 'road', paint: { 'line-color': '#f5c04a', 'line-width': 2 } },
    ],
  };
  writeFileSync(join(dir, 'dark.json'), JSON.stringify(darkStyle));
  writeFileSync(join(dir, 'broken.json'), '{ "layers": [');
  writeFileSync(
    join(dir, 'heat.json'),
    JSON.stringify({ layers: [{ id: 'h', type: 'heatmap', 'source-layer': 'poi', paint: {} }] }),
  );
  const vector = (extra: Record<string, unknown> = {}) => ({
    kind: 'vector',
    crs: 'gcj02',
    attribution: '厦门市自然资源和规划局',
    source: { type: 'xyz', url: 'https://gis.xm.example/vt/{z}/{x}/{y}.pbf' },
    style: { dark: 'dark.json' },
    ...extra,
  });
  const pmtilesHead = (tileType: number, compression: number) => {
    const head = new Uint8Array(127);
    head.set(new TextEncoder().encode('PMTiles'), 0);
    head[7] = 3;
    head[98] = compression;
    head[99] = tileType;
    head[100] = 0;
    head[101] = 14;
    return head;
  };

  it('resolves an XYZ MVT service with its style, 512-px tiles, light falling back to dark', () => {
    const { basemap, problems } = parseBasemap(vector(), 'basemap.json', dir);
    expect(problems).toEqual([]);
    expect(basemap.info).toMatchObject({
      kind: 'vector',
      crs: 'gcj02',
      tileSize: 512,
      tiles: { dark: 'https://gis.xm.example/vt/{z}/{x}/{y}.pbf', light: 'https://gis.xm.example/vt/{z}/{x}/{y}.pbf' },
    });
    expect(basemap.info?.styles?.dark.background).toEqual([11, 26, 44, 255]);
    expect(basemap.info?.styles?.light).toBe(basemap.info?.styles?.dark);
    expect(basemapOrigins(basemap.info)).toEqual(['https://gis.xm.example']);
  });

  it('serves a gzipped MVT package from the hub as .pbf (the reader unpacks its tiles)', () => {
    writeFileSync(join(dir, 'city.pmtiles'), pmtilesHead(1, 2));
    const { basemap, problems } = parseBasemap(
      vector({ source: { type: 'package', file: 'city.pmtiles' } }),
      'basemap.json',
      dir,
    );
    expect(problems).toEqual([]);
    expect(basemap.info?.tiles.dark).toBe('/tiles/{z}/{x}/{y}.pbf');
    expect(basemap.packages.dark).toEqual({
      file: join(dir, 'city.pmtiles'),
      ext: 'pbf',
      contentType: 'application/vnd.mapbox-vector-tile',
      minZoom: 0,
      maxZoom: 14,
    });
    expect(basemap.info?.maxZoom).toBe(14);
  });

  it('refuses a raster package, a brotli package, a bad or missing style, naming the file and key', () => {
    writeFileSync(join(dir, 'png.pmtiles'), pmtilesHead(2, 1));
    writeFileSync(join(dir, 'br.pmtiles'), pmtilesHead(1, 3));
    const p = (extra: Record<string, unknown>) => parseBasemap(vector(extra), 'basemap.json', dir).problems.join('\n');
    expect(p({ source: { type: 'package', file: 'png.pmtiles' } })).toMatch(
      /^basemap\.json: source\.file .*png\.pmtiles holds tile type 2: vector tiles \(MVT, type 1\) expected$/,
    );
    expect(p({ source: { type: 'package', file: 'br.pmtiles' } })).toMatch(/compression 3: gzip \(2\) or none/);
    expect(p({ style: { dark: 'heat.json' } })).toMatch(/^heat\.json: layers\.0\.type "heatmap" is not drawn by Egret/);
    expect(p({ style: { dark: 'broken.json' } })).toMatch(/^basemap\.json: style broken\.json: /);
    expect(p({ style: { dark: 'gone.json' } })).toMatch(/^basemap\.json: style gone\.json: .*ENOENT/);
    expect(p({ style: { dark: '../../etc/passwd.json' } })).toMatch(/style\.dark must not leave the city folder/);
    expect(p({ style: { dark: '/etc/dark.json' } })).toMatch(/style\.dark must be a \.json file beside/);
    expect(p({ source: { type: 'wmts-kvp', url: 'https://x.example/wmts' } })).toMatch(/source/);
    expect(p({ dark: { type: 'xyz', url: 'https://x/{z}/{x}/{y}.pbf' } })).toMatch(/Unrecognized key/);
  });
});

describe(basemapOrigins.name, () => {
  it('lists each origin the browser will fetch from, one per subdomain, and none for the hub itself', () => {
    const info = parseBasemap(
      raster(
        { type: 'xyz', url: 'https://t{s}.example.com:8443/{z}/{x}/{y}.png', subdomains: ['0', '1'] },
        { light: { type: 'package', file: '/nonexistent' } },
      ),
      'f',
      '/',
    );
    expect(info.problems.length).toBe(1); // the light package is missing
    const ok = parseBasemap(
      raster({ type: 'xyz', url: 'https://t{s}.example.com:8443/{z}/{x}/{y}.png', subdomains: ['0', '1'] }),
      'f',
      '/',
    ).basemap.info;
    expect(basemapOrigins(ok)).toEqual(['https://t0.example.com:8443', 'https://t1.example.com:8443']);
    expect(basemapOrigins(null)).toEqual([]);
    expect(
      basemapOrigins({ ...ok!, tiles: { dark: '/tiles/{z}/{x}/{y}.png', light: '/tiles/{z}/{x}/{y}.png' } }),
    ).toEqual([]);
  });
});

describe(packageKind.name, () => {
  it('tells PMTiles, MBTiles and anything else apart from the first bytes', () => {
    expect(packageKind(new TextEncoder().encode('SQLite format 3\0')).format).toBe('mbtiles');
    expect(packageKind(new Uint8Array([0x89, 0x50, 0x4e, 0x47])).format).toBe('unknown');
  });
});
