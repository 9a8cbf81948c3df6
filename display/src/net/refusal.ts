/**
 * A handshake the hub refused for now, not for good: it could not check the credentials (`unavailable:`, its Redis
 * away, as in a failover). Socket.IO does not retry a refused handshake by itself (the socket goes inactive), so a
 * screen would stay down until someone reloads it; such a refusal is retried after {@link REFUSAL_RETRY_MS}.
 */
export const REFUSAL_RETRY_MS = 3_000;

export function refusedForNow(message: string): boolean {
  return message.startsWith('unavailable:');
}
