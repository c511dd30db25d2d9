// artc playback: WebRTC through WHEP (POST the SDP offer to /{app}/{stream}/whep, DELETE the Location to leave).
// Latency: the encoded video frames pass through an encoded transform that reads each frame's latency stamp and
// remembers it by RTP timestamp; requestVideoFrameCallback reports the RTP timestamp of the frame on screen.
// Chromium ships both transforms (the standard one is used); Firefox and Safari have only the standard one.
import { findStampInAnnexB } from './latency-stamp.js';
import { PlaybackError } from './playback-error.js';

const STAMPS_KEPT = 300;

export class ArtcSession {
  constructor(source, video) {
    this.protocol = 'artc';
    this.source = source;
    this.video = video;
    this.stamps = new Map();
    this.marks = {};
    this.latencyNote = null;
    this.onFailure = () => {};
    this.pc = null;
    this.location = null;
    this.worker = null;
    /** How video frames are read for latency stamps: 'script-transform', 'encoded-streams' or null (cannot). */
    this.frameReader = null;
  }

  async start() {
    if (typeof RTCPeerConnection !== 'function') {
      throw new PlaybackError('unsupported', 'this browser has no WebRTC (RTCPeerConnection)');
    }
    // artc sends H.264 only. A browser without an H.264 decoder for WebRTC (Firefox before its OpenH264 plugin is
    // installed, or with it disabled) would only be refused by the node's WHEP answer; say why here instead.
    const receivers = typeof RTCRtpReceiver === 'function';
    const videoCodecs = receivers ? RTCRtpReceiver.getCapabilities?.('video')?.codecs : undefined;
    if (videoCodecs && !videoCodecs.some((codec) => codec.mimeType.toLowerCase() === 'video/h264')) {
      throw new PlaybackError('unsupported', 'this browser cannot decode H.264 over WebRTC');
    }
    this.startedAt = performance.now();
    // A closed tab or a page left behind ends the session at once (the DELETE is sent with keepalive), instead of
    // leaving the node sending to it until its consent timeout. That includes a page kept in the back/forward cache,
    // frozen with its connection up; shown again from the cache, it reports the session as failed, which makes the
    // player start a new one.
    this.onPageHide = () => {
      this.stop();
      window.addEventListener('pageshow', (event) => {
        if (event.persisted) this.onFailure('ice-failed', 'the page came back from the back/forward cache');
      }, { once: true });
    };
    window.addEventListener('pagehide', this.onPageHide);
    // The standard RTCRtpScriptTransform (a worker) where there is one; Chromium's older encoded streams (on the
    // page) otherwise. Either must be in place before negotiation: Chromium passes no frames through a script
    // transform that is set on the receiver later (in ontrack).
    this.frameReader = typeof RTCRtpScriptTransform === 'function' ? 'script-transform'
      : receivers && typeof RTCRtpReceiver.prototype.createEncodedStreams === 'function' ? 'encoded-streams' : null;
    const pc = new RTCPeerConnection(this.frameReader === 'encoded-streams' ? { encodedInsertableStreams: true } : {});
    this.pc = pc;
    if (this.frameReader === null) this.latencyNote = 'not measurable: this browser cannot read WebRTC frames';
    const video = pc.addTransceiver('video', { direction: 'recvonly' });
    const audio = pc.addTransceiver('audio', { direction: 'recvonly' });
    if (this.frameReader === 'script-transform') this.readFramesInWorker(video.receiver);
    if (this.frameReader === 'encoded-streams') {
      this.readFramesOnPage(video.receiver, true);
      this.readFramesOnPage(audio.receiver, false);
    }
    const media = new MediaStream();
    pc.ontrack = (event) => {
      media.addTrack(event.track);
      this.video.srcObject = media;
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'connected' && this.marks.connectMs === undefined) {
        this.marks.connectMs = performance.now() - this.startedAt;
      }
      if (pc.connectionState === 'failed') this.onFailure('ice-failed', 'ICE/DTLS connection failed');
    };
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    let response;
    try {
      response = await fetch(this.source.whepUrl, {
        method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: offer.sdp,
      });
    } catch (error) {
      throw new PlaybackError('signalling', `WHEP request failed: ${error.message}`);
    }
    const answer = await response.text();
    if (response.status !== 201) {
      throw new PlaybackError('signalling', `WHEP answered ${response.status}: ${answer.trim()}`);
    }
    this.marks.signallingMs = performance.now() - this.startedAt;
    const location = response.headers.get('Location');
    this.location = location ? new URL(location, this.source.whepUrl).href : null;
    await pc.setRemoteDescription({ type: 'answer', sdp: answer });
  }

  remember(rtpTimestamp, stamp) {
    if (this.marks.firstPacketMs === undefined) this.marks.firstPacketMs = performance.now() - this.startedAt;
    if (stamp === null) return;
    this.stamps.set(rtpTimestamp, stamp);
    if (this.stamps.size > STAMPS_KEPT) this.stamps.delete(this.stamps.keys().next().value);
  }

  /** Chromium's encoded streams: every receiver's frames must be piped through, audio too; video is read. */
  readFramesOnPage(receiver, isVideo) {
    const session = this;
    const { readable, writable } = receiver.createEncodedStreams();
    readable.pipeThrough(new TransformStream({
      transform(frame, controller) {
        if (isVideo) {
          session.remember(frame.getMetadata().rtpTimestamp ?? frame.timestamp, findStampInAnnexB(new Uint8Array(frame.data)));
        }
        controller.enqueue(frame);
      },
    })).pipeTo(writable).catch(() => {});
  }

  /** RTCRtpScriptTransform: a worker reads each video frame's stamp and posts it with the frame's RTP timestamp. */
  readFramesInWorker(receiver) {
    // A blob URL keeps the worker working when the player is embedded in another site's page.
    const code = `const findStamp = ${findStampInAnnexB.toString()};
      onrtctransform = (event) => {
        const { readable, writable } = event.transformer;
        readable.pipeThrough(new TransformStream({ transform(frame, controller) {
          const stamp = findStamp(new Uint8Array(frame.data));
          self.postMessage({ rtpTimestamp: frame.getMetadata().rtpTimestamp ?? frame.timestamp, stamp });
          controller.enqueue(frame);
        } })).pipeTo(writable).catch(() => {});
      };`;
    const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
    this.worker = new Worker(url);
    URL.revokeObjectURL(url);
    this.worker.onerror = (event) => { this.latencyNote = `not measurable: the frame reader failed: ${event.message}`; };
    this.worker.onmessage = ({ data }) => this.remember(data.rtpTimestamp, data.stamp);
    receiver.transform = new RTCRtpScriptTransform(this.worker, {});
  }

  ingestTimeOf(metadata) {
    if (metadata.rtpTimestamp === undefined) {
      if (!this.latencyNote) this.latencyNote = 'not measurable: this browser does not tell which frame is shown';
      return null;
    }
    return this.stamps.get(metadata.rtpTimestamp) ?? null;
  }

  async bytesReceived() {
    if (!this.pc) return 0;
    let bytes = 0;
    (await this.pc.getStats()).forEach((report) => {
      if (report.type === 'inbound-rtp') bytes += report.bytesReceived || 0;
    });
    return bytes;
  }

  stop() {
    if (this.onPageHide) window.removeEventListener('pagehide', this.onPageHide);
    if (this.location) fetch(this.location, { method: 'DELETE', keepalive: true }).catch(() => {});
    this.location = null;
    if (this.pc) this.pc.close();
    if (this.worker) this.worker.terminate();
    this.video.srcObject = null;
  }
}
