/** vt-pbf ships no types: the one function the tests use. */
declare module 'vt-pbf' {
  const vtpbf: {
    /** Encodes geojson-vt tiles, one per source layer name, as an MVT protobuf. */
    fromGeojsonVt(layers: Record<string, unknown>, options?: { version?: number; extent?: number }): Uint8Array;
  };
  export default vtpbf;
}
