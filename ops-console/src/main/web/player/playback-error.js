// A protocol could not play; reason is one of the fixed words the node accepts in QoE reports (FallbackReason).
export class PlaybackError extends Error {
  constructor(reason, message) {
    super(message);
    this.reason = reason;
  }
}
