// Where a stream is played from. Accepts an artc URL (artc://host[:port]/{app}/{stream}[?query], which is WHEP at
// http(s)://host[:port]/{app}/{stream}/whep[?query]), "{app}/{stream}", or a bare stream name (app "live") on the
// node this module was loaded from.
// A URL without a port means the node's HTTP port: when it names the host this module was loaded from (the node's
// own /player/, or another site's page that embeds the player from the node), that origin's port and scheme; when
// it names the page's host (a node behind the site's own address), the page's; else 8080, the node's default, with
// the page's scheme (an HTTPS page can fetch only HTTPS).

const NAME = /^[A-Za-z0-9_.-]{1,128}$/;
const DEFAULT_HTTP_PORT = '8080';
const MODULE_ORIGIN = moduleOrigin();

function moduleOrigin() {
  try {
    const url = new URL(import.meta.url);
    return /^https?:$/.test(url.protocol) ? url : null;
  } catch (error) {
    return null;
  }
}

/** The host as URLs spell it (lower case, IPv6 compressed), or null when it is not a host. */
function canonicalHost(host) {
  try {
    return new URL(`http://${host}/`).hostname;
  } catch (error) {
    return null;
  }
}

/** Where an artc URL without a port goes: its port ('' for the scheme's default) and scheme. */
function defaultOrigin(host, page, module) {
  const named = canonicalHost(host);
  if (module && named !== null && canonicalHost(module.hostname) === named) {
    return { port: module.port, scheme: module.protocol };
  }
  if (page.hostname && named !== null && canonicalHost(page.hostname) === named) {
    return { port: page.port, scheme: page.protocol };
  }
  return { port: DEFAULT_HTTP_PORT, scheme: page.protocol };
}

export function resolveSource(input, page = window.location, module = MODULE_ORIGIN) {
  const text = String(input || '').trim();
  // "app/stream" and a bare name play from the node this module came from (on the node's own page, the page's).
  let host = module ? module.host : page.host;
  let scheme = module ? module.protocol : page.protocol;
  let path = text;
  let query = '';
  const artc = /^artc:\/\/([^/?#]+)\/([^?#]*)(\?[^#]*)?$/i.exec(text);
  if (artc) {
    host = artc[1];
    scheme = page.protocol;
    if (!/(^|[^:]):\d+$|\]:\d+$/.test(artc[1])) {
      const origin = defaultOrigin(artc[1], page, module);
      host += origin.port ? `:${origin.port}` : '';
      scheme = origin.scheme;
    }
    path = artc[2];
    query = artc[3] || '';
  } else if (/^[a-z]+:/i.test(text)) {
    throw new Error(`not an artc URL or stream name: ${text}`);
  }
  const parts = path.split('/').filter((part) => part.length > 0);
  if (parts.length === 1) parts.unshift('live');
  if (parts.length !== 2 || !parts.every((part) => NAME.test(part) && part !== '.' && part !== '..')) {
    throw new Error(`expected artc://host[:port]/app/stream, app/stream or a stream name, got: ${text}`);
  }
  const [app, stream] = parts;
  const protocol = scheme === 'https:' ? 'https:' : 'http:';
  const httpBase = `${protocol}//${host}`;
  const streamPath = `${encodeURIComponent(app)}/${encodeURIComponent(stream)}`;
  return {
    app,
    stream,
    httpBase,
    whepUrl: `${httpBase}/${streamPath}/whep${query}`,
    flvUrl: `${httpBase}/${streamPath}.flv${query}`,
    llHlsUrl: `${httpBase}/${streamPath}/ll.m3u8${query}`,
    hlsUrl: `${httpBase}/${streamPath}.m3u8${query}`,
  };
}
