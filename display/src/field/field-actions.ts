/** What the root component calls for the side effects it may not do itself (main.ts implements them). */
export interface FieldActions {
  logIn(user: string, password: string): Promise<{ ok: true } | { ok: false; reason: string }>;
  logOut(): Promise<void>;
  setDuty(on: boolean): Promise<void>;
}
