/*
 * Publishes an FLV stream read from stdin to an RTMP URL with librtmp, the way OBS's RTMP output (a librtmp fork)
 * does: librtmp's handshake, connect, releaseStream, FCPublish, createStream and publish, then every FLV tag as an
 * RTMP message, metadata with @setDataFrame. Used by the node's tests as an independent publisher.
 *
 *     ffmpeg -re ... -f flv - | librtmp_publish rtmp://127.0.0.1:1935/live/cam1
 */
#include <librtmp/log.h>
#include <librtmp/rtmp.h>
#include <stdio.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s rtmp://host[:port]/app/stream < stream.flv\n", argv[0]);
        return 2;
    }
    RTMP_LogSetLevel(RTMP_LOGINFO);
    RTMP *rtmp = RTMP_Alloc();
    RTMP_Init(rtmp);
    if (!RTMP_SetupURL(rtmp, argv[1])) {
        fprintf(stderr, "librtmp_publish: cannot parse %s\n", argv[1]);
        return 1;
    }
    RTMP_EnableWrite(rtmp);
    if (!RTMP_Connect(rtmp, NULL) || !RTMP_ConnectStream(rtmp, 0)) {
        fprintf(stderr, "librtmp_publish: connect or publish failed\n");
        return 1;
    }
    static char buffer[64 * 1024];
    size_t read;
    long long total = 0;
    while ((read = fread(buffer, 1, sizeof buffer, stdin)) > 0) {
        /* RTMP_Write skips the FLV header and keeps a tag that spans two reads until it is whole. */
        if (RTMP_Write(rtmp, buffer, (int) read) <= 0) {
            fprintf(stderr, "librtmp_publish: write failed after %lld bytes\n", total);
            return 1;
        }
        total += (long long) read;
    }
    RTMP_Close(rtmp);
    RTMP_Free(rtmp);
    fprintf(stderr, "librtmp_publish: published %lld bytes\n", total);
    return 0;
}
