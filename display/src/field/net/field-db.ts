/**
 * The field terminal's IndexedDB (through `idb`): the outbox (one record, written whole after every step, so it is
 * never half-saved), the photos waiting to be uploaded (blobs, by key), the phone's credential and its settings.
 * The edge of the outbox: queue.ts and runner.ts never see IndexedDB.
 */
import type { HubConfig } from '@egret/protocol';
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { emptyOutbox, type Outbox } from '../outbox/queue.ts';

/** Who this phone is: a paired unit's device (token) or a signed-in inspector (the session is an HttpOnly cookie). */
export type FieldCredential =
  { kind: 'device'; token: string; unitId: string; unitName: string } | { kind: 'inspector'; name: string };

export interface FieldSettings {
  locale: 'zh' | 'en';
  onDuty: boolean;
  /** One fix per this many ms while on duty. */
  fixIntervalMs: number;
}

export const DEFAULT_SETTINGS: FieldSettings = { locale: 'zh', onDuty: false, fixIntervalMs: 5_000 };

interface FieldSchema extends DBSchema {
  kv: { key: string; value: unknown };
  photos: { key: string; value: { blob: Blob; type: string } };
}

export interface FieldDb {
  outbox(): Promise<Outbox>;
  saveOutbox(box: Outbox): Promise<void>;
  putPhoto(key: string, blob: Blob): Promise<void>;
  photo(key: string): Promise<Blob | undefined>;
  deletePhotos(keys: string[]): Promise<void>;
  credential(): Promise<FieldCredential | null>;
  setCredential(c: FieldCredential | null): Promise<void>;
  settings(): Promise<FieldSettings>;
  /** The city's config as last fetched, for opening with no network. */
  config(): Promise<HubConfig | null>;
  saveConfig(c: HubConfig): Promise<void>;
  saveSettings(s: FieldSettings): Promise<void>;
}

export async function openFieldDb(name = 'egret-field'): Promise<FieldDb> {
  const db: IDBPDatabase<FieldSchema> = await openDB<FieldSchema>(name, 1, {
    upgrade(d) {
      d.createObjectStore('kv');
      d.createObjectStore('photos');
    },
  });
  return {
    async outbox() {
      return ((await db.get('kv', 'outbox')) as Outbox | undefined) ?? emptyOutbox();
    },
    async saveOutbox(box) {
      await db.put('kv', box, 'outbox');
    },
    async putPhoto(key, blob) {
      await db.put('photos', { blob, type: blob.type }, key);
    },
    async photo(key) {
      return (await db.get('photos', key))?.blob;
    },
    async deletePhotos(keys) {
      const tx = db.transaction('photos', 'readwrite');
      await Promise.all([...keys.map((k) => tx.store.delete(k)), tx.done]);
    },
    async credential() {
      return ((await db.get('kv', 'credential')) as FieldCredential | undefined) ?? null;
    },
    async setCredential(c) {
      if (c) await db.put('kv', c, 'credential');
      else await db.delete('kv', 'credential');
    },
    async settings() {
      return { ...DEFAULT_SETTINGS, ...((await db.get('kv', 'settings')) as Partial<FieldSettings> | undefined) };
    },
    async config() {
      return ((await db.get('kv', 'config')) as HubConfig | undefined) ?? null;
    },
    async saveConfig(c) {
      await db.put('kv', c, 'config');
    },
    async saveSettings(s) {
      await db.put('kv', s, 'settings');
    },
  };
}
