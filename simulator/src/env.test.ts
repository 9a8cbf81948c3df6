import { describe, expect, it } from 'vitest';
import { loadConfig } from '@egret/config';
import { readSimEnv, SimEnvError } from './env.ts';

const settings = loadConfig().settings.simulator;

describe(readSimEnv.name, () => {
  it('takes defaults from settings when only REDIS_URL is set', () => {
    const env = readSimEnv({ REDIS_URL: 'redis://127.0.0.1:6379' }, [], settings);
    expect(env).toMatchObject({
      redisUrl: 'redis://127.0.0.1:6379',
      ns: 'egret',
      scenario: 'normal-day',
      seed: settings.seed,
      rate: settings.rate,
      start: undefined,
      units: undefined,
      fixIntervalMs: settings.fixIntervalMs,
    });
  });

  it('reads every variable, and --scenario wins over SIM_SCENARIO', () => {
    const env = readSimEnv(
      {
        REDIS_URL: 'redis://h:1',
        EGRET_NS: 'drill',
        SIM_SCENARIO: 'normal-day',
        SIM_SEED: '7',
        SIM_RATE: '60',
        SIM_START: '2016-09-14T06:00:00+08:00',
        SIM_UNITS: '50000',
        LOAD_UNITS: '1000',
        LOAD_CASES_PER_MIN: '120',
        SIM_SENSOR_EVERY_MIN: '30',
      },
      ['--scenario', 'load'],
      settings,
    );
    expect(env).toMatchObject({
      ns: 'drill',
      scenario: 'load',
      seed: 7,
      rate: 60,
      start: Date.parse('2016-09-13T22:00:00Z'),
      units: 50_000,
      loadUnits: 1000,
      loadCasesPerMin: 120,
      sensorEveryMinutes: 30,
    });
    expect(() => readSimEnv({ REDIS_URL: 'redis://h:1', SIM_SENSOR_EVERY_MIN: '0' }, [], settings)).toThrow(
      /SIM_SENSOR_EVERY_MIN=0/,
    );
    expect(readSimEnv({ REDIS_URL: 'redis://h:1', SIM_SEED: 'drill-a' }, ['--scenario=load'], settings)).toMatchObject({
      scenario: 'load',
      seed: 'drill-a',
    });
  });

  it('asks the local hub and dispatches automatically unless told otherwise', () => {
    expect(readSimEnv({ REDIS_URL: 'redis://h:1' }, [], settings)).toMatchObject({
      hubUrl: 'http://127.0.0.1:8080',
      autoDispatch: true,
    });
    expect(
      readSimEnv(
        { REDIS_URL: 'redis://h:1', HUB_URL: 'https://wall.example:8443/', SIM_AUTO_DISPATCH: '0' },
        [],
        settings,
      ),
    ).toMatchObject({ hubUrl: 'https://wall.example:8443/', autoDispatch: false });
    expect(() =>
      readSimEnv({ REDIS_URL: 'redis://h:1', HUB_URL: 'wall:8080', SIM_AUTO_DISPATCH: 'maybe' }, [], settings),
    ).toThrow(
      /HUB_URL=wall:8080: expected an http:\/\/ or https:\/\/ URL[\s\S]*SIM_AUTO_DISPATCH=maybe: expected 1 or 0/,
    );
  });

  it('names every bad variable and what it expects', () => {
    let error: unknown;
    try {
      readSimEnv(
        { SIM_RATE: '0', SIM_UNITS: '1.5', SIM_START: 'yesterday', EGRET_NS: 'a b' },
        ['--scenario'],
        settings,
      );
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SimEnvError);
    const message = (error as Error).message;
    expect(message).toMatch(/REDIS_URL: required/);
    expect(message).toMatch(/SIM_RATE=0: expected a number above 0/);
    expect(message).toMatch(/SIM_UNITS=1\.5: expected a whole number/);
    expect(message).toMatch(/SIM_START=yesterday: expected an ISO time/);
    expect(message).toMatch(/EGRET_NS=a b/);
    expect(message).toMatch(/--scenario: expected a scenario name/);
  });
});
