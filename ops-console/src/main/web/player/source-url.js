// Where a stream is played from. Accepts an artc URL (artc://host[:port]/{app}/{stream}[?query], which is WHEP at
// http(s)://host[:port]/{app}/{stream}/whep[?query]), "{app}/{stream}", or a bare stream name (app "live").
// A missing port means the page's own HTTP(S) port; the scheme is the page's.

const NAME = /^[A-Za-z0-9_.-]{1,128}$/;

export function resolveSource(input, page = window.location) {
  const text = String(input || '').trim();
  let host = page.host;
  let path = text;
  let query = '';
  const artc = /^artc:\/\/([^/?#]+)\/([^?#]*)(\?[^#]*)?$/i.exec(text);
  if (artc) {
    const port = /:\d+$/.test(artc[1]) ? '' : (page.port ? `:${page.port}` : '');
    host = artc[1] + port;
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
  const protocol = page.protocol === 'https:' ? 'https:' : 'http:';
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
