/** What the hub pushes on the `/field` socket (protocol/src/field.ts), with the photos the phone shows. */
import type { Case, FieldState, PhotoRef, Task } from '@egret/protocol';

export type { FieldMe } from '@egret/protocol';

/** A case as the phone sees it: with its photos (contract item 3). */
export type FieldCase = Case & { photos?: PhotoRef[] };

export type FieldStatePush = FieldState;

/** A task with its case, as the task screens take it. */
export interface FieldTask {
  task: Task;
  case: FieldCase | undefined;
}
