// Feeds the console the stream list: server-sent events from GET /api/v1/events (one list a second, pushed), and
// if EventSource fails before its first event (an old proxy, a blocked stream, a 401) polling GET /api/v1/streams
// once a second instead. With liveshard.api.token set, the token goes along: as a Bearer header when polling and
// as ?token= for EventSource, which cannot set headers.

const POLL_MS = 1000;
const TOKEN_KEY = 'liveshard-api-token';

/** The token from the page's ?token= (remembered for this tab) or from an earlier entry; '' when none. */
export function apiToken() {
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl !== null) sessionStorage.setItem(TOKEN_KEY, fromUrl);
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

export function rememberToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
}

/**
 * Calls onList(list) with each stream list, onTransport('sse' | 'polling') when the way of getting them is chosen,
 * onProblem(message, unauthorized) when the node does not answer or refuses. Returns a function that stops it.
 */
export function startFeed({ onList, onTransport, onProblem }) {
  const token = apiToken();
  let stopped = false;
  let timer = null;
  let source = null;

  const poll = async () => {
    try {
      const response = await fetch('../api/v1/streams', {
        cache: 'no-store',
        headers: token ? { Authorization: `Bearer ${token}` } : {},
      });
      if (response.status === 401) {
        onProblem('the node wants an API token', true);
        return;
      }
      if (!response.ok) throw new Error(`the node answered ${response.status}`);
      onList(await response.json());
    } catch (error) {
      onProblem(`no answer from the node: ${error.message}`, false);
    }
    if (!stopped) timer = setTimeout(poll, POLL_MS);
  };

  const fallBackToPolling = () => {
    onTransport('polling');
    poll();
  };

  if (typeof EventSource === 'function') {
    source = new EventSource(`../api/v1/events${token ? `?token=${encodeURIComponent(token)}` : ''}`);
    let received = false;
    source.onopen = () => onTransport('sse');
    source.onmessage = (event) => {
      received = true;
      onList(JSON.parse(event.data));
    };
    source.onerror = () => {
      // After events have flowed, EventSource reconnects by itself; before any, or once it gave up, it never will.
      if (received && source.readyState !== EventSource.CLOSED) {
        onProblem('event stream interrupted, reconnecting', false);
        return;
      }
      source.close();
      source = null;
      if (!stopped) fallBackToPolling();
    };
  } else {
    fallBackToPolling();
  }

  return () => {
    stopped = true;
    clearTimeout(timer);
    if (source) source.close();
  };
}
