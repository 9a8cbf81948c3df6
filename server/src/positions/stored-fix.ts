import type { SlotFix } from '@egret/protocol';

/**
 * A unit's latest fix as stored in Redis: one field per unit id in the `keys.positions` hash, its value the text
 * `lon,lat,at` (degrees as the gateway sent them, `at` in epoch ms of world time). Text rather than packed bytes so
 * the Lua compare-and-set can read `at` and an operator can read it with `HGET`.
 *
 * This module is the one reader and writer on the TypeScript side; the Lua side is {@link LUA_STORED_FIX}, pasted
 * into the scripts that need it, so both sides of the format sit in this file.
 */
export interface StoredFix {
  lon: number;
  lat: number;
  /** World time of the fix, epoch ms. */
  at: number;
}

/** The stored text of a fix. */
export function encodeStoredFix({ lon, lat, at }: StoredFix): string {
  return `${lon},${lat},${at}`;
}

/** A stored fix, or undefined when missing or unreadable. */
export function decodeStoredFix(stored: string | null | undefined): StoredFix | undefined {
  if (!stored) return undefined;
  const [lon, lat, at] = stored.split(',', 3).map(Number);
  if (
    lon === undefined ||
    lat === undefined ||
    at === undefined ||
    !Number.isFinite(lon) ||
    !Number.isFinite(lat) ||
    !Number.isFinite(at)
  )
    return undefined;
  return { lon, lat, at };
}

/** A unit's stored fix at its frame slot (as the ticker and keyframes read them), or undefined when either is unreadable. */
export function slotFix(slot: string | undefined, stored: string | null | undefined): SlotFix | undefined {
  const s = Number(slot);
  const fix = slot === undefined || !Number.isInteger(s) ? undefined : decodeStoredFix(stored);
  return fix && { slot: s, ...fix };
}

/**
 * The same format in Lua: `stored_fix(lon, lat, at)` writes it (the arguments are the strings the hub passed, so
 * the text is byte for byte what {@link encodeStoredFix} makes of the numbers), `stored_fix_at(text)` reads the
 * time, or a false value when there is none (HMGET answers false for a missing field). The pattern is anchored at the start, so matching is linear in the text's length.
 */
export const LUA_STORED_FIX = `
local function stored_fix(lon, lat, at) return lon .. ',' .. lat .. ',' .. at end
local function stored_fix_at(text) return text and tonumber(string.match(text, '^[^,]*,[^,]*,(.*)$')) end
`;
