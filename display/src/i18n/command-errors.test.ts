import { describe, expect, it } from 'vitest';
import { COMMAND_ERRORS } from '@egret/protocol';
import { COMMAND_ERROR_MESSAGES, commandErrorKey } from './command-errors.ts';
import { translate } from './translate.ts';

describe(commandErrorKey.name, () => {
  it('has its own words for every refusal the hub can give', () => {
    for (const error of Object.keys(COMMAND_ERRORS)) {
      expect(commandErrorKey(error), error).not.toBe('commandError.unknown');
      expect(COMMAND_ERROR_MESSAGES).toHaveProperty(error);
    }
  });

  it('says clearly that the unit is busy', () => {
    expect(translate('zh', commandErrorKey('unit_busy'))).toBe('该队员正在执行其他任务');
    expect(translate('en', commandErrorKey('unit_busy'))).toBe('This unit is on another task');
  });

  it('reads an error it does not know as a plain refusal', () => {
    expect(commandErrorKey('something_new')).toBe('commandError.unknown');
  });
});
