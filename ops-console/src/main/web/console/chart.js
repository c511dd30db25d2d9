// A small line chart on a canvas: two latency series (left axis, ms) and viewers (right axis), newest on the right.

const COLORS = { e2e: '#4cf', server: '#fc4', viewers: '#8f8' };
const PAD = { left: 48, right: 40, top: 10, bottom: 20 };

export function drawChart(canvas, points, spanSeconds) {
  const ctx = canvas.getContext('2d');
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  const plotWidth = width - PAD.left - PAD.right;
  const plotHeight = height - PAD.top - PAD.bottom;
  const now = points.length ? points[points.length - 1].t : 0;
  const x = (t) => PAD.left + plotWidth * (1 - (now - t) / (spanSeconds * 1000));
  const maxMs = niceCeiling(Math.max(10, ...points.flatMap((p) => [p.e2e, p.server].filter((v) => v !== null))));
  const maxViewers = niceCeiling(Math.max(1, ...points.map((p) => p.viewers)));
  ctx.strokeStyle = '#333';
  ctx.fillStyle = '#888';
  ctx.font = '11px monospace';
  for (let i = 0; i <= 4; i++) {
    const y = PAD.top + plotHeight * (1 - i / 4);
    ctx.beginPath();
    ctx.moveTo(PAD.left, y);
    ctx.lineTo(width - PAD.right, y);
    ctx.stroke();
    ctx.fillText(`${Math.round(maxMs * i / 4)}`, 4, y + 4);
    ctx.fillText(`${Math.round(maxViewers * i / 4)}`, width - PAD.right + 6, y + 4);
  }
  ctx.fillText(`-${spanSeconds} s`, PAD.left, height - 4);
  ctx.fillText('now', width - PAD.right - 24, height - 4);
  line(ctx, points, x, (p) => p.e2e, (v) => PAD.top + plotHeight * (1 - v / maxMs), COLORS.e2e);
  line(ctx, points, x, (p) => p.server, (v) => PAD.top + plotHeight * (1 - v / maxMs), COLORS.server);
  line(ctx, points, x, (p) => p.viewers, (v) => PAD.top + plotHeight * (1 - v / maxViewers), COLORS.viewers);
}

function line(ctx, points, x, value, y, color) {
  ctx.strokeStyle = color;
  ctx.lineWidth = 2;
  ctx.beginPath();
  let drawing = false;
  for (const point of points) {
    const v = value(point);
    if (v === null || v === undefined) { drawing = false; continue; }
    if (drawing) ctx.lineTo(x(point.t), y(v)); else ctx.moveTo(x(point.t), y(v));
    drawing = true;
  }
  ctx.stroke();
}

function niceCeiling(value) {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (value <= step * magnitude) return step * magnitude;
  return 10 * magnitude;
}
