// The frame monitor on a stand-in for the <video> element (node --test, run by the ops-console module's tests).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { FrameMonitor } from '../../main/web/player/frame-monitor.js';

/** Just what the monitor uses of a <video> element; frames are presented by calling present(). */
class FakeVideo {
  constructor(videoWidth) {
    this.videoWidth = videoWidth;
    this.currentTime = 0;
    this.paused = false;
    this.listeners = new Map();
    this.frameCallback = null;
  }
  requestVideoFrameCallback(callback) { this.frameCallback = callback; return 1; }
  cancelVideoFrameCallback() { this.frameCallback = null; }
  addEventListener(type, listener) { this.listeners.set(type, listener); }
  removeEventListener(type, listener) { if (this.listeners.get(type) === listener) this.listeners.delete(type); }
  advance(seconds) {
    this.currentTime += seconds;
    this.listeners.get('timeupdate')?.();
  }
  present() { this.frameCallback?.(performance.now(), { mediaTime: this.currentTime }); }
}

function watch(video, mediaTimeoutMs = 10_000) {
  const seen = { firstFrames: 0, stopped: 0, latencies: [] };
  const monitor = new FrameMonitor(video, () => null, { offsetMs: 0 }, mediaTimeoutMs, {
    onFirstFrame: () => seen.firstFrames++,
    onLatency: (ms) => seen.latencies.push(ms),
    onStall: () => {},
    onStopped: () => seen.stopped++,
  });
  return { monitor, seen };
}

test('an element without a picture plays when its time advances: an audio-only stream starts', () => {
  const video = new FakeVideo(0);
  const { monitor, seen } = watch(video);
  video.advance(0);
  assert.equal(seen.firstFrames, 0, 'time standing still is no progress');
  video.advance(0.25);
  video.advance(0.25);
  assert.equal(seen.firstFrames, 1);
  assert.equal(monitor.audioOnly, true);
  assert.equal(monitor.frames, 0, 'no video frame was shown');
  monitor.stop();
  assert.equal(video.listeners.has('timeupdate'), false, 'stop removes the listener');
});

test('with a picture, only presented frames count', () => {
  const video = new FakeVideo(640);
  const { monitor, seen } = watch(video);
  video.advance(0.5);
  assert.equal(seen.firstFrames, 0, 'the time of a video that shows no frame is no progress');
  video.present();
  assert.equal(seen.firstFrames, 1);
  assert.equal(monitor.frames, 1);
  assert.equal(monitor.audioOnly, false);
  monitor.stop();
});

test('audio that stops advancing is media stopped', async () => {
  const video = new FakeVideo(0);
  const { monitor, seen } = watch(video, 150);
  video.advance(0.25);
  await sleep(400);
  assert.equal(seen.stopped, 1);
  monitor.stop();
});
