/// <reference lib="webworker" />
/**
 * The position frames received off the page's main thread (issue #19): a socket of its own (`stream: 'positions'`:
 * the hub sends it the frames only) whose WebSocket messages, hundreds a second at 50,000 units, arrive here rather
 * than on the page. Frames are decoded and merged (net/frame-merge.ts); one batch at a time goes to the page, its
 * arrays transferred: while the page is busy drawing, frames merge here; while it is idle, each goes at once.
 */
import { io } from 'socket.io-client';
import { decodeFrame, PROTOCOL_VERSION, type HandshakeAuth } from '@egret/protocol';
import { FrameFollower } from './frame-follower.ts';
import { batchBuffers, FrameMerger } from './frame-merge.ts';
import { REFUSAL_RETRY_MS, refusedForNow } from './refusal.ts';
import type { FromPositionsWorker, ToPositionsWorker } from './positions-messages.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const merger = new FrameMerger();
const follower = new FrameFollower();
/** A batch the page has not said it applied. */
let inFlight = false;
let badFrames = 0;
let started = false;

function post(message: FromPositionsWorker, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

function handOver(): void {
  if (inFlight) return;
  const batch = merger.take();
  if (!batch && badFrames === 0) return;
  inFlight = true;
  post({ type: 'batch', batch, badFrames }, batch ? batchBuffers(batch) : []);
  badFrames = 0;
}

function start(url: string): void {
  const auth: HandshakeAuth = { protocol: PROTOCOL_VERSION, stream: 'positions' };
  const socket = io(url, {
    path: '/socket.io',
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
    reconnectionDelay: 500,
    reconnectionDelayMax: 5_000,
    auth,
  });
  socket.on('connect', () => {
    follower.reset();
    post({ type: 'socket', connected: true });
  });
  socket.on('disconnect', (reason) => {
    post({ type: 'socket', connected: false });
    // The hub dropped it on purpose: come back (it starts with a keyframe again).
    if (reason === 'io server disconnect') socket.connect();
  });
  socket.on('connect_error', (err) => {
    if (socket.active) return; // a network failure: Socket.IO retries
    // Refused for now (the hub cannot check credentials): again in a while. Refused for good (its session, say): the
    // page takes over.
    if (refusedForNow(err.message)) setTimeout(() => socket.connect(), REFUSAL_RETRY_MS);
    else post({ type: 'fatal', message: err.message });
  });
  socket.on('units:frame', (bytes: ArrayBuffer | Uint8Array) => {
    let frame;
    try {
      frame = decodeFrame(bytes);
    } catch {
      badFrames++;
      handOver();
      return;
    }
    if (follower.receive(frame).askKeyframe) socket.emit('units:keyframe');
    merger.add(frame);
    handOver();
  });
}

scope.onmessage = (e: MessageEvent<ToPositionsWorker>) => {
  const m = e.data;
  if (m.type === 'start' && !started) {
    started = true;
    start(m.url);
  } else if (m.type === 'ready') {
    inFlight = false;
    handOver();
  }
};
