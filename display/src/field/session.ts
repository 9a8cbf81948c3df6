/**
 * The phone's side effects, wired once per credential: the `/field` socket (state pushes, the outbox's length and
 * duty reported back), the outbox runner against the hub, the position watch while on duty (fixes paced to the
 * configured interval, accuracy kept), the screen wake lock while on duty, and the new-task alert.
 */
import type { FieldApp } from './field-app.svelte.ts';
import { initialPacer, pacePosition, paceTick, type PhonePosition } from './lib/fix-pacer.ts';
import { connectFieldSocket, postFixes, type FieldSocket } from './net/field-api.ts';
import type { FieldCredential } from './net/field-db.ts';

export interface FieldSession {
  socket: FieldSocket;
  /** Duty on or off: position watch and wake lock follow. */
  setDuty(on: boolean): Promise<void>;
  /** Tells the hub the outbox's length and duty now. */
  sendStatus(): void;
  close(): void;
}

export function startSession(app: FieldApp, credential: FieldCredential): FieldSession {
  const socket = connectFieldSocket(credential);
  const sendStatus = () => {
    if (socket.connected)
      socket.emit('field:status', { pending: app.outbox.items.length, onDuty: app.settings.onDuty });
  };
  socket.on('connect', () => {
    app.link = 'live';
    app.runner?.online();
    sendStatus();
  });
  socket.on('disconnect', () => {
    app.link = 'offline';
  });
  socket.on('connect_error', (err) => {
    app.link = 'offline';
    const code = /revoked/i.test(err.message) ? 'revoked' : /unauth/i.test(err.message) ? 'unauthenticated' : null;
    if (!code) return; // no link, or the hub restarting: Socket.IO tries again
    // Refused for who it is: trying again changes nothing (and would repeat the notice every few seconds).
    socket.disconnect();
    app.refusedNotice(code, err.message);
  });
  socket.on('field:state', (s) => {
    app.link = 'live';
    app.receive(s);
  });
  socket.on('field:ended', (why) => app.refusedNotice(why.code, why.message));

  // Positions: only a unit's device reports them (an inspector's phone places the pin of a report only).
  let watch: number | null = null;
  let pacer = initialPacer();
  let tick: ReturnType<typeof setInterval> | null = null;
  let wake: { release(): Promise<void> } | null = null;
  const send = (p: PhonePosition | null) => {
    if (!p || credential.kind !== 'device') return;
    void postFixes(credential, [
      { unitId: credential.unitId, lon: p.lon, lat: p.lat, at: p.at, accuracy: Math.round(p.accuracy) },
    ]).catch(() => undefined); // a lost fix is replaced by the next one: positions are latest-wins
  };
  const onPosition = (pos: GeolocationPosition) => {
    const p: PhonePosition = {
      lon: pos.coords.longitude,
      lat: pos.coords.latitude,
      accuracy: pos.coords.accuracy,
      at: Date.now(),
    };
    app.position = p;
    app.positionError = null;
    // Off duty nothing is sent, and nothing is paced: the reading waits in `app.position` for going on duty.
    if (app.settings.onDuty) pace(p);
  };
  const pace = (p: PhonePosition) => {
    const r = pacePosition(pacer, p, Date.now(), app.settings.fixIntervalMs);
    pacer = r.state;
    send(r.send);
  };
  const onError = (e: GeolocationPositionError) => {
    app.positionError = e.message || String(e.code);
  };
  const watchPosition = () => {
    if (watch !== null || !('geolocation' in navigator)) return;
    watch = navigator.geolocation.watchPosition(onPosition, onError, {
      enableHighAccuracy: true,
      maximumAge: 2_000,
      timeout: 30_000,
    });
  };
  const lockScreen = async () => {
    const wl = (navigator as Navigator & { wakeLock?: { request(t: 'screen'): Promise<{ release(): Promise<void> }> } })
      .wakeLock;
    if (!wl || wake || document.visibilityState !== 'visible') return;
    try {
      wake = await wl.request('screen');
    } catch {
      wake = null; // refused (battery saver, no user gesture): the page still works
    }
  };
  const onVisible = () => {
    if (document.visibilityState === 'visible' && app.settings.onDuty) {
      wake = null; // the browser releases the lock when the page is hidden
      void lockScreen();
    }
  };
  document.addEventListener('visibilitychange', onVisible);

  const setDuty = async (on: boolean) => {
    await app.saveSettings({ ...app.settings, onDuty: on });
    if (on) {
      watchPosition();
      pacer = initialPacer();
      // The latest reading goes at once: a phone standing still may not report again for a long while, and a reading
      // taken while the duty switch was being saved would otherwise never be sent.
      if (app.position) pace(app.position);
      tick ??= setInterval(() => {
        const r = paceTick(pacer, Date.now(), app.settings.fixIntervalMs);
        pacer = r.state;
        if (app.settings.onDuty) send(r.send);
      }, 1_000);
      await lockScreen();
    } else {
      if (tick) clearInterval(tick);
      tick = null;
      if (wake) await wake.release().catch(() => undefined);
      wake = null;
    }
    sendStatus();
  };
  // The inspector's report needs the phone's position too (the pin starts there).
  watchPosition();
  if (app.settings.onDuty && credential.kind === 'device') void setDuty(true);

  return {
    socket,
    setDuty,
    sendStatus,
    close() {
      socket.close();
      if (watch !== null) navigator.geolocation.clearWatch(watch);
      if (tick) clearInterval(tick);
      document.removeEventListener('visibilitychange', onVisible);
      void wake?.release().catch(() => undefined);
    },
  };
}

/** A short two-tone beep (Web Audio: no sound file to cache) and a vibration, where the browser allows. */
export function newTaskAlert(): () => void {
  let audio: AudioContext | null = null;
  // Browsers start audio only after a touch: the first tap anywhere unlocks it.
  const unlock = () => {
    try {
      audio ??= new AudioContext();
      void audio.resume();
    } catch {
      audio = null;
    }
  };
  document.addEventListener('pointerdown', unlock, { once: true });
  return () => {
    navigator.vibrate?.([300, 150, 300]);
    if (!audio || audio.state !== 'running') return;
    const t = audio.currentTime;
    for (const [i, f] of [880, 1320].entries()) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = f;
      gain.gain.setValueAtTime(0.3, t + i * 0.25);
      gain.gain.exponentialRampToValueAtTime(0.001, t + i * 0.25 + 0.22);
      osc.connect(gain).connect(audio.destination);
      osc.start(t + i * 0.25);
      osc.stop(t + i * 0.25 + 0.23);
    }
  };
}
