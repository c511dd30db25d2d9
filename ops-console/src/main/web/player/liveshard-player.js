// LiveShard's web player as one ES module: `import { LiveShardPlayer } from 'http://node:8080/player/liveshard-player.js'`.
// Plays artc (WebRTC via WHEP) and falls back to HTTP-FLV (mpegts.js), then LL-HLS (hls.js), emitting a
// 'fallback' event with the reason each time. Measures end-to-end latency from the node's SEI latency stamps and
// reports QoE to the node. Events (CustomEvent, details in .detail): protocol, firstframe, fallback, retry,
// latency, stall, offline, failed.
import { ArtcSession } from './artc-session.js';
import { measureClockOffset } from './clock-offset.js';
import { FlvSession } from './flv-session.js';
import { FrameMonitor } from './frame-monitor.js';
import { HlsSession } from './hls-session.js';
import { Overlay } from './overlay.js';
import { PlaybackError } from './playback-error.js';
import { QoeReporter } from './qoe-reporter.js';
import { resolveSource } from './source-url.js';

export { resolveSource };

const DEFAULTS = {
  /** Tried in this order; 'hls' (classic, MPEG-TS) may be added. */
  protocols: ['artc', 'http-flv', 'll-hls'],
  /** A protocol that shows no frame within this time (from its start) is left for the next. */
  firstFrameTimeoutMs: 5000,
  /** After the first frame, no new frame for this long means the media stopped. */
  mediaTimeoutMs: 3000,
  /** Restarts of a protocol whose media stopped before falling back. */
  retries: 2,
  /** While the stream is not live (every protocol said so), how often the player tries again from the first. */
  offlineRetryMs: 3000,
  /** How often QoE reports are sent; 0 sends none. */
  reportIntervalMs: 5000,
  /** Show the status overlay over the video. */
  overlay: true,
};

/** Latency samples the overlay's figure is the median of (about half a second at 30 fps). */
const LATENCY_WINDOW = 15;

export class LiveShardPlayer extends EventTarget {
  /** @param video a <video> element; its parent hosts the overlay */
  constructor(video, options = {}) {
    super();
    this.video = video;
    this.options = { ...DEFAULTS, ...options };
    this.generation = 0;
    /** Trying protocols again after 'offline': their fallbacks are not news. */
    this.probing = false;
    this.session = null;
    this.monitor = null;
    this.reporter = null;
    this.overlay = this.options.overlay ? new Overlay(video) : null;
    this.resetStats();
    this.ticker = setInterval(() => this.tick(), 1000);
  }

  resetStats() {
    this.stats = {
      state: 'idle', protocol: null, latencyMs: null, latencyNote: null, bitrateKbps: null, stalls: 0, stallMs: 0,
      fallbacks: [], startup: null, framesShown: 0, latencySamples: 0, frameReader: null,
    };
    this.recentLatency = [];
    this.lastBytes = null;
  }

  /** Plays an artc URL (artc://host[:port]/app/stream), "app/stream" or a stream name. */
  async play(input) {
    this.stop();
    this.resetStats();
    this.probing = false;
    const generation = this.generation;
    this.source = resolveSource(input);
    this.stats.state = 'starting';
    try {
      this.clock = await measureClockOffset(this.source.httpBase);
    } catch (error) {
      this.clock = null;
    }
    if (generation !== this.generation) return;
    if (this.options.reportIntervalMs > 0) this.reporter = new QoeReporter(this.source, this.options.reportIntervalMs);
    this.startProtocol(0, 0);
  }

  async startProtocol(index, attempt) {
    const generation = ++this.generation;
    const protocol = this.options.protocols[index];
    const session = createSession(protocol, this.source, this.video);
    this.session = session;
    this.stats.protocol = protocol;
    this.stats.latencyMs = null;
    this.stats.latencyNote = this.clock ? null : 'not measurable: the node clock (/api/v1/time) is unreachable';
    this.recentLatency = [];
    this.lastBytes = null;
    this.reporter?.setProtocol(protocol);
    this.emit('protocol', { protocol, attempt });

    let firstFrame;
    let failDuringStart;
    const started = new Promise((resolve, reject) => { firstFrame = resolve; failDuringStart = reject; });
    session.onFailure = (reason, message, notLive) => failDuringStart(new PlaybackError(reason, message, notLive));
    const startedAt = performance.now();
    this.monitor = new FrameMonitor(this.video, (metadata) => (this.clock ? session.ingestTimeOf(metadata) : null),
      this.clock || { offsetMs: 0 }, this.options.mediaTimeoutMs, {
        onFirstFrame: () => firstFrame(performance.now() - startedAt),
        onLatency: (ms) => this.onLatency(ms),
        onStall: (ms) => this.onStall(ms),
        onStopped: () => this.failedWhilePlaying(index, attempt, generation, 'media-stopped',
          `no frame for ${this.options.mediaTimeoutMs} ms`),
      });
    let timer;
    const timeout = new Promise((resolve, reject) => {
      timer = setTimeout(() => reject(new PlaybackError('no-media',
        `no frame within ${this.options.firstFrameTimeoutMs} ms`)), this.options.firstFrameTimeoutMs);
    });
    let firstFrameMs;
    try {
      [, firstFrameMs] = await Promise.race([Promise.all([session.start(), started]), timeout]);
    } catch (error) {
      if (generation !== this.generation) return;
      this.endSession();
      this.fallBack(index, error.reason || 'player-error', error.message, error.notLive);
      return;
    } finally {
      clearTimeout(timer);
    }
    if (generation !== this.generation) return;
    session.onFailure = (reason, message, notLive) => this.failedWhilePlaying(index, attempt, generation, reason,
      message, notLive);
    const startup = { ...session.marks, firstFrameMs };
    Object.keys(startup).forEach((key) => { startup[key] = Math.round(startup[key]); });
    this.stats.state = 'playing';
    this.probing = false;
    // artc only: how the player reads WebRTC frames' latency stamps (see artc-session.js).
    this.stats.frameReader = session.frameReader ?? null;
    this.stats.startup = { protocol, ...startup };
    this.reporter?.setStartup(startup);
    this.reporter?.setPlaying(true);
    this.emit('firstframe', { protocol, startup });
  }

  failedWhilePlaying(index, attempt, generation, reason, message, notLive = false) {
    if (generation !== this.generation) return;
    this.endSession();
    if (notLive) {
      // The stream ended under the player (an LL-HLS playlist with EXT-X-ENDLIST): nothing to retry here.
      this.fallBack(index, reason, message, true);
    } else if (attempt < this.options.retries) {
      this.emit('retry', { protocol: this.options.protocols[index], attempt: attempt + 1, reason, message });
      this.startProtocol(index, attempt + 1);
    } else {
      this.fallBack(index, reason === 'ice-failed' ? reason : 'media-stopped', message);
    }
  }

  /**
   * Leaves a protocol that could not play for the next. The last one failing ends in 'failed', unless it failed
   * because the stream is not live: then the node has said so on every protocol it was asked on, and the player
   * goes 'offline'.
   */
  fallBack(index, reason, message, notLive = false) {
    const from = this.options.protocols[index];
    const to = this.options.protocols[index + 1];
    if (to === undefined) {
      if (notLive) {
        this.offline(from, message);
        return;
      }
      this.generation++;
      this.stats.state = 'failed';
      this.emit('failed', { protocol: from, reason, message });
      return;
    }
    if (!this.probing) {
      this.stats.fallbacks.push({ from, to, reason, message });
      this.reporter?.addFallback(from, to, reason);
      this.emit('fallback', { from, to, reason, message });
    }
    this.startProtocol(index + 1, 0);
  }

  /**
   * The stream is not live: it has not started, or it has ended (the player would otherwise show an ended
   * LL-HLS window as if live, seconds behind). The player tries again from the first protocol every
   * offlineRetryMs, so it is back on artc when the stream is; the fallbacks of those tries are not reported.
   */
  offline(protocol, message) {
    const generation = ++this.generation;
    this.endSession();
    this.probing = true;
    this.stats.state = 'offline';
    this.stats.protocol = null;
    this.stats.latencyMs = null;
    this.stats.bitrateKbps = null;
    this.emit('offline', { protocol, message });
    setTimeout(() => {
      if (generation === this.generation) this.startProtocol(0, 0);
    }, this.options.offlineRetryMs);
  }

  onLatency(ms) {
    this.stats.latencySamples++;
    this.stats.framesShown = this.monitor ? this.monitor.frames : 0;
    this.recentLatency.push(ms);
    if (this.recentLatency.length > LATENCY_WINDOW) this.recentLatency.shift();
    this.stats.latencyMs = median(this.recentLatency);
    this.reporter?.addLatency(ms);
    this.emit('latency', { ms });
  }

  onStall(ms) {
    this.stats.stalls++;
    this.stats.stallMs += ms;
    this.reporter?.addStall(ms);
    this.emit('stall', { ms });
  }

  async tick() {
    const session = this.session;
    if (this.monitor) this.stats.framesShown = this.monitor.frames;
    if (session && this.stats.latencyMs === null && session.latencyNote) this.stats.latencyNote = session.latencyNote;
    if (this.monitor?.audioOnly && this.stats.latencyMs === null) {
      this.stats.latencyNote = 'not measurable: the stream has no video to carry the stamps';
    }
    if (session) {
      const bytes = await session.bytesReceived();
      if (this.lastBytes !== null && session === this.session) this.stats.bitrateKbps = (bytes - this.lastBytes) * 8 / 1000;
      this.lastBytes = bytes;
    }
    this.overlay?.show(this.stats);
  }

  endSession() {
    this.monitor?.finishStall();
    this.reporter?.setPlaying(false);
    this.monitor?.stop();
    this.monitor = null;
    this.session?.stop();
    this.session = null;
  }

  /** Stops playback and sends the last QoE report. */
  stop() {
    this.generation++;
    this.endSession();
    this.reporter?.close();
    this.reporter = null;
    this.stats.state = 'idle';
  }

  /** Stops, removes the overlay and stops its timer. */
  destroy() {
    this.stop();
    clearInterval(this.ticker);
    this.overlay?.remove();
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

function createSession(protocol, source, video) {
  switch (protocol) {
    case 'artc': return new ArtcSession(source, video);
    case 'http-flv': return new FlvSession(source, video);
    case 'll-hls': return new HlsSession(source, video, true);
    case 'hls': return new HlsSession(source, video, false);
    default: throw new Error(`unknown protocol ${protocol}`);
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
