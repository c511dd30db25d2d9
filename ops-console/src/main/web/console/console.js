// The ops console: gets the stream list once a second (pushed as server-sent events, polled if those fail, see
// live-feed.js) and shows every live stream's viewers per protocol, the node's own latency per protocol, and the
// end-to-end latency players report (QoE), with a chart and a detail view of the selected stream, and the cluster's
// nodes (cluster.js).
import { drawChart } from './chart.js';
import { startClusterPanel } from './cluster.js';
import { renderDetail } from './detail.js';
import { apiToken, rememberToken, startFeed } from './live-feed.js';

/** The chart's span: the node keeps this much of every stream (GET .../history), so it starts full. */
const HISTORY_SECONDS = 600;
const VIEWER_PROTOCOLS = ['rtmp', 'http-flv', 'artc', 'hls', 'll-hls'];

const body = document.querySelector('#streams tbody');
const status = document.getElementById('status');
const tokenForm = document.getElementById('token-form');
const history = new Map();
/** Streams whose chart asked the node for its samples (once per stream while it stays in the list). */
const historyAsked = new Set();
let selected = null;
let latest = null;
let stopFeed = null;

function start() {
  if (stopFeed) stopFeed();
  stopFeed = startFeed({
    onList: (list) => {
      latest = list;
      render(list.streams);
      status.textContent = `updated ${new Date(list.serverTimeMillis).toLocaleTimeString()}`;
      status.classList.remove('stale');
      tokenForm.hidden = true;
    },
    // Tests and operators can see how the console is fed: <body data-transport="sse"> or "polling".
    onTransport: (transport) => { document.body.dataset.transport = transport; },
    onProblem: (message, unauthorized) => {
      status.textContent = message;
      status.classList.add('stale');
      tokenForm.hidden = !unauthorized;
    },
  });
}

tokenForm.addEventListener('submit', (event) => {
  event.preventDefault();
  rememberToken(document.getElementById('token').value);
  start();
});

function select(name) {
  selected = name;
  for (const row of body.rows) row.classList.toggle('selected', row.dataset.stream === name);
  if (latest) showSelected(latest.streams);
}

function render(streams) {
  document.getElementById('empty').hidden = streams.length > 0;
  // The node's clock, as the history it keeps: the two join without a seam whatever this browser's clock says.
  const now = latest.serverTimeMillis;
  const rows = streams.map((stream) => {
    const name = `${stream.app}/${stream.stream}`;
    record(name, stream, now);
    const row = document.createElement('tr');
    row.dataset.stream = name;
    row.classList.toggle('selected', name === selected);
    row.addEventListener('click', () => select(name));
    row.appendChild(cell(name));
    for (const protocol of VIEWER_PROTOCOLS) {
      const viewers = cell(String(stream.viewers[protocol] || 0));
      viewers.dataset.viewers = protocol;
      row.appendChild(viewers);
    }
    const server = cell(describe(stream.serverLatency, (s) => `${fmt(s.p50Ms)} / ${fmt(s.p99Ms)}`));
    server.className = 'latency';
    server.dataset.serverLatency = '';
    row.appendChild(server);
    const qoe = cell(describe(stream.qoe, (q) => [
      q.e2eLatencyP50Ms === null ? '—' : `${fmt(q.e2eLatencyP50Ms)} / ${fmt(q.e2eLatencyP95Ms)}`,
      q.firstFrameP50Ms === null ? null : `ff ${fmt(q.firstFrameP50Ms)}`,
      q.stallPercent === null ? null : `stalled ${q.stallPercent}%`,
      `(${q.players} player${q.players === 1 ? '' : 's'})`,
    ].filter((part) => part !== null).join(' ')));
    qoe.className = 'latency';
    qoe.dataset.qoe = '';
    row.appendChild(qoe);
    return row;
  });
  body.replaceChildren(...rows);
  for (const name of history.keys()) {
    if (!streams.some((s) => `${s.app}/${s.stream}` === name)) {
      history.delete(name);
      historyAsked.delete(name);
    }
  }
  if (!history.has(selected)) selected = history.keys().next().value ?? null;
  showSelected(streams);
}

/** The chart and the detail view of the selected stream. */
function showSelected(streams) {
  document.getElementById('chart-section').hidden = selected === null;
  document.getElementById('detail').hidden = selected === null;
  if (selected !== null) {
    if (!historyAsked.has(selected)) {
      historyAsked.add(selected);
      loadHistory(selected);
    }
    document.getElementById('chart-stream').textContent = selected;
    drawChart(document.getElementById('chart'), history.get(selected), HISTORY_SECONDS);
    renderDetail(streams.find((s) => `${s.app}/${s.stream}` === selected), latest.serverTimeMillis);
  }
}

/** Adds this list's figures to the stream's history: the best e2e p50 and worst server p99 across protocols. */
function record(name, stream, now) {
  const points = history.get(name) || [];
  const e2e = Object.values(stream.qoe).map((q) => q.e2eLatencyP50Ms).filter((v) => v !== null);
  const server = Object.values(stream.serverLatency).map((s) => s.p99Ms);
  points.push({
    t: now,
    e2e: e2e.length ? Math.min(...e2e) : null,
    server: server.length ? Math.max(...server) : null,
    viewers: Object.values(stream.viewers).reduce((sum, n) => sum + n, 0),
  });
  while (points.length && now - points[0].t > HISTORY_SECONDS * 1000) points.shift();
  history.set(name, points);
}

/**
 * The node's own samples of the stream the chart shows (every 2 s over the last minutes), put in front of what
 * this console has recorded itself since. Asked for the shown stream only: a node with a thousand streams gets one
 * request, not a thousand.
 */
async function loadHistory(name) {
  try {
    const token = apiToken();
    const [app, stream] = name.split('/');
    const response = await fetch(`../api/v1/streams/${encodeURIComponent(app)}/${encodeURIComponent(stream)}/history`,
      { headers: token ? { Authorization: `Bearer ${token}` } : {}, cache: 'no-store' });
    if (!response.ok) return;
    const body = await response.json();
    const points = history.get(name);
    if (!points) return;
    const firstOwn = points.length ? points[0].t : Infinity;
    const earlier = body.points.filter((p) => p.timeMillis < firstOwn).map((p) => ({
      t: p.timeMillis, e2e: p.e2eLatencyP50Ms, server: p.serverLatencyP99Ms, viewers: p.viewers,
    }));
    points.unshift(...earlier);
    // Tests see how many of the node's samples the chart started from.
    document.body.dataset.historyPoints = String(earlier.length);
    if (latest && name === selected) showSelected(latest.streams);
  } catch (error) {
    // The chart fills from the live feed alone.
  }
}

function describe(byProtocol, format) {
  const entries = Object.entries(byProtocol);
  return entries.length ? entries.map(([protocol, value]) => `${protocol.padEnd(8)} ${format(value)}`).join('\n') : '—';
}

function fmt(ms) {
  return ms < 10 ? ms.toFixed(1) : String(Math.round(ms));
}

function cell(text) {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}

start();
startClusterPanel();
