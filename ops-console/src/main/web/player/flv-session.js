// HTTP-FLV playback with mpegts.js (Media Source Extensions). A custom loader fetches the stream itself so that
// FlvStampTap sees the same bytes mpegts.js plays, for end-to-end latency.
import { FlvStampTap } from './flv-stamp-tap.js';
import { StampTimeline } from './frame-monitor.js';
import { PlaybackError } from './playback-error.js';

export class FlvSession {
  constructor(source, video) {
    this.protocol = 'http-flv';
    this.source = source;
    this.video = video;
    this.timeline = new StampTimeline();
    this.marks = {};
    this.latencyNote = null;
    this.onFailure = () => {};
    this.bytes = 0;
    this.player = null;
  }

  async start() {
    const mpegts = (await import('mpegts.js')).default;
    if (!mpegts.isSupported() || !mpegts.getFeatureList().mseLivePlayback) {
      throw new PlaybackError('unsupported', 'this browser cannot play live FLV (no Media Source Extensions)');
    }
    this.startedAt = performance.now();
    const session = this;
    const tap = new FlvStampTap((mediaMs, ingestMs) => this.timeline.add(mediaMs, ingestMs));
    let loadFailure = null;
    let notLive = false;

    class TappingLoader extends mpegts.BaseLoader {
      constructor() {
        super('liveshard-flv-tap');
        this._needStash = false;
        this.abortController = null;
      }

      open(dataSource) {
        this._status = mpegts.LoaderStatus.kConnecting;
        this.abortController = new AbortController();
        fetch(dataSource.url, { signal: this.abortController.signal, cache: 'no-store' }).then(async (response) => {
          if (!response.ok) {
            loadFailure = `GET ${dataSource.url} answered ${response.status}`;
            // 404 is the node's "not live": the stream has not started, or has ended.
            notLive = response.status === 404;
            this._status = mpegts.LoaderStatus.kError;
            this._onError?.(mpegts.LoaderErrors.HTTP_STATUS_CODE_INVALID, { code: response.status, msg: loadFailure });
            return;
          }
          this._status = mpegts.LoaderStatus.kBuffering;
          const reader = response.body.getReader();
          let received = 0;
          for (;;) {
            const { done, value } = await reader.read();
            if (done) {
              this._status = mpegts.LoaderStatus.kComplete;
              this._onComplete?.(0, received - 1);
              return;
            }
            if (session.marks.firstPacketMs === undefined) {
              session.marks.firstPacketMs = performance.now() - session.startedAt;
            }
            const chunk = value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength);
            tap.push(chunk);
            session.bytes += value.byteLength;
            this._onDataArrival?.(chunk, received, received + value.byteLength);
            received += value.byteLength;
          }
        }).catch((error) => {
          if (this.abortController?.signal.aborted) return;
          loadFailure = `GET ${dataSource.url} failed: ${error.message}`;
          this._status = mpegts.LoaderStatus.kError;
          this._onError?.(mpegts.LoaderErrors.EXCEPTION, { code: -1, msg: loadFailure });
        });
      }

      abort() {
        this.abortController?.abort();
        this._status = mpegts.LoaderStatus.kComplete;
      }
    }

    const player = mpegts.createPlayer({ type: 'flv', isLive: true, url: this.source.flvUrl }, {
      customLoader: TappingLoader,
      enableWorker: false,
      enableStashBuffer: false,
      // Two ways back to the live edge: play slightly faster while less than a second behind (no visible jump),
      // skip ahead when further behind (after a stall, or a start from an old keyframe of the cached GOP).
      liveSync: true,
      liveSyncMaxLatency: 0.45,
      liveSyncTargetLatency: 0.3,
      liveSyncPlaybackRate: 1.1,
      liveBufferLatencyChasing: true,
      liveBufferLatencyMaxLatency: 1.0,
      liveBufferLatencyMinRemain: 0.3,
    });
    this.player = player;
    const failed = new Promise((resolve, reject) => {
      player.on(mpegts.Events.ERROR, (type, detail, info) => {
        const reason = loadFailure !== null || type === mpegts.ErrorTypes.NETWORK_ERROR ? 'load-error' : 'player-error';
        const error = new PlaybackError(reason, loadFailure || `mpegts.js ${type}: ${detail} ${info?.msg || ''}`,
          notLive);
        if (this.attached) this.onFailure(error.reason, error.message, error.notLive); else reject(error);
      });
      player.on(mpegts.Events.MEDIA_INFO, () => resolve());
    });
    player.attachMediaElement(this.video);
    player.load();
    this.video.play().catch(() => {});
    // start() resolves once mpegts.js has parsed the stream's media info; the frame monitor waits for frames.
    await failed;
    this.attached = true;
  }

  ingestTimeOf(metadata) {
    return this.timeline.ingestAt(metadata.mediaTime * 1000);
  }

  async bytesReceived() {
    return this.bytes;
  }

  stop() {
    if (!this.player) return;
    this.player.pause();
    this.player.unload();
    this.player.detachMediaElement();
    this.player.destroy();
    this.player = null;
  }
}
