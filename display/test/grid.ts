import type { GridMap } from '@egret/protocol';

/** Two whole squares in Siming, and square (0, 2) cut by the border between Siming and Huli at lon 118.012. */
export const SMALL_GRID: GridMap = {
  cellM: 500,
  lattice: { origin: [118, 24.4], cellLon: 0.005, cellLat: 0.0045 },
  cells: [
    { id: '350203000000001', district: '350203', row: 0, col: 0 },
    { id: '350203000001001', district: '350203', row: 0, col: 1 },
    {
      id: '350203000002001',
      district: '350203',
      row: 0,
      col: 2,
      rings: [
        [
          [118.01, 24.4],
          [118.012, 24.4],
          [118.012, 24.4045],
          [118.01, 24.4045],
          [118.01, 24.4],
        ],
      ],
    },
    {
      id: '350206000002001',
      district: '350206',
      row: 0,
      col: 2,
      rings: [
        [
          [118.012, 24.4],
          [118.015, 24.4],
          [118.015, 24.4045],
          [118.012, 24.4045],
          [118.012, 24.4],
        ],
      ],
    },
  ],
};
