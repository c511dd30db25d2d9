// LL-HLS playback with hls.js. Latency: hls.js reports SEI user data from the segments it parses
// (FRAG_PARSING_USERDATA) with each sample's presentation time on the media timeline, so the stamp of the frame on
// screen is found by the media time requestVideoFrameCallback reports.
import { STAMP_UUID, stampFromUserData } from './latency-stamp.js';
import { StampTimeline } from './frame-monitor.js';
import { PlaybackError } from './playback-error.js';

export class HlsSession {
  /** @param lowLatency true plays the LL-HLS playlist (/ll.m3u8), false the classic one (.m3u8) */
  constructor(source, video, lowLatency = true) {
    this.protocol = lowLatency ? 'll-hls' : 'hls';
    this.url = lowLatency ? source.llHlsUrl : source.hlsUrl;
    this.lowLatency = lowLatency;
    this.video = video;
    this.timeline = new StampTimeline();
    this.marks = {};
    this.latencyNote = null;
    this.onFailure = () => {};
    this.bytes = 0;
    this.hls = null;
  }

  async start() {
    const Hls = (await import('hls.js')).default;
    if (!Hls.isSupported()) {
      throw new PlaybackError('unsupported', 'this browser cannot run hls.js (no Media Source Extensions)');
    }
    this.startedAt = performance.now();
    const hls = new Hls({ lowLatencyMode: this.lowLatency, enableWorker: true, backBufferLength: 10 });
    this.hls = hls;
    hls.on(Hls.Events.FRAG_PARSING_USERDATA, (event, data) => {
      for (const sample of data.samples) {
        if (sample.uuid !== STAMP_UUID) continue;
        const ingest = stampFromUserData(sample.userDataBytes);
        if (ingest !== null) this.timeline.add(sample.pts * 1000, ingest);
      }
    });
    hls.on(Hls.Events.FRAG_LOADED, (event, data) => {
      if (this.marks.firstPacketMs === undefined) this.marks.firstPacketMs = performance.now() - this.startedAt;
      this.bytes += data.payload?.byteLength || 0;
    });
    const ready = new Promise((resolve, reject) => {
      hls.on(Hls.Events.ERROR, (event, data) => {
        if (!data.fatal) return;
        const reason = data.type === Hls.ErrorTypes.NETWORK_ERROR ? 'load-error' : 'player-error';
        const status = data.response?.code ? ` (${data.response.code})` : '';
        const notLive = data.details === Hls.ErrorDetails.MANIFEST_LOAD_ERROR && data.response?.code === 404;
        const error = new PlaybackError(reason, `hls.js ${data.type}: ${data.details}${status}`, notLive);
        if (this.attached) this.onFailure(error.reason, error.message, error.notLive); else reject(error);
      });
      // A playlist with EXT-X-ENDLIST is a stream that has ended: its window is no live picture to show.
      hls.on(Hls.Events.LEVEL_LOADED, (event, data) => {
        if (data.details.live) return;
        const error = new PlaybackError('load-error', `${this.url} has ended (EXT-X-ENDLIST)`, true);
        if (this.attached) this.onFailure(error.reason, error.message, error.notLive); else reject(error);
      });
      hls.on(Hls.Events.LEVEL_LOADED, () => resolve());
    });
    hls.attachMedia(this.video);
    hls.loadSource(this.url);
    await ready;
    this.attached = true;
    this.video.play().catch(() => {});
  }

  ingestTimeOf(metadata) {
    return this.timeline.ingestAt(metadata.mediaTime * 1000);
  }

  async bytesReceived() {
    return this.bytes;
  }

  stop() {
    if (!this.hls) return;
    this.hls.destroy();
    this.hls = null;
  }
}
