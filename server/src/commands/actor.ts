import type { Actor } from '@egret/protocol';
import type { Principal } from '../auth/permissions.ts';

/**
 * Who a command is attributed to — the one place that decides it. With accounts (auth mode `required`, see
 * server/src/auth) the actor is the authenticated caller: `principalActor`. In `open` mode (tests, closed-lab
 * demos) every caller is a commander named by what it says it is: a screen by `auth.user` in its Socket.IO
 * handshake, a system by its `X-Egret-User` header. Nothing here grants or checks a permission
 * (auth/permissions.ts does); it only labels the log events and the audit trail.
 */
export function commandActor(claimedUser: unknown, fallback: string): Actor {
  return { role: 'commander', id: actorId(claimedUser) ?? fallback };
}

/** A screen's actor, from its handshake `auth` (`io(url, { auth: { user } })`); unnamed consoles are `console`. */
export function socketActor(auth: unknown): Actor {
  return commandActor((auth as { user?: unknown } | undefined)?.user, 'console');
}

/** A system's actor, from its `X-Egret-User` header; unnamed callers are `api`. */
export function httpActor(header: string | undefined): Actor {
  return commandActor(header, 'api');
}

/** A usable id: a non-empty string, cut to the 64 characters an Actor id may have. */
function actorId(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const id = v.trim().slice(0, 64);
  return id.length > 0 ? id : undefined;
}

/** The actor of an authenticated caller: its role as the log knows it (an ingest key is `upstream`) and its name. */
export function principalActor(p: Principal): Actor {
  const role = p.role === 'ingest' ? 'upstream' : p.role;
  const id = p.kind === 'wall' ? `wall:${p.id}` : p.id;
  return { role, id: id.slice(0, 64) };
}

/** Open mode's caller: a commander named by what it claims (`auth.user`, `X-Egret-User`), or `fallback`. */
export function principalOf(claimedUser: unknown, fallback: string): Principal {
  return { kind: 'open', role: 'commander', id: commandActor(claimedUser, fallback).id };
}
