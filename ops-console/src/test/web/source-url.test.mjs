// Where the player goes for each kind of source it is given (node --test, run by the ops-console module's tests).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveSource } from '../../main/web/player/source-url.js';

const page = (url) => new URL(url);

test('the node\'s own page: a port-less artc URL of its host means the node\'s port', () => {
  const node = page('http://node.example:8080/player/');
  const source = resolveSource('artc://node.example/live/cam1', node, node);
  assert.equal(source.whepUrl, 'http://node.example:8080/live/cam1/whep');
  assert.equal(source.flvUrl, 'http://node.example:8080/live/cam1.flv');
});

test('another site embeds the module from the node: the node\'s port and scheme, not the page\'s', () => {
  const site = page('http://site.example/watch.html');
  const module = page('https://node.example:8443/player/liveshard-player.js');
  assert.equal(resolveSource('artc://node.example/live/cam1', site, module).whepUrl,
    'https://node.example:8443/live/cam1/whep');
  assert.equal(resolveSource('live/cam1', site, module).whepUrl, 'https://node.example:8443/live/cam1/whep');
  assert.equal(resolveSource('cam1', site, module).flvUrl, 'https://node.example:8443/live/cam1.flv');
});

test('a node behind the page\'s own address: the page\'s port', () => {
  const site = page('https://site.example/watch.html');
  const module = page('https://cdn.example/liveshard-player.js');
  assert.equal(resolveSource('artc://site.example/live/cam1', site, module).whepUrl,
    'https://site.example/live/cam1/whep');
});

test('any other host: 8080, the node\'s default HTTP port, with the page\'s scheme', () => {
  const site = page('http://site.example/');
  assert.equal(resolveSource('artc://other.example/live/cam1', site, null).whepUrl,
    'http://other.example:8080/live/cam1/whep');
});

test('an explicit port, IPv6 hosts and the query are kept', () => {
  const node = page('http://[::1]:8080/player/');
  assert.equal(resolveSource('artc://[::1]/live/cam1?auth_key=abc', node, node).whepUrl,
    'http://[::1]:8080/live/cam1/whep?auth_key=abc');
  assert.equal(resolveSource('artc://[0:0::1]/live/cam1', node, node).whepUrl, 'http://[0:0::1]:8080/live/cam1/whep');
  assert.equal(resolveSource('artc://[::1]:9000/live/cam1', node, node).whepUrl, 'http://[::1]:9000/live/cam1/whep');
  assert.equal(resolveSource('artc://Node.Example:81/live/cam1', node, node).whepUrl,
    'http://Node.Example:81/live/cam1/whep');
});

test('what is not a source is refused', () => {
  const node = page('http://node.example:8080/player/');
  for (const bad of ['http://node.example/live/cam1', 'artc://node.example/live/../x', 'a/b/c', '', 'live/ca m']) {
    assert.throws(() => resolveSource(bad, node, node), Error, bad);
  }
});
