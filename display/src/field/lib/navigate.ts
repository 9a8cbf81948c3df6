import gcoord from 'gcoord';

/**
 * A link that opens navigation to a case in the phone's map app. Amap's URI API (`https://uri.amap.com/navigation`,
 * lbs.amap.com "URI API"): an https address, so it works in every browser — Amap's app takes it when installed
 * (`callnative=1`), its mobile web page otherwise — and it is the map app most Chinese phones carry. Amap, like
 * Baidu's and Tencent's maps, expects GCJ-02 ("Mars" coordinates): the hub keeps WGS-84, so the edge converts here
 * (`coordinate=gaode` tells Amap the point is already GCJ-02).
 */
export function navigationUrl(lon: number, lat: number, name: string): string {
  const [gLon, gLat] = gcoord.transform([lon, lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
  const to = `${gLon.toFixed(6)},${gLat.toFixed(6)},${name
    .replace(/[,\s]+/g, ' ')
    .trim()
    .slice(0, 40)}`;
  const q = new URLSearchParams({ to, mode: 'car', src: 'egret', coordinate: 'gaode', callnative: '1' });
  return `https://uri.amap.com/navigation?${q.toString()}`;
}
