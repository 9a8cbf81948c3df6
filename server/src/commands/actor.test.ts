import { describe, expect, it } from 'vitest';
import { httpActor, socketActor } from './actor.ts';

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
