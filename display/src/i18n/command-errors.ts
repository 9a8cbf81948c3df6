import type { CommandError } from '@egret/protocol';
import type { NoAnswerError } from '../state/commands.ts';
import type { MessageKey } from './translate.ts';

/** The message of every refusal the hub can give (`COMMAND_ERRORS`) and of a missing answer: a gap fails to compile. */
export const COMMAND_ERROR_MESSAGES: Readonly<Record<CommandError | NoAnswerError, MessageKey>> = {
  bad_request: 'commandError.bad_request',
  unknown_command: 'commandError.unknown_command',
  unknown_case: 'commandError.unknown_case',
  unknown_unit: 'commandError.unknown_unit',
  unknown_task: 'commandError.unknown_task',
  unknown_camera: 'commandError.unknown_camera',
  no_playback: 'commandError.no_playback',
  unit_busy: 'commandError.unit_busy',
  unit_unavailable: 'commandError.unit_unavailable',
  case_already_dispatched: 'commandError.case_already_dispatched',
  case_not_dispatched: 'commandError.case_not_dispatched',
  same_unit: 'commandError.same_unit',
  illegal_transition: 'commandError.illegal_transition',
  reason_required: 'commandError.reason_required',
  task_finished: 'commandError.task_finished',
  not_extendable: 'commandError.not_extendable',
  no_deadline: 'commandError.no_deadline',
  already_overdue: 'commandError.already_overdue',
  invalid_extension: 'commandError.invalid_extension',
  already_supervised: 'commandError.already_supervised',
  case_finished: 'commandError.case_finished',
  already_in_mode: 'commandError.already_in_mode',
  unknown_plan: 'commandError.unknown_plan',
  unknown_level: 'commandError.unknown_level',
  unknown_action: 'commandError.unknown_action',
  already_at_level: 'commandError.already_at_level',
  plan_not_active: 'commandError.plan_not_active',
  idempotency_key_reused: 'commandError.idempotency_key_reused',
  busy: 'commandError.busy',
  unavailable: 'commandError.unavailable',
  internal: 'commandError.internal',
  timeout: 'commandError.timeout',
  offline: 'commandError.offline',
};

/** The message key of a refusal; an error this display does not know reads as a plain refusal. */
export function commandErrorKey(error: string): MessageKey {
  return (COMMAND_ERROR_MESSAGES as Record<string, MessageKey>)[error] ?? 'commandError.unknown';
}
