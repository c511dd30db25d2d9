// The /player/ page: plays ?src= (an artc URL, app/stream or a stream name) with LiveShardPlayer and lists its
// events. The player is window.liveShardPlayer for debugging (and for the tests that drive this page).
import { LiveShardPlayer } from './liveshard-player.js';

const video = document.getElementById('video');
const input = document.getElementById('source');
const events = document.getElementById('events');
const params = new URLSearchParams(window.location.search);
const options = {};
if (params.has('protocols')) options.protocols = params.get('protocols').split(',');
for (const name of ['firstFrameTimeoutMs', 'mediaTimeoutMs', 'retries', 'reportIntervalMs', 'offlineRetryMs']) {
  if (params.has(name)) options[name] = Number(params.get(name));
}
const player = new LiveShardPlayer(video, options);
window.liveShardPlayer = player;
window.liveShardEvents = [];

for (const type of ['protocol', 'firstframe', 'fallback', 'retry', 'offline', 'failed']) {
  player.addEventListener(type, (event) => {
    window.liveShardEvents.push({ type, ...event.detail });
    const item = document.createElement('li');
    item.textContent = `${new Date().toISOString().slice(11, 23)} ${type} ${JSON.stringify(event.detail)}`;
    events.appendChild(item);
  });
}

function start(src) {
  input.value = src;
  player.play(src).catch((error) => {
    const item = document.createElement('li');
    item.textContent = `cannot play: ${error.message}`;
    events.appendChild(item);
  });
}

document.getElementById('source-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const url = new URL(window.location.href);
  url.searchParams.set('src', input.value);
  window.history.replaceState(null, '', url);
  start(input.value);
});

if (params.has('src')) start(params.get('src'));
