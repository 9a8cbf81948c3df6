import { describe, expect, it } from 'vitest';
import { httpActor, principalActor, socketActor } from './actor.ts';

describe(socketActor.name, () => {
  it('names a commander by the user a screen gives in its handshake, or console', () => {
    expect(socketActor({ user: 'alice' })).toEqual({ role: 'commander', id: 'alice' });
    expect(socketActor({})).toEqual({ role: 'commander', id: 'console' });
    expect(socketActor({ user: 42 })).toEqual({ role: 'commander', id: 'console' });
    expect(socketActor({ user: 'x'.repeat(100) }).id).toHaveLength(64);
  });
});

describe(httpActor.name, () => {
  it('names a system by its X-Egret-User header, or api', () => {
    expect(httpActor('auto-dispatcher')).toEqual({ role: 'commander', id: 'auto-dispatcher' });
    expect(httpActor(undefined)).toEqual({ role: 'commander', id: 'api' });
    expect(httpActor('  ')).toEqual({ role: 'commander', id: 'api' });
  });
});

describe(principalActor.name, () => {
  it('names an authenticated caller by its own role and name, whatever it claims', () => {
    expect(principalActor({ kind: 'user', id: 'dora', role: 'dispatcher', sessionId: 's' })).toEqual({
      role: 'dispatcher',
      id: 'dora',
    });
    expect(principalActor({ kind: 'wall', id: 'lobby', role: 'viewer', sessionId: 's' })).toEqual({
      role: 'viewer',
      id: 'wall:lobby',
    });
    expect(principalActor({ kind: 'apikey', id: 'hotline', role: 'ingest', keyId: 'k' })).toEqual({
      role: 'upstream',
      id: 'hotline',
    });
    expect(principalActor({ kind: 'device', id: 'U-1', role: 'field', unitId: 'U-1', keyId: 'k' })).toEqual({
      role: 'field',
      id: 'U-1',
    });
  });
});
