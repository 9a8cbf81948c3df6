import type { Case, Sensor, Storm, Task, Unit } from '@egret/protocol';

/** Entities as read from the store, by id. An id that was asked for and is missing is simply absent. */
export interface LoadedEntities {
  cases: Map<string, Case>;
  units: Map<string, Unit>;
  tasks: Map<string, Task>;
  storms: Map<string, Storm>;
  sensors: Map<string, Sensor>;
}

/** The entities a decision asks for (with `follow`, the store adds what they link to). */
export interface EntityIds {
  caseIds?: readonly string[];
  unitIds?: readonly string[];
  taskIds?: readonly string[];
  stormIds?: readonly string[];
  sensorIds?: readonly string[];
}

/** An empty LoadedEntities. */
export function noEntities(): LoadedEntities {
  return { cases: new Map(), units: new Map(), tasks: new Map(), storms: new Map(), sensors: new Map() };
}
