// Watches the <video> element frame by frame (requestVideoFrameCallback): first frame, stalls, media stopping,
// and end-to-end latency of each frame shown, from the session's map of frames to ingest stamps. A stream without
// video (a radio-style audio-only stream) presents no frames: there, the element's time advancing is the progress.

/** A pause in presented frames longer than this while playing counts as a stall (a freeze a viewer notices). */
const STALL_GAP_MS = 500;

export class FrameMonitor {
  /**
   * @param video            the element the session plays into
   * @param ingestTimeOf     (metadata) => ingest wall-clock ms of the frame being presented, or null
   * @param clock            { offsetMs } from measureClockOffset
   * @param mediaTimeoutMs   after the first frame, no frame for this long is a failure ("media-stopped")
   * @param callbacks        { onFirstFrame(), onLatency(ms), onStall(durationMs), onStopped() }
   */
  constructor(video, ingestTimeOf, clock, mediaTimeoutMs, callbacks) {
    this.video = video;
    this.ingestTimeOf = ingestTimeOf;
    this.clock = clock;
    this.mediaTimeoutMs = mediaTimeoutMs;
    this.callbacks = callbacks;
    this.frames = 0;
    this.lastFrameAt = null;
    this.stallStartedAt = null;
    this.stopped = false;
    /** True once the element has played without a picture: audio only, no frames and no stamps to read. */
    this.audioOnly = false;
    this.lastTime = video.currentTime;
    this.handle = video.requestVideoFrameCallback((now, metadata) => this.onFrame(now, metadata));
    this.onTimeUpdate = () => this.onAudioProgress();
    video.addEventListener('timeupdate', this.onTimeUpdate);
    this.watchdog = setInterval(() => this.check(), 100);
  }

  onFrame(now, metadata) {
    if (this.stopped) return;
    this.frames++;
    this.progressed();
    const ingest = this.ingestTimeOf(metadata);
    if (ingest !== null && ingest !== undefined) {
      // When the frame is (expected to be) on screen, in the node's clock.
      const displayWall = performance.timeOrigin + (metadata.expectedDisplayTime || now);
      this.callbacks.onLatency(displayWall + this.clock.offsetMs - ingest);
    }
    this.handle = this.video.requestVideoFrameCallback((n, m) => this.onFrame(n, m));
  }

  /** The element's time advanced (timeupdate, about four times a second): progress only where there is no picture. */
  onAudioProgress() {
    if (this.stopped || this.video.videoWidth > 0) return;
    const time = this.video.currentTime;
    if (!(time > this.lastTime)) return;
    this.lastTime = time;
    this.audioOnly = true;
    this.progressed();
  }

  progressed() {
    const at = performance.now();
    if (this.stallStartedAt !== null) {
      this.callbacks.onStall(at - this.stallStartedAt);
      this.stallStartedAt = null;
    }
    if (this.lastFrameAt === null) this.callbacks.onFirstFrame();
    this.lastFrameAt = at;
  }

  check() {
    if (this.stopped || this.lastFrameAt === null) return;
    const quiet = performance.now() - this.lastFrameAt;
    if (this.stallStartedAt === null && quiet > STALL_GAP_MS && !this.video.paused) {
      this.stallStartedAt = this.lastFrameAt;
    }
    if (quiet > this.mediaTimeoutMs) {
      this.stop();
      this.callbacks.onStopped();
    }
  }

  /** Reports a stall still going on (the picture frozen when the session ends), so that it is not lost. */
  finishStall() {
    if (this.stopped || this.stallStartedAt === null) return;
    this.callbacks.onStall(performance.now() - this.stallStartedAt);
    this.stallStartedAt = null;
  }

  stop() {
    this.stopped = true;
    clearInterval(this.watchdog);
    this.video.cancelVideoFrameCallback(this.handle);
    this.video.removeEventListener('timeupdate', this.onTimeUpdate);
  }
}

/** Remembers the newest media-time → ingest-time pairs (bounded) and finds the one for a presented frame. */
export class StampTimeline {
  constructor(capacity = 600) {
    this.capacity = capacity;
    this.entries = [];
  }

  add(mediaMs, ingestMs) {
    this.entries.push([mediaMs, ingestMs]);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  /**
   * The ingest time of the frame at mediaMs: the stamp of the newest stamped frame at or before it, advanced by
   * the media time in between (frames without a stamp of their own); null when no stamp is near.
   */
  ingestAt(mediaMs, toleranceMs = 2000) {
    let best = null;
    for (const entry of this.entries) {
      if (entry[0] <= mediaMs + 0.5 && (best === null || entry[0] > best[0])) best = entry;
    }
    if (best === null || mediaMs - best[0] > toleranceMs) return null;
    return best[1] + (mediaMs - best[0]);
  }
}
