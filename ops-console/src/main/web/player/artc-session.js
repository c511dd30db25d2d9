// artc playback: WebRTC through WHEP (POST the SDP offer to /{app}/{stream}/whep, DELETE the Location to leave).
// Latency: the encoded video frames pass through an encoded transform that reads each frame's latency stamp and
// remembers it by RTP timestamp; requestVideoFrameCallback reports the RTP timestamp of the frame on screen.
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
  }

  async start() {
    if (typeof RTCPeerConnection !== 'function') {
      throw new PlaybackError('unsupported', 'this browser has no WebRTC (RTCPeerConnection)');
    }
    this.startedAt = performance.now();
    // Chromium's encoded streams first (they run on the page, no worker); the standard RTCRtpScriptTransform where
    // they are missing (Safari, Firefox).
    const useEncodedStreams = typeof RTCRtpReceiver !== 'undefined'
      && typeof RTCRtpReceiver.prototype.createEncodedStreams === 'function';
    const canReadFrames = useEncodedStreams || typeof RTCRtpScriptTransform === 'function';
    const pc = new RTCPeerConnection(useEncodedStreams ? { encodedInsertableStreams: true } : {});
    this.pc = pc;
    if (!canReadFrames) this.latencyNote = 'not measurable: this browser cannot read WebRTC frames';
    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    const media = new MediaStream();
    pc.ontrack = (event) => {
      media.addTrack(event.track);
      if (canReadFrames) this.readFrames(event.receiver, event.track.kind, useEncodedStreams);
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

  /** Reads stamps from video frames (and passes audio through: with encoded streams every track must be piped). */
  readFrames(receiver, kind, useEncodedStreams) {
    const remember = (rtpTimestamp, data) => {
      if (this.marks.firstPacketMs === undefined) this.marks.firstPacketMs = performance.now() - this.startedAt;
      const stamp = findStampInAnnexB(data);
      if (stamp === null) return;
      this.stamps.set(rtpTimestamp, stamp);
      if (this.stamps.size > STAMPS_KEPT) this.stamps.delete(this.stamps.keys().next().value);
    };
    if (useEncodedStreams) {
      const { readable, writable } = receiver.createEncodedStreams();
      readable.pipeThrough(new TransformStream({
        transform(frame, controller) {
          if (kind === 'video') remember(frame.getMetadata().rtpTimestamp ?? frame.timestamp, new Uint8Array(frame.data));
          controller.enqueue(frame);
        },
      })).pipeTo(writable).catch(() => {});
      return;
    }
    if (kind !== 'video') return;
    // RTCRtpScriptTransform runs in a worker; a blob URL keeps it working when the player is embedded elsewhere.
    if (!this.worker) {
      const code = `const findStamp = ${findStampInAnnexB.toString()};
        onrtctransform = (event) => {
          const { readable, writable } = event.transformer;
          readable.pipeThrough(new TransformStream({ transform(frame, controller) {
            const stamp = findStamp(new Uint8Array(frame.data));
            self.postMessage({ rtpTimestamp: frame.getMetadata().rtpTimestamp ?? frame.timestamp, stamp });
            controller.enqueue(frame);
          } })).pipeTo(writable);
        };`;
      this.worker = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
      this.worker.onerror = (event) => { this.latencyNote = `not measurable: the frame reader failed: ${event.message}`; };
      this.worker.onmessage = ({ data }) => {
        if (this.marks.firstPacketMs === undefined) this.marks.firstPacketMs = performance.now() - this.startedAt;
        if (data.stamp === null) return;
        this.stamps.set(data.rtpTimestamp, data.stamp);
        if (this.stamps.size > STAMPS_KEPT) this.stamps.delete(this.stamps.keys().next().value);
      };
    }
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
    if (this.location) fetch(this.location, { method: 'DELETE', keepalive: true }).catch(() => {});
    this.location = null;
    if (this.pc) this.pc.close();
    if (this.worker) this.worker.terminate();
    this.video.srcObject = null;
  }
}
