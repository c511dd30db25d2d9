// The detail view of one stream: its media as the publisher sends it, who watches it over which protocol, the
// node's own latency and what players report. The ingest bitrate is the growth of bytesIn between two lists.

const previous = new Map();

/** Fills the #detail section with `stream` (from the list made at `serverTimeMillis`). */
export function renderDetail(stream, serverTimeMillis) {
  const name = `${stream.app}/${stream.stream}`;
  document.getElementById('detail-stream').textContent = name;
  const video = stream.video;
  const rows = [
    ['video codec', stream.videoCodec ? `${stream.videoCodec}${video ? ` (${video.codec})` : ''}` : '—', 'video-codec'],
    ['resolution', video ? `${video.width}x${video.height}` : '—', 'resolution'],
    ['frame rate', video && video.frameRate !== null ? `${video.frameRate} fps` : '—', 'fps'],
    ['audio codec', stream.audioCodec || '—', 'audio-codec'],
    ['ingest bitrate', bitrate(name, stream, serverTimeMillis), 'bitrate'],
    ['uptime', uptime(stream.liveSinceMillis, serverTimeMillis), 'uptime'],
    ['publisher', stream.publishing ? (stream.publisher || 'connected') : 'gone (grace period)', 'publisher'],
    ['frames / bytes in', `${stream.framesIn} / ${stream.bytesIn}`, 'ingest-totals'],
    ['viewers', perProtocol(stream.viewers, (n) => String(n)), 'viewers'],
    ['server latency p50 / p99 (ms)', perProtocol(stream.serverLatency,
      (s) => `${ms(s.p50Ms)} / ${ms(s.p99Ms)} (${s.frames} frames)`), 'server-latency'],
    ['player QoE', perProtocol(stream.qoe, qoe), 'qoe'],
  ];
  const body = document.querySelector('#detail tbody');
  body.replaceChildren(...rows.map(([label, value, key]) => {
    const row = document.createElement('tr');
    const th = document.createElement('th');
    th.textContent = label;
    const td = document.createElement('td');
    td.textContent = value;
    td.dataset.detail = key;
    row.append(th, td);
    return row;
  }));
}

function bitrate(name, stream, serverTimeMillis) {
  const before = previous.get(name);
  if (before && serverTimeMillis === before.at) return before.text;
  const text = !before || serverTimeMillis < before.at || stream.bytesIn < before.bytesIn
    ? 'measuring…'
    : `${Math.round(((stream.bytesIn - before.bytesIn) * 8) / (serverTimeMillis - before.at))} kbit/s`;
  previous.set(name, { bytesIn: stream.bytesIn, at: serverTimeMillis, text });
  return text;
}

/** How long the stream has been live, by the node's clock (both times come from the node). */
function uptime(liveSinceMillis, serverTimeMillis) {
  if (!liveSinceMillis || !serverTimeMillis) return '—';
  const seconds = Math.max(0, Math.floor((serverTimeMillis - liveSinceMillis) / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h ? `${h} h ${m} min` : m ? `${m} min ${s} s` : `${s} s`;
}

function qoe(q) {
  const parts = [`${q.players} player${q.players === 1 ? '' : 's'}`];
  if (q.e2eLatencyP50Ms !== null) {
    parts.push(`e2e p50/p95/p99 ${ms(q.e2eLatencyP50Ms)}/${ms(q.e2eLatencyP95Ms)}/${ms(q.e2eLatencyP99Ms)} ms`);
  }
  if (q.firstFrameP50Ms !== null) parts.push(`first frame p50 ${ms(q.firstFrameP50Ms)} ms`);
  parts.push(`${q.stalls} stall${q.stalls === 1 ? '' : 's'} (${q.stallSeconds.toFixed(1)} s`
    + `${q.stallPercent === null ? '' : `, ${q.stallPercent}% of ${Math.round(q.watchedSeconds)} s watched`})`);
  const fallbacks = Object.entries(q.fallbacksByReason || {});
  if (fallbacks.length) parts.push(`fallbacks ${fallbacks.map(([r, n]) => `${r}: ${n}`).join(', ')}`);
  return parts.join(', ');
}

function perProtocol(byProtocol, format) {
  const entries = Object.entries(byProtocol);
  return entries.length ? entries.map(([protocol, value]) => `${protocol.padEnd(8)} ${format(value)}`).join('\n') : '—';
}

function ms(value) {
  return value < 10 ? value.toFixed(1) : String(Math.round(value));
}
