// A protocol could not play; reason is one of the fixed words the node accepts in QoE reports (FallbackReason).
// notLive: the node said the stream is not live (or has ended), so no other protocol would play it either.
export class PlaybackError extends Error {
  constructor(reason, message, notLive = false) {
    super(message);
    this.reason = reason;
    this.notLive = notLive;
  }
}
