// A WHEP client on werift, an independent (pure TypeScript) WebRTC implementation, for LiveShard's artc interop
// test (WeriftWhepTest). Usage: node whep-client.mjs <whepUrl> <seconds>
//
// Sends a recvonly offer (H.264 video, Opus audio as real players do) to the WHEP URL, applies the answer, receives
// for <seconds>, then DELETEs the session's Location and prints ONE line of JSON to stdout:
//   {"state":..., "packets":..., "frames":..., "keyframes":..., "firstPacketMs":..., "deleteStatus":..., ...}
// state: the peer connection's state just before leaving; packets: H.264 RTP packets werift decrypted (counted at
// its DTLS transport, by the answer's video payload types); trackPackets: those werift routed to the video track;
// frames: distinct RTP timestamps; keyframes: IDR or SPS starts (NAL 5/7, in STAP-A or FU-A start); firstPacketMs:
// from sending the offer to the first video packet; srtpProfile: what DTLS negotiated; answerFixups: what the
// client had to add to the answer for werift to accept it (see fillRejectedSections); audioPackets: Opus RTP packets
// werift decrypted on the answer's audio payload type (audioPayloadTypes lists the payload types they carried).
// and exits 0. On failure it prints one JSON line {"error":..., ...what was measured so far} and exits non-zero.
// Every wait is bounded, and a watchdog ends the process even if werift hangs.
import { RTCPeerConnection, RTCRtpCodecParameters, useH264, useOPUS } from "werift";

const [whepUrl, secondsArg] = process.argv.slice(2);
const seconds = Number(secondsArg);
if (!whepUrl || !Number.isFinite(seconds) || seconds <= 0 || seconds > 600) {
  process.stdout.write(JSON.stringify({ error: "usage: node whep-client.mjs <whepUrl> <seconds (1..600)>" }) + "\n");
  process.exit(64);
}

const HTTP_TIMEOUT_MS = 5000;
const CONNECT_TIMEOUT_MS = 10000;
const CLOSE_TIMEOUT_MS = 2000;
const started = performance.now();
const since = () => Math.round(performance.now() - started);

const result = {
  state: "new",
  iceState: "new",
  dtlsState: "new",
  srtpProfile: null,
  packets: 0,
  trackPackets: 0,
  frames: 0,
  keyframes: 0,
  firstPacketMs: null,
  answerMs: null,
  connectedMs: null,
  payloadTypes: [],
  ssrcs: [],
  answerVideoCodecs: [],
  audioDeclined: null,
  audioPackets: 0,
  audioPayloadTypes: [],
  deleteStatus: null,
  states: [],
};
const timestamps = new Set();
const payloadTypes = new Set();
const ssrcs = new Set();
let videoPayloadTypes = new Set();
let answerAudioPayloadTypes = new Set();
const audioPayloadTypes = new Set();
let pc;
let finished = false;
let leaving = false; // once set, "state" keeps the state the session had before the client left
let offerSent = null;

function finish(code, error) {
  if (finished) return;
  finished = true;
  result.payloadTypes = [...payloadTypes];
  result.ssrcs = [...ssrcs];
  result.audioPayloadTypes = [...audioPayloadTypes];
  result.frames = timestamps.size;
  result.elapsedMs = since();
  const line = error ? { error: String(error?.stack ?? error), ...result } : result;
  process.stdout.write(JSON.stringify(line) + "\n", () => process.exit(code));
  // If stdout never drains, still leave.
  setTimeout(() => process.exit(code), 1000).unref();
}

// The watchdog: the whole run may take the receive time plus generous bounds for signalling, connecting and leaving.
setTimeout(() => finish(3, new Error(`watchdog: not finished after ${seconds + 30} s`)),
  (seconds + 30) * 1000).unref();
process.on("uncaughtException", (error) => finish(4, error));
process.on("unhandledRejection", (error) => finish(4, error));

async function fetchBounded(url, init) {
  return fetch(url, { ...init, signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms); }),
  ]);
}

/** Whether an H.264 RTP payload (RFC 6184) starts a keyframe: an IDR NAL unit, or SPS in a STAP-A. */
function isKeyframeStart(payload) {
  if (payload.length < 1) return false;
  const type = payload[0] & 0x1f;
  if (type === 5 || type === 7) return true;
  if (type === 24) { // STAP-A: [size(2) NAL]...
    for (let offset = 1; offset + 2 < payload.length;) {
      const size = payload.readUInt16BE(offset);
      const nalType = payload[offset + 2] & 0x1f;
      if (nalType === 7 || nalType === 5) return true;
      offset += 2 + size;
    }
    return false;
  }
  if (type === 28 && payload.length >= 2) { // FU-A: start bit and the original type
    return (payload[1] & 0x80) !== 0 && (payload[1] & 0x1f) === 5;
  }
  return false;
}

/**
 * Two things werift 0.24.4 needs in a rejected (port 0) m-section that LiveShard's bare
 * "m=audio 0 UDP/TLS/RTP/SAVPF 111 / c= / a=mid:1 / a=inactive" does not carry (RFC 3264 section 6 only requires
 * port 0 there):
 *  - an a=rtpmap for each listed payload type: werift negotiates codecs for every m-section, port 0 or not, and
 *    throws "negotiate codecs failed." (TransceiverManager.setRemoteRTP) when none is known;
 *  - ICE credentials and the DTLS fingerprint/setup: werift applies each m-section's ICE parameters (falling back to
 *    session-level ones) to the one bundled ICE transport, so a section without them resets the remote ufrag/pwd
 *    to undefined and ICE fails at once ("iceTransport.start failed Error: remoteParams missing").
 * This copies the offer's rtpmap lines and the answer's first section's ice-ufrag, ice-pwd, fingerprint and setup
 * into such sections (RFC 8843 lets a bundled section repeat them); every change is reported in "answerFixups", so
 * the test shows what the node's answer lacked.
 */
function fillRejectedSections(answer, offer) {
  const sections = (sdp) => sdp.split(/\r?\n(?=m=)/);
  const mid = (section) => /^a=mid:(\S+)/m.exec(section)?.[1];
  const offerSections = sections(offer).slice(1);
  const answerSections = sections(answer);
  const transportLines = (answerSections[1] ?? "").split(/\r?\n/)
    .filter((line) => /^a=(ice-ufrag|ice-pwd|fingerprint|setup):/.test(line));
  const fixups = [];
  const fixed = answerSections.map((section, index) => {
    const mLine = /^m=(\w+) (\d+) \S+((?: \S+)*)/.exec(section);
    if (!mLine || mLine[2] !== "0") return section;
    const offered = offerSections.find((s) => mid(s) === mid(section)) ?? offerSections[index - 1] ?? "";
    const rtpmaps = mLine[3].trim().split(" ").filter(Boolean)
      .filter((pt) => !new RegExp(`^a=rtpmap:${pt} `, "m").test(section))
      .map((pt) => new RegExp(`^a=rtpmap:${pt} [^\r\n]+`, "m").exec(offered)?.[0])
      .filter(Boolean);
    const transport = transportLines
      .filter((line) => !new RegExp(`^${line.slice(0, line.indexOf(":") + 1)}`, "m").test(section));
    const added = [...rtpmaps, ...transport];
    if (added.length === 0) return section;
    fixups.push(`m=${mLine[1]} (port 0): added ${added.map((l) => l.replace(/^(a=ice-pwd:|a=fingerprint:\S+ ).*/, "$1...")).join(", ")}`);
    return section.replace(/(\r?\n)*$/, "") + "\r\n" + added.join("\r\n") + "\r\n";
  });
  return { sdp: fixed.join("\r\n"), fixups };
}

let lastKeyTimestamp = null;
function onVideoRtp(rtp) {
  result.packets++;
  if (result.firstPacketMs === null) result.firstPacketMs = Math.round(performance.now() - offerSent);
  payloadTypes.add(rtp.header.payloadType);
  ssrcs.add(rtp.header.ssrc);
  timestamps.add(rtp.header.timestamp);
  if (isKeyframeStart(rtp.payload) && lastKeyTimestamp !== rtp.header.timestamp) {
    lastKeyTimestamp = rtp.header.timestamp;
    result.keyframes++;
  }
}

async function main() {
  pc = new RTCPeerConnection({
    codecs: {
      video: [
        useH264({ payloadType: 96, parameters: "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f" }),
        useH264({ payloadType: 98, parameters: "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=640c1f" }),
      ],
      audio: [useOPUS({ payloadType: 111 })],
    },
  });
  pc.connectionStateChange.subscribe((state) => {
    if (!leaving) result.state = state;
    result.states.push(`${since()}ms pc:${state}`);
    if (state === "connected" && result.connectedMs === null) result.connectedMs = since();
  });
  pc.iceConnectionStateChange.subscribe((state) => {
    result.iceState = state;
    result.states.push(`${since()}ms ice:${state}`);
  });

  const video = pc.addTransceiver("video", { direction: "recvonly" });
  pc.addTransceiver("audio", { direction: "recvonly" });
  video.onTrack.subscribe((track) => {
    track.onReceiveRtp.subscribe(() => { result.trackPackets++; });
  });

  const offer = await pc.createOffer();
  await withTimeout(pc.setLocalDescription(offer), CONNECT_TIMEOUT_MS, "no local description (ICE gathering)");
  offerSent = performance.now();
  const response = await fetchBounded(whepUrl, {
    method: "POST",
    headers: { "Content-Type": "application/sdp" },
    body: pc.localDescription.sdp,
  });
  const answer = await response.text();
  // For failure messages: the test prints stderr when the client fails.
  process.stderr.write(`offer:\n${pc.localDescription.sdp}\nanswer (${response.status}):\n${answer}\n`);
  if (response.status !== 201) {
    throw new Error(`WHEP answered ${response.status}: ${answer}`);
  }
  const location = response.headers.get("Location");
  if (!location) throw new Error("WHEP answer without a Location");
  const sessionUrl = new URL(location, whepUrl).toString();
  result.answerMs = since();
  result.answerVideoCodecs = [...answer.matchAll(/^a=rtpmap:(\d+) ([^\r\n]+)/gm)].map((m) => `${m[1]} ${m[2]}`);
  result.audioDeclined = /^m=audio 0 /m.test(answer);

  // Which payload types the answer gives the video section (werift routes by them; count them at the transport).
  const videoSection = answer.split(/\r?\n(?=m=)/).find((section) => section.startsWith("m=video"));
  videoPayloadTypes = new Set((videoSection?.split(/\r?\n/)[0].split(" ").slice(3) ?? []).map(Number));
  const audioSection = answer.split(/\r?\n(?=m=)/).find((section) => section.startsWith("m=audio"));
  answerAudioPayloadTypes = new Set((audioSection?.split(/\r?\n/)[0].split(" ").slice(3) ?? []).map(Number));

  const { sdp: answerForWerift, fixups } = fillRejectedSections(answer, pc.localDescription.sdp);
  result.answerFixups = fixups;
  await pc.setRemoteDescription({ type: "answer", sdp: answerForWerift });

  const dtls = video.dtlsTransport;
  dtls.onStateChange.subscribe((state) => {
    result.dtlsState = state;
    result.states.push(`${since()}ms dtls:${state}`);
    if (state === "connected") {
      const profile = dtls.dtls?.srtp?.srtpProfile;
      result.srtpProfile = profile === 7 ? "AEAD_AES_128_GCM" : profile === 1 ? "AES_CM_128_HMAC_SHA1_80"
        : profile === undefined ? null : `profile ${profile}`;
    }
  });
  dtls.onRtp.subscribe((rtp) => {
    if (videoPayloadTypes.has(rtp.header.payloadType)) onVideoRtp(rtp);
    if (!result.audioDeclined && answerAudioPayloadTypes.has(rtp.header.payloadType)) {
      result.audioPackets++;
      audioPayloadTypes.add(rtp.header.payloadType);
    }
  });

  // Receive for the asked time (counted from the answer), then leave.
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  result.state = pc.connectionState;
  leaving = true;

  try {
    const deleted = await fetchBounded(sessionUrl, { method: "DELETE" });
    await deleted.text();
    result.deleteStatus = deleted.status;
  } catch (error) {
    result.deleteError = String(error);
  }
  await withTimeout(pc.close(), CLOSE_TIMEOUT_MS, "werift did not close").catch((error) => {
    result.closeError = String(error);
  });
  if (result.state !== "connected") throw new Error(`connection state is ${result.state}, not connected`);
  finish(0);
}

main().catch((error) => finish(1, error));
