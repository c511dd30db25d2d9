// Sends QoE reports to the node (POST /api/v1/qoe, format in docs/CONSOLE.md): every few seconds, and whenever the
// protocol changes so that each report describes one protocol. Latency is sampled at most every 100 ms.

const SAMPLE_SPACING_MS = 100;
const MAX_SAMPLES = 200;
/** Refusals that may pass: the stream is not yet live on the node, too many reports, the node is busy. */
const RETRYABLE_STATUS = new Set([404, 429, 502, 503, 504]);

export class QoeReporter {
  constructor(source, intervalMs) {
    this.source = source;
    this.session = randomSessionId();
    this.protocol = null;
    this.sent = 0;
    this.failed = 0;
    /** Why the latest report did not arrive (for debugging), or null. */
    this.lastFailure = null;
    this.lastSampleAt = 0;
    /** Since when the player has been playing (performance.now()), or null; watched time is counted from it. */
    this.playingSince = null;
    this.reset();
    this.timer = setInterval(() => this.flush(), intervalMs);
    this.onPageHide = () => this.flush(true);
    window.addEventListener('pagehide', this.onPageHide);
  }

  reset() {
    this.latency = [];
    this.stalls = 0;
    this.stallMs = 0;
    this.watchedMs = 0;
    this.fallbacks = [];
    this.startupReport = null;
  }

  /** Starts reporting for a new protocol, sending what was gathered for the previous one first. */
  setProtocol(protocol) {
    this.flush();
    this.protocol = protocol;
  }

  addLatency(ms) {
    const now = performance.now();
    // A negative latency means the clock offset is off by more than the latency; such samples are not reported.
    if (ms < 0 || now - this.lastSampleAt < SAMPLE_SPACING_MS || this.latency.length >= MAX_SAMPLES) return;
    this.lastSampleAt = now;
    this.latency.push(Math.round(ms * 10) / 10);
  }

  addStall(durationMs) {
    this.stalls++;
    this.stallMs += durationMs;
  }

  /** Playing (from the first frame, stalls included) or not; the time playing is the stall rate's denominator. */
  setPlaying(playing) {
    const now = performance.now();
    if (this.playingSince !== null) this.watchedMs += now - this.playingSince;
    this.playingSince = playing ? now : null;
  }

  setStartup(startup) {
    this.startupReport = startup;
  }

  addFallback(from, to, reason) {
    if (this.fallbacks.length < 8) this.fallbacks.push({ from, to, reason });
  }

  flush(pageHidden = false) {
    if (this.protocol === null) return;
    if (this.playingSince !== null) this.setPlaying(true);
    if (!this.watchedMs && !this.latency.length && !this.stalls && !this.fallbacks.length && !this.startupReport && this.sent > 0) {
      return;
    }
    const report = {
      app: this.source.app,
      stream: this.source.stream,
      session: this.session,
      protocol: this.protocol,
      startup: this.startupReport || undefined,
      stalls: { count: this.stalls, durationMs: Math.round(this.stallMs) },
      watchedMs: Math.round(this.watchedMs),
      e2eLatencyMs: this.latency,
      fallbacks: this.fallbacks,
    };
    this.reset();
    const url = `${this.source.httpBase}/api/v1/qoe`;
    const body = JSON.stringify(report);
    if (pageHidden && navigator.sendBeacon) {
      // text/plain: a beacon to another origin may not carry application/json.
      navigator.sendBeacon(url, new Blob([body], { type: 'text/plain' }));
      return;
    }
    fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, keepalive: true })
      .then((response) => {
        if (response.ok) {
          this.sent++;
        } else {
          this.reportFailed(report, `HTTP ${response.status}`, RETRYABLE_STATUS.has(response.status));
        }
      })
      .catch((error) => this.reportFailed(report, String(error), true));
  }

  /**
   * A report that did not arrive. Its fallbacks go with the next report when the failure may pass (the node was
   * busy, the stream not yet known there, the network broke): they are rare, they name their own protocol, and a
   * player that left artc for good would otherwise never be counted. Samples are not carried: they describe the
   * protocol the report was about, and newer ones follow anyway.
   */
  reportFailed(report, why, retryable) {
    this.failed++;
    this.lastFailure = why;
    if (!retryable) return;
    for (const fallback of report.fallbacks) this.addFallback(fallback.from, fallback.to, fallback.reason);
  }

  close() {
    this.flush(true);
    clearInterval(this.timer);
    window.removeEventListener('pagehide', this.onPageHide);
  }
}

function randomSessionId() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
