package io.liveshard.protocol.rtmp;

import io.liveshard.protocol.media.StreamKey;
import java.util.ArrayList;
import java.util.List;

/** Records what a session reports, and answers publish and play requests the way a test asks. */
final class RtmpRecordingListener implements RtmpSessionListener {

    enum Answer { ACCEPT, REJECT, NONE }

    final List<String> events = new ArrayList<>();
    final List<RtmpMessage> media = new ArrayList<>();
    RtmpServerSession session;
    Answer answer = Answer.ACCEPT;

    @Override
    public void onConnect(String app, String tcUrl) {
        events.add("connect " + app + " " + tcUrl);
    }

    @Override
    public void onPublish(StreamKey key, String query) {
        events.add("publish " + key + " ?" + query);
        switch (answer) {
            case ACCEPT -> session.acceptPublish();
            case REJECT -> session.rejectPublish("stream " + key + " is already published");
            case NONE -> { }
        }
    }

    @Override
    public void onPlay(StreamKey key, String query) {
        events.add("play " + key + " ?" + query);
        switch (answer) {
            case ACCEPT -> session.acceptPlay();
            case REJECT -> session.rejectPlay("no stream " + key);
            case NONE -> { }
        }
    }

    @Override
    public void onMedia(RtmpMessage message) {
        media.add(message);
    }

    @Override
    public void onStreamClosed() {
        events.add("closed");
    }

    @Override
    public void onNotice(String message) {
        events.add("notice " + message);
    }
}
