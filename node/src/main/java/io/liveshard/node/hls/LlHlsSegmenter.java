package io.liveshard.node.hls;

import io.liveshard.protocol.fmp4.Fmp4Exception;
import io.liveshard.protocol.fmp4.Fmp4Fragment;
import io.liveshard.protocol.fmp4.Fmp4InitSegment;
import io.liveshard.protocol.fmp4.Fmp4Sample;
import io.liveshard.protocol.fmp4.Fmp4Track;
import io.liveshard.protocol.fmp4.Fmp4TrackRun;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.MediaKind;
import io.liveshard.protocol.media.StreamKey;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts one stream into Low-Latency HLS fMP4 parts and segments. A segment starts at a keyframe (any audio frame
 * for audio-only streams) at least the target duration after the previous one; within it, a part is closed at a
 * frame of the leading track whenever one more frame would make it longer than the part target. Each part is one
 * movie fragment, built once; a segment is its parts back to back.
 *
 * <p>A sample's duration is the time to the next frame of its track, so each track keeps its newest frame pending
 * until the next one arrives. A codec configuration after media started means a new publisher or new encoder
 * settings: the next segment starts with a discontinuity and a new init segment.
 *
 * <p>Fed from one drain at a time; requests read the volatile {@link LlHlsWindow} snapshot or {@link #await} one.
 */
public final class LlHlsSegmenter implements HlsMuxing {

    private static final Logger log = LoggerFactory.getLogger(LlHlsSegmenter.class);
    private static final int VIDEO_TRACK_ID = 1;
    private static final int AUDIO_TRACK_ID = 2;
    /**
     * How far one track may run ahead while the other has nothing waiting before it is released anyway (the other
     * track stalled or ended): bounds the delay this adds to a stream whose audio or video stops.
     */
    private static final long MAX_TRACK_SKEW_MILLIS = 1000;

    private final StreamKey key;
    private final long targetMillis;
    private final long partTargetMillis;
    private final int windowSegments;
    private final ArrayDeque<LlHlsSegment> segments = new ArrayDeque<>();
    private final Map<Integer, byte[]> inits = new HashMap<>();
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<MediaFrame> videoWaiting = new ArrayDeque<>();
    private final ArrayDeque<MediaFrame> audioWaiting = new ArrayDeque<>();

    private Fmp4Track videoTrack;
    private Fmp4Track audioTrack;
    private boolean tracksChanged;
    private int initVersion = -1;
    private boolean mediaStarted;
    private boolean discontinuityPending;

    private MediaFrame pendingVideo;
    private MediaFrame pendingAudio;
    private long leadInterval;
    private final List<Fmp4Sample> partVideo = new ArrayList<>();
    private final List<Fmp4Sample> partAudio = new ArrayList<>();
    private long partStartDts;
    private long partNewestIngestNanos;
    private boolean partIndependent;

    private boolean segmentOpen;
    private long edgeSequence;
    private long segmentStartDts;
    private long segmentWallMillis;
    private boolean segmentDiscontinuity;
    private List<LlHlsPart> edgeParts = new ArrayList<>();
    private int fragmentSequence = 1;
    private long discontinuitySequence;
    private long lastDts = Long.MIN_VALUE;
    private long errors;
    private volatile LlHlsWindow window = LlHlsWindow.EMPTY;

    /** The last playlist rendered, with the window it shows. */
    private volatile Rendered<?> rendered;

    private record Rendered<T>(LlHlsWindow window, T value) {}

    private record Waiter(Predicate<LlHlsWindow> condition, CompletableFuture<LlHlsWindow> result) {}

    LlHlsSegmenter(StreamKey key, LlHlsSettings settings, long firstSequence, boolean startWithDiscontinuity) {
        this.key = key;
        this.targetMillis = settings.targetDuration().toMillis();
        this.partTargetMillis = settings.partTarget().toMillis();
        this.windowSegments = settings.windowSegments();
        this.edgeSequence = firstSequence;
        this.discontinuityPending = startWithDiscontinuity;
    }

    public LlHlsWindow window() {
        return window;
    }

    /**
     * Completes with the first snapshot that satisfies {@code condition}, or with null after {@code timeout}.
     */
    public CompletableFuture<LlHlsWindow> await(Predicate<LlHlsWindow> condition, Duration timeout) {
        LlHlsWindow now = window;
        if (condition.test(now)) {
            return CompletableFuture.completedFuture(now);
        }
        Waiter waiter = new Waiter(condition, new CompletableFuture<>());
        waiters.add(waiter);
        // The window may have moved on between the test above and the registration.
        wakeWaiters();
        return waiter.result().completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((result, failure) -> waiters.remove(waiter));
    }

    /**
     * What {@code render} makes of {@code window}, made once per window: the last result is kept and handed to every
     * caller asking for the same window. Callers must always pass the same kind of {@code render}.
     */
    @SuppressWarnings("unchecked")
    public <T> T rendered(LlHlsWindow window, Function<LlHlsWindow, T> render) {
        Rendered<?> last = rendered;
        if (last != null && last.window() == window) {
            return (T) last.value();
        }
        T value = render.apply(window);
        rendered = new Rendered<>(window, value);
        return value;
    }

    @Override
    public long nextSequence() {
        return segmentOpen ? edgeSequence + 1 : edgeSequence;
    }

    @Override
    public boolean ready() {
        return window.playable();
    }

    @Override
    public boolean ended() {
        return window.ended();
    }

    /**
     * Takes frames in arrival order and hands them on in decode order across tracks: publishers interleave audio and
     * video loosely (audio often trails by hundreds of milliseconds), and a part must hold the audio of its own time
     * span, or a player's buffered range (the intersection of its tracks) ends early and playback stalls.
     */
    @Override
    public void accept(MediaFrame frame) {
        if (frame.kind() == MediaKind.DATA) {
            return;
        }
        if (frame.config()) {
            acceptConfig(frame);
            return;
        }
        if (frame.payloadLength() == 0) {
            // An AVC end of sequence (ffmpeg ends every stream with one) or a video command: no picture, and a
            // sample of 0 bytes makes the segment unreadable for ffmpeg.
            return;
        }
        (frame.isVideo() ? videoWaiting : audioWaiting).addLast(frame);
        releaseInDecodeOrder(false);
    }

    private void releaseInDecodeOrder(boolean all) {
        while (!videoWaiting.isEmpty() || !audioWaiting.isEmpty()) {
            MediaFrame next;
            if (!videoWaiting.isEmpty() && !audioWaiting.isEmpty()) {
                next = videoWaiting.peekFirst().dts() <= audioWaiting.peekFirst().dts()
                        ? videoWaiting.pollFirst() : audioWaiting.pollFirst();
            } else {
                ArrayDeque<MediaFrame> waiting = videoWaiting.isEmpty() ? audioWaiting : videoWaiting;
                boolean otherTrackExists = waiting == videoWaiting ? audioTrack != null : videoTrack != null;
                long span = waiting.peekLast().dts() - waiting.peekFirst().dts();
                if (!all && otherTrackExists && span < MAX_TRACK_SKEW_MILLIS) {
                    return;
                }
                next = waiting.pollFirst();
            }
            acceptInOrder(next);
        }
    }

    private void acceptInOrder(MediaFrame frame) {
        Fmp4Track track = frame.isVideo() ? videoTrack : audioTrack;
        if (track == null) {
            return;
        }
        boolean leads = videoTrack != null ? frame.isVideo() : frame.isAudio();
        boolean segmentBoundary = leads && (videoTrack == null || frame.keyframe())
                && (!segmentOpen || frame.dts() - segmentStartDts >= targetMillis || discontinuityPending);
        if (!segmentOpen && !segmentBoundary) {
            return;
        }
        finishPendingSample(frame);
        boolean newPart = false;
        if (segmentBoundary) {
            if (segmentOpen) {
                finishPendingAudioAcross(frame);
                closePart(frame.dts());
                closeSegment(frame.dts());
            }
            openSegment(frame);
            newPart = true;
        } else if (leads && frame.dts() - partStartDts + leadInterval > partTargetMillis) {
            finishPendingAudioAcross(frame);
            closePart(frame.dts());
            newPart = true;
        }
        if (newPart) {
            // Parts start at a frame of the leading track: the new part is independent if that frame is a keyframe.
            partIndependent = videoTrack == null || frame.keyframe();
        }
        if (leads && lastDts != Long.MIN_VALUE && frame.dts() > lastDts) {
            leadInterval = frame.dts() - lastDts;
        }
        if (leads) {
            lastDts = frame.dts();
        }
        if (frame.isVideo()) {
            pendingVideo = frame;
        } else {
            pendingAudio = frame;
        }
        mediaStarted = true;
    }

    @Override
    public void end() {
        releaseInDecodeOrder(true);
        if (segmentOpen) {
            long end = lastDts + Math.max(leadInterval, 1);
            if (pendingVideo != null) {
                addSample(videoTrack, pendingVideo, Math.max(end, pendingVideo.dts()), partVideo);
            }
            if (pendingAudio != null) {
                addSample(audioTrack, pendingAudio, Math.max(end, pendingAudio.dts()), partAudio);
            }
            pendingVideo = null;
            pendingAudio = null;
            closePart(end);
            closeSegment(end);
        }
        publish(true);
    }

    private void acceptConfig(MediaFrame frame) {
        Fmp4Track track;
        try {
            track = frame.isVideo() ? Fmp4Track.video(VIDEO_TRACK_ID, frame) : Fmp4Track.audio(AUDIO_TRACK_ID, frame);
        } catch (Fmp4Exception e) {
            log.warn("ll-hls {}: cannot carry the {} configuration: {}", key, frame.codec(), e.getMessage());
            return;
        }
        if (mediaStarted) {
            discontinuityPending = true;
        }
        if (frame.isVideo()) {
            tracksChanged |= !track.equals(videoTrack);
            videoTrack = track;
        } else {
            tracksChanged |= !track.equals(audioTrack);
            audioTrack = track;
        }
    }

    /** The newest frame of this frame's track lasts until this frame: it becomes a sample of the open part. */
    private void finishPendingSample(MediaFrame frame) {
        if (frame.isVideo() && pendingVideo != null) {
            addSample(videoTrack, pendingVideo, frame.dts(), partVideo);
            pendingVideo = null;
        } else if (frame.isAudio() && pendingAudio != null) {
            addSample(audioTrack, pendingAudio, frame.dts(), partAudio);
            pendingAudio = null;
        }
    }

    /**
     * Before a part closes at a video frame, its last audio frame goes into it, lasting until the next audio frame
     * (already waiting, as frames are released in decode order): the part's audio then reaches its end. Held back
     * to the next part instead, the audio would end up to a frame short of the video, and a player that looks for
     * the part covering its buffered end (the intersection of the tracks) would load the same part over and over.
     */
    private void finishPendingAudioAcross(MediaFrame boundary) {
        if (!boundary.isVideo() || pendingAudio == null || audioWaiting.isEmpty()) {
            return;
        }
        addSample(audioTrack, pendingAudio, audioWaiting.peekFirst().dts(), partAudio);
        pendingAudio = null;
    }

    private void addSample(Fmp4Track track, MediaFrame frame, long nextDts, List<Fmp4Sample> into) {
        try {
            into.add(Fmp4Sample.of(track, frame, Math.max(nextDts, frame.dts())));
            partNewestIngestNanos = Math.max(partNewestIngestNanos, frame.ingestNanos());
        } catch (Fmp4Exception e) {
            countError(e);
        }
    }

    private void openSegment(MediaFrame frame) {
        if (tracksChanged || initVersion < 0) {
            List<Fmp4Track> tracks = new ArrayList<>(2);
            if (videoTrack != null) {
                tracks.add(videoTrack);
            }
            if (audioTrack != null) {
                tracks.add(audioTrack);
            }
            try {
                inits.put(++initVersion, Fmp4InitSegment.build(tracks));
            } catch (Fmp4Exception e) {
                countError(e);
            }
            tracksChanged = false;
        }
        segmentOpen = true;
        segmentStartDts = frame.dts();
        segmentWallMillis = System.currentTimeMillis() - (System.nanoTime() - frame.ingestNanos()) / 1_000_000;
        segmentDiscontinuity = discontinuityPending;
        discontinuityPending = false;
        partStartDts = frame.dts();
        edgeParts = new ArrayList<>();
        publish(false);
    }

    private void closePart(long endDts) {
        List<Fmp4TrackRun> runs = new ArrayList<>(2);
        if (!partVideo.isEmpty()) {
            runs.add(new Fmp4TrackRun(videoTrack, List.copyOf(partVideo)));
        }
        if (!partAudio.isEmpty()) {
            runs.add(new Fmp4TrackRun(audioTrack, List.copyOf(partAudio)));
        }
        partVideo.clear();
        partAudio.clear();
        long newestIngestNanos = partNewestIngestNanos;
        partNewestIngestNanos = 0;
        long start = partStartDts;
        partStartDts = endDts;
        if (runs.isEmpty()) {
            return;
        }
        try {
            byte[] fragment = Fmp4Fragment.build(fragmentSequence++, runs);
            edgeParts.add(new LlHlsPart(edgeSequence, edgeParts.size(), Math.max(0, endDts - start), fragment,
                    partIndependent, newestIngestNanos));
        } catch (Fmp4Exception e) {
            countError(e);
        }
        publish(false);
    }

    private void closeSegment(long endDts) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long newestIngestNanos = 0;
        for (LlHlsPart part : edgeParts) {
            bytes.writeBytes(part.bytes());
            newestIngestNanos = Math.max(newestIngestNanos, part.newestIngestNanos());
        }
        segments.addLast(new LlHlsSegment(edgeSequence, Math.max(0, endDts - segmentStartDts), List.copyOf(edgeParts),
                bytes.toByteArray(), segmentWallMillis, segmentDiscontinuity, initVersion,
                newestIngestNanos));
        while (segments.size() > windowSegments) {
            if (segments.removeFirst().discontinuity()) {
                discontinuitySequence++;
            }
        }
        edgeSequence++;
        edgeParts = new ArrayList<>();
        segmentOpen = false;
    }

    private void publish(boolean ended) {
        Map<Integer, byte[]> usedInits = new HashMap<>();
        for (LlHlsSegment segment : segments) {
            usedInits.putIfAbsent(segment.initVersion(), inits.get(segment.initVersion()));
        }
        if (initVersion >= 0) {
            usedInits.put(initVersion, inits.get(initVersion));
        }
        inits.keySet().retainAll(usedInits.keySet());
        window = new LlHlsWindow(List.copyOf(segments), edgeSequence, List.copyOf(edgeParts), segmentWallMillis,
                segmentDiscontinuity, initVersion, Map.copyOf(usedInits), discontinuitySequence,
                ended || window.ended());
        wakeWaiters();
    }

    private void wakeWaiters() {
        LlHlsWindow now = window;
        for (Waiter waiter : waiters) {
            if (waiter.condition().test(now)) {
                waiter.result().complete(now);
            }
        }
    }

    private void countError(Exception e) {
        if (errors++ == 0) {
            log.warn("ll-hls {}: skipping media the fMP4 muxer refused (further ones counted silently): {}", key,
                    e.getMessage());
        }
    }
}
