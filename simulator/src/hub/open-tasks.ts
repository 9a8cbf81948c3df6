import { isTaskActive, redisKeys, Task, Unit } from '@egret/protocol';
import type { Redis } from '../publish/connect.ts';

const CHUNK = 1_000;

/**
 * The tasks the hub still holds open for these units — left over when a simulator stops while its units are on
 * tasks. Read from the hub's live entities (units, then their tasks), so it costs a look-up per unit whatever the
 * history; entries that do not parse are skipped.
 */
export async function openTasksOf(client: Redis, ns: string, unitIds: readonly string[]): Promise<Task[]> {
  const keys = redisKeys(ns);
  const taskIds: string[] = [];
  for (let i = 0; i < unitIds.length; i += CHUNK) {
    const stored = await client.hmGet(keys.units, unitIds.slice(i, i + CHUNK) as string[]);
    for (const json of stored) {
      const unit = json ? Unit.safeParse(safeJson(json)) : undefined;
      if (unit?.success && unit.data.taskId !== undefined) taskIds.push(unit.data.taskId);
    }
  }
  const tasks: Task[] = [];
  for (let i = 0; i < taskIds.length; i += CHUNK) {
    const stored = await client.hmGet(keys.tasks, taskIds.slice(i, i + CHUNK));
    for (const json of stored) {
      const task = json ? Task.safeParse(safeJson(json)) : undefined;
      if (task?.success && isTaskActive(task.data)) tasks.push(task.data);
    }
  }
  return tasks;
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}
