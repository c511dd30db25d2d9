// The cluster panel: every node of the cluster (address, status, streams it owns, viewers by protocol, CPU, heap,
// roles), the streams this node relays from other nodes and this node's load, from GET /api/v1/cluster every second
// (each node's CPU figure covers its last 2 s). Membership and load are shown as of the last poll, not pushed with
// the stream list: a poll asks every node, which the stream feed should not wait for.
import { apiToken } from './live-feed.js';

const REFRESH_MS = 1000;

/**
 * Polls one request at a time, the next a second after the last answer: a slow node (the view waits up to 2 s for
 * every node's answer) never has requests pile up, and an older answer never replaces a newer one.
 */
export function startClusterPanel() {
  const refresh = async () => {
    try {
      const token = apiToken();
      const response = await fetch('../api/v1/cluster', {
        headers: token ? { Authorization: `Bearer ${token}` } : {},
        cache: 'no-store',
      });
      if (response.ok) render(await response.json());
    } catch (e) {
      // The stream feed reports an unreachable node; the panel keeps its last view.
    }
    setTimeout(refresh, REFRESH_MS);
  };
  refresh();
}

function render(view) {
  document.getElementById('cluster-section').hidden = false;
  const relayed = Object.entries(view.relayedStreams);
  document.getElementById('cluster-self').textContent = `this node: ${view.self}, CPU ${cpu(view.load)}%`
    + ` of a core, heap ${heap(view.load)} MiB`
    + (relayed.length ? `, relaying ${relayed.map(([stream]) => stream).join(', ')}` : '');
  const body = document.querySelector('#cluster tbody');
  body.replaceChildren(...view.nodes.map((node) => {
    const row = document.createElement('tr');
    row.dataset.node = node.address;
    row.classList.toggle('selected', node.self);
    for (const text of [node.address + (node.self ? ' (this node)' : ''), node.status,
      node.streamsOwned.join(', ') || '—', viewersText(node.viewers),
      cpu(node.load), heap(node.load),
      node.roles.join(', ') || '—']) {
      const cell = document.createElement('td');
      cell.textContent = text;
      row.append(cell);
    }
    return row;
  }));
}

/** "4 (http-flv 2, rtmp 1, artc 1)"; "—" when the node did not tell (it did not answer in time). */
function viewersText(viewers) {
  if (!viewers) return '—';
  const watched = Object.entries(viewers).filter(([, count]) => count > 0);
  const total = watched.reduce((sum, [, count]) => sum + count, 0);
  return watched.length ? `${total} (${watched.map(([protocol, count]) => `${protocol} ${count}`).join(', ')})` : '0';
}

/** CPU in percent of one core; "—" when unknown (no answer, or the first seconds after a node starts). */
function cpu(load) {
  return load && load.cpuPercentOfOneCore >= 0 ? String(load.cpuPercentOfOneCore) : '—';
}

/** "used of max" MiB, or only "used" when the heap has no set maximum. */
function heap(load) {
  if (!load) return '—';
  return load.heapMaxBytes > 0 ? `${mib(load.heapUsedBytes)} of ${mib(load.heapMaxBytes)}` : `${mib(load.heapUsedBytes)}`;
}

function mib(bytes) {
  return Math.round(bytes / (1024 * 1024));
}
