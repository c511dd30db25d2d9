// Reads LiveShard's latency stamp: an H.264 SEI user_data_unregistered message whose UUID is the ASCII
// "LiveShard-Stamp1" and whose first 8 bytes of user data are the ingest wall-clock time in milliseconds
// (big-endian). Format: docs/LATENCY-STAMPS.md.

/** The stamp's UUID as hls.js formats SEI UUIDs. */
export const STAMP_UUID = '4c697665-5368-6172-642d-5374616d7031';

/** The ingest time in the first 8 bytes of a stamp's user data (after the UUID). */
export function stampFromUserData(bytes) {
  if (!bytes || bytes.length < 8) return null;
  let ms = 0;
  for (let i = 0; i < 8; i++) ms = ms * 256 + bytes[i];
  return ms;
}

/**
 * The ingest time in the latency stamp of an H.264 access unit in Annex B form (start codes), as WebRTC's encoded
 * frames carry it; null when it has none. Self-contained (no outside references) because its source text is also
 * run inside an RTCRtpScriptTransform worker.
 */
export function findStampInAnnexB(data) {
  const uuid = [0x4c, 0x69, 0x76, 0x65, 0x53, 0x68, 0x61, 0x72, 0x64, 0x2d, 0x53, 0x74, 0x61, 0x6d, 0x70, 0x31];
  const n = data.length;
  for (let i = 0; i + 3 < n; i++) {
    if (data[i] !== 0 || data[i + 1] !== 0 || data[i + 2] !== 1) continue;
    const start = i + 3;
    if ((data[start] & 0x1f) !== 6) continue;
    // Unescape (drop emulation-prevention 0x03 after 00 00) up to the next start code; the stamp is near the start.
    const rbsp = [];
    let zeros = 0;
    for (let j = start + 1; j < n && rbsp.length < 64; j++) {
      if (data[j] === 0 && data[j + 1] === 0 && (data[j + 2] === 1 || (data[j + 2] === 0 && data[j + 3] === 1))) break;
      const b = data[j];
      if (zeros >= 2 && b === 3) { zeros = 0; continue; }
      rbsp.push(b);
      zeros = b === 0 ? zeros + 1 : 0;
    }
    let p = 0;
    let type = 0;
    while (rbsp[p] === 0xff) { type += 255; p++; }
    type += rbsp[p++];
    let size = 0;
    while (rbsp[p] === 0xff) { size += 255; p++; }
    size += rbsp[p++];
    if (type !== 5 || size < 24 || p + 24 > rbsp.length) continue;
    let matches = true;
    for (let k = 0; k < 16; k++) if (rbsp[p + k] !== uuid[k]) { matches = false; break; }
    if (!matches) continue;
    let ms = 0;
    for (let k = 16; k < 24; k++) ms = ms * 256 + rbsp[p + k];
    return ms;
  }
  return null;
}

/**
 * The stamp in an access unit of length-prefixed NAL units (AVCC, as FLV carries H.264); null when it has none.
 * Each SEI NAL unit is rewritten with a start code and read like Annex B.
 */
export function findStampInAvcc(data, lengthSize = 4) {
  let p = 0;
  while (p + lengthSize <= data.length) {
    let length = 0;
    for (let k = 0; k < lengthSize; k++) length = length * 256 + data[p + k];
    p += lengthSize;
    if (length <= 0 || p + length > data.length) return null;
    if ((data[p] & 0x1f) === 6) {
      const nal = new Uint8Array(length + 3);
      nal[2] = 1;
      nal.set(data.subarray(p, p + length), 3);
      const stamp = findStampInAnnexB(nal);
      if (stamp !== null) return stamp;
    }
    p += length;
  }
  return null;
}
