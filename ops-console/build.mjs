// Bundles the web player and the ops console with esbuild.
//   LIVESHARD_WEB_SRC  the sources (src/main/web); default: ./src/main/web next to this file
//   LIVESHARD_WEB_OUT  where the static files go; default: ./dist
// Run by Maven (see pom.xml) from a copy of this npm project in the build folder, or by hand with `npm run build`.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const src = process.env.LIVESHARD_WEB_SRC || path.join(here, 'src', 'main', 'web');
const out = process.env.LIVESHARD_WEB_OUT || path.join(here, 'dist');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

await esbuild.build({
  entryPoints: {
    'player/liveshard-player': path.join(src, 'player', 'liveshard-player.js'),
    'player/player-page': path.join(src, 'player', 'player-page.js'),
    'console/console': path.join(src, 'console', 'console.js'),
  },
  outdir: out,
  bundle: true,
  // ES modules with code splitting: hls.js and mpegts.js are loaded only when the player falls back to them.
  format: 'esm',
  splitting: true,
  // Entry files keep stable names (other sites import /player/liveshard-player.js); chunks carry a content hash
  // so the node can let browsers cache them for good.
  entryNames: '[dir]/[name]',
  chunkNames: 'player/chunks/[name]-[hash]',
  minify: true,
  sourcemap: true,
  target: ['chrome100', 'firefox100', 'safari15'],
  // The sources live outside this folder when Maven builds from its copy; resolve packages from here.
  nodePaths: [path.join(here, 'node_modules')],
  logLevel: 'warning',
});

for (const page of ['player/index.html', 'player/player.css', 'console/index.html', 'console/console.css']) {
  cpSync(path.join(src, page), path.join(out, page));
}
