// The offset between this browser's clock and the node's, NTP-style: for each GET /api/v1/time,
// offset = server time − midpoint of request and response; the sample with the shortest round trip wins, since
// its midpoint is the least uncertain (the error is at most half that round trip).

export async function measureClockOffset(httpBase, samples = 5) {
  let best = null;
  for (let i = 0; i < samples; i++) {
    const sentWall = Date.now();
    const sent = performance.now();
    const response = await fetch(`${httpBase}/api/v1/time`, { cache: 'no-store' });
    const { serverTimeMillis } = await response.json();
    const rtt = performance.now() - sent;
    const offset = serverTimeMillis - (sentWall + rtt / 2);
    if (best === null || rtt < best.rttMs) best = { offsetMs: offset, rttMs: rtt };
  }
  return best;
}

/** The node's wall clock now, in milliseconds, by this browser's clock and the measured offset. */
export function serverNow(offset, localWallMs = Date.now()) {
  return localWallMs + offset.offsetMs;
}
