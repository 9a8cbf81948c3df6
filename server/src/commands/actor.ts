import type { Actor } from '@egret/protocol';

/**
 * Who a command is attributed to — the one place that decides it, so that accounts and roles (a later issue) can
 * replace it without touching the commands. For now every caller is a commander, named by what it says it is:
 * a screen by `auth.user` in its Socket.IO handshake, a system by its `X-Egret-User` header. Nothing here grants
 * or checks a permission; it only labels the log events and the audit trail.
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
