package io.liveshard.node.hls;

import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.MediaKind;
import io.liveshard.protocol.media.StreamKey;
import io.liveshard.protocol.mpegts.MpegTsException;
import io.liveshard.protocol.mpegts.MpegTsMuxer;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts one stream into MPEG-TS segments: each starts with PAT/PMT and a keyframe (any audio frame for audio-only
 * streams) and is closed at the first keyframe at least the target duration after its start. The last
 * {@code windowSegments} segments are kept; {@link #window()} is an immutable snapshot of them.
 *
 * <p>A new codec configuration after the first (a publisher reconnecting, or changing its encoder) closes the
 * segment at the next keyframe whatever its length and marks the next segment as a discontinuity. Not
 * thread-safe: {@link HlsStreamOutput} feeds it from one drain at a time.
 */
public final class HlsSegmenter implements HlsMuxing {

    private static final Logger log = LoggerFactory.getLogger(HlsSegmenter.class);
    /** First guess of a segment's size, so most segments never regrow their buffer: 2 s at ~2 Mbps. */
    private static final int INITIAL_SEGMENT_BYTES = 512 * 1024;

    private final StreamKey key;
    private final long targetMillis;
    private final int windowSegments;
    private final MpegTsMuxer muxer = new MpegTsMuxer();
    private final ArrayDeque<HlsSegment> segments = new ArrayDeque<>();

    private long nextSequence;
    private long discontinuitySequence;
    private boolean hasVideo;
    private boolean configSeen;
    private boolean discontinuityPending;
    private ByteArrayOutputStream current;
    private long currentStartDts;
    private long currentWallMillis;
    private boolean currentDiscontinuity;
    private long currentNewestIngestNanos;
    private long lastDts = Long.MIN_VALUE;
    private long lastFrameInterval;
    private long muxErrors;
    private volatile HlsWindow window = HlsWindow.EMPTY;

    /**
     * @param firstSequence media sequence number of the first segment (continues an earlier muxer of the stream)
     * @param startWithDiscontinuity the first segment follows an earlier muxer's segments
     */
    HlsSegmenter(StreamKey key, HlsSettings settings, long firstSequence, boolean startWithDiscontinuity) {
        this.key = key;
        this.targetMillis = settings.targetDuration().toMillis();
        this.windowSegments = settings.windowSegments();
        this.nextSequence = firstSequence;
        this.discontinuityPending = startWithDiscontinuity;
    }

    HlsWindow window() {
        return window;
    }

    @Override
    public long nextSequence() {
        return nextSequence;
    }

    @Override
    public boolean ready() {
        HlsWindow current = window;
        return !current.segments().isEmpty() || current.ended();
    }

    @Override
    public boolean ended() {
        return window.ended();
    }

    @Override
    public void accept(MediaFrame frame) {
        if (frame.kind() == MediaKind.DATA || !MpegTsMuxer.carries(frame.codec())) {
            return;
        }
        if (frame.config()) {
            acceptConfig(frame);
            return;
        }
        if (frame.payloadLength() == 0) {
            // An AVC end of sequence or a video command: nothing to put in a PES packet.
            return;
        }
        boolean boundary = hasVideo ? frame.isVideo() && frame.keyframe() : frame.isAudio();
        if (current == null) {
            if (!boundary) {
                return;
            }
            start(frame);
        } else if (boundary && (frame.dts() - currentStartDts >= targetMillis || discontinuityPending)) {
            close(frame.dts());
            start(frame);
        }
        write(frame);
        if (frame.dts() > lastDts) {
            lastFrameInterval = lastDts == Long.MIN_VALUE ? 0 : frame.dts() - lastDts;
            lastDts = frame.dts();
        }
    }

    /** The stream ended: the open segment is closed and the window says so. */
    @Override
    public void end() {
        if (current != null) {
            close(lastDts + Math.max(lastFrameInterval, 1));
        }
        window = new HlsWindow(List.copyOf(segments), discontinuitySequence, true);
    }

    private void acceptConfig(MediaFrame frame) {
        if (configSeen && (current != null || !segments.isEmpty())) {
            discontinuityPending = true;
        }
        configSeen = true;
        if (frame.isVideo()) {
            hasVideo = true;
        }
        try {
            // A config frame only updates the muxer's codec state; it writes nothing.
            muxer.accept(frame, current != null ? current : new ByteArrayOutputStream(0));
        } catch (MpegTsException e) {
            log.warn("hls {}: the TS muxer refused a codec configuration: {}", key, e.getMessage());
        }
    }

    private void start(MediaFrame frame) {
        current = new ByteArrayOutputStream(INITIAL_SEGMENT_BYTES);
        muxer.writeTables(current);
        currentStartDts = frame.dts();
        currentWallMillis = System.currentTimeMillis() - (System.nanoTime() - frame.ingestNanos()) / 1_000_000;
        currentDiscontinuity = discontinuityPending;
        currentNewestIngestNanos = 0;
        discontinuityPending = false;
    }

    private void write(MediaFrame frame) {
        currentNewestIngestNanos = Math.max(currentNewestIngestNanos, frame.ingestNanos());
        try {
            muxer.accept(frame, current);
        } catch (MpegTsException e) {
            if (muxErrors++ == 0) {
                log.warn("hls {}: skipping a frame the TS muxer refused (further ones counted silently): {}", key,
                        e.getMessage());
            }
        }
    }

    private void close(long endDts) {
        segments.addLast(new HlsSegment(nextSequence++, Math.max(0, endDts - currentStartDts), current.toByteArray(),
                currentWallMillis, currentDiscontinuity, currentNewestIngestNanos));
        current = null;
        while (segments.size() > windowSegments) {
            if (segments.removeFirst().discontinuity()) {
                discontinuitySequence++;
            }
        }
        window = new HlsWindow(List.copyOf(segments), discontinuitySequence, false);
    }
}
