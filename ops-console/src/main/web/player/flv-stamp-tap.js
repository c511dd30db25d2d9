// Reads the FLV byte stream alongside mpegts.js (which does not report SEI from FLV): each H.264 video tag's latency
// stamp, keyed by the media time mpegts.js gives that frame. mpegts.js puts a frame at (DTS + CTS − base) ms where
// base is the smaller of the first audio and first video tag timestamps (its remuxer's dtsBase); this tap takes the
// same base. mpegts.js corrects small timestamp gaps, so a mapping can be off by up to a frame's duration.
import { findStampInAvcc } from './latency-stamp.js';

const FLV_HEADER_BYTES = 9;
const TAG_HEADER_BYTES = 11;
const PREVIOUS_TAG_SIZE_BYTES = 4;
const AUDIO = 8;
const VIDEO = 9;
const AVC = 7;

export class FlvStampTap {
  /** @param onStamp (mediaMs, ingestMs) => void */
  constructor(onStamp) {
    this.onStamp = onStamp;
    this.buffer = new Uint8Array(0);
    this.headerDone = false;
    this.lengthSize = 4;
    this.firstAudio = null;
    this.firstVideo = null;
    this.pending = [];
  }

  push(chunk) {
    const joined = new Uint8Array(this.buffer.length + chunk.byteLength);
    joined.set(this.buffer, 0);
    joined.set(new Uint8Array(chunk), this.buffer.length);
    let p = 0;
    if (!this.headerDone) {
      if (joined.length < FLV_HEADER_BYTES + PREVIOUS_TAG_SIZE_BYTES) { this.buffer = joined; return; }
      const headerSize = (joined[5] << 24 | joined[6] << 16 | joined[7] << 8 | joined[8]) >>> 0;
      p = headerSize + PREVIOUS_TAG_SIZE_BYTES;
      this.headerDone = true;
    }
    while (p + TAG_HEADER_BYTES <= joined.length) {
      const type = joined[p] & 0x1f;
      const size = joined[p + 1] << 16 | joined[p + 2] << 8 | joined[p + 3];
      const end = p + TAG_HEADER_BYTES + size + PREVIOUS_TAG_SIZE_BYTES;
      if (end > joined.length) break;
      const timestamp = ((joined[p + 7] << 24) | (joined[p + 4] << 16) | (joined[p + 5] << 8) | joined[p + 6]) >>> 0;
      this.tag(type, timestamp, joined.subarray(p + TAG_HEADER_BYTES, p + TAG_HEADER_BYTES + size));
      p = end;
    }
    this.buffer = joined.slice(p);
  }

  tag(type, timestamp, body) {
    if (type === AUDIO && this.firstAudio === null) this.firstAudio = timestamp;
    if (type !== VIDEO || body.length < 5 || (body[0] & 0x0f) !== AVC) return;
    if (body[1] === 0) {
      // AVCDecoderConfigurationRecord: lengthSizeMinusOne in the low two bits of its fifth byte.
      if (body.length > 9) this.lengthSize = (body[9] & 0x03) + 1;
      return;
    }
    if (body[1] !== 1) return;
    if (this.firstVideo === null) this.firstVideo = timestamp;
    const cts = ((body[2] << 16 | body[3] << 8 | body[4]) << 8) >> 8;
    const stamp = findStampInAvcc(body.subarray(5), this.lengthSize);
    if (stamp === null) return;
    this.pending.push([timestamp + cts, stamp]);
    const base = this.base();
    if (base === null) return;
    for (const [pts, ingest] of this.pending) this.onStamp(pts - base, ingest);
    this.pending = [];
  }

  /** mpegts.js's dtsBase, once both tracks started (or video alone after a few frames without audio). */
  base() {
    if (this.firstVideo === null) return null;
    if (this.firstAudio === null) return this.pending.length > 30 ? this.firstVideo : null;
    return Math.min(this.firstAudio, this.firstVideo);
  }
}
