/**
 * The squads' duty areas (责任区) are the city's, in `@egret/config` (duty-areas.ts): the simulator's roster and the
 * hub's plan engine (a round's inspection goes to the squad holding the point's grid) split the cells the same way.
 */
export { partitionCells } from '@egret/config';
