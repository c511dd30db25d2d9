// The player's small status overlay: protocol, end-to-end latency (or why it cannot be measured), bitrate, stalls.

export class Overlay {
  constructor(video) {
    const host = video.parentElement;
    if (getComputedStyle(host).position === 'static') host.style.position = 'relative';
    this.element = document.createElement('div');
    this.element.className = 'liveshard-overlay';
    Object.assign(this.element.style, {
      position: 'absolute', top: '8px', left: '8px', padding: '6px 8px', borderRadius: '4px',
      background: 'rgba(0,0,0,0.6)', color: '#fff', font: '12px/1.4 monospace', pointerEvents: 'none',
      whiteSpace: 'pre',
    });
    host.appendChild(this.element);
  }

  show(stats) {
    const latency = stats.latencyMs !== null
      ? `${Math.round(stats.latencyMs)} ms`
      : (stats.latencyNote || 'measuring…');
    const lines = [
      `protocol  ${stats.protocol || '—'}${stats.state === 'failed' ? ' (all protocols failed)' : ''}`
        + `${stats.state === 'offline' ? ' (the stream is not live; trying again)' : ''}`,
      `latency   ${latency}`,
      `bitrate   ${stats.bitrateKbps !== null ? `${Math.round(stats.bitrateKbps)} kbit/s` : '—'}`,
      `stalls    ${stats.stalls} (${(stats.stallMs / 1000).toFixed(1)} s)`,
    ];
    if (stats.fallbacks.length) {
      lines.push(`fallbacks ${stats.fallbacks.map((f) => `${f.from} -> ${f.to} (${f.reason})`).join(', ')}`);
    }
    this.element.textContent = lines.join('\n');
  }

  remove() {
    this.element.remove();
  }
}
