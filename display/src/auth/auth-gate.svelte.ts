import type { LoginTextKey } from './login-text.ts';

/**
 * Whether this page must show the login page instead of its screen: set when the hub refuses the screen's socket
 * (`connect_error` "unauthenticated: …" or "forbidden: …").
 */
export class AuthGate {
  /** Why the login page is shown (a message key), or null while the screen may show. */
  required = $state<LoginTextKey | null>(null);

  /** @param why what the login page says when the socket is refused (e.g. that a wall's pairing link failed). */
  constructor(private readonly why: LoginTextKey = 'needed') {}

  /** A refusal of the socket handshake, by its message: true when it means "log in" (the page then asks for it). */
  refused(message: string): boolean {
    if (!/^(unauthenticated|forbidden):/.test(message)) return false;
    this.required ??= this.why;
    return true;
  }
}
