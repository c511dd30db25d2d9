/*
 * Publishes an FLV stream read from stdin to an RTMP URL with librtmp, the way OBS's RTMP output (a librtmp fork)
 * does: librtmp's handshake, connect, releaseStream, FCPublish, createStream and publish, then every FLV tag as an
 * RTMP message as soon as it is read, metadata with @setDataFrame. Used by the node's tests as a publisher.
 *
 *     ffmpeg -re ... -f flv - | librtmp_publish rtmp://127.0.0.1:1935/live/cam1
 */
#include <librtmp/log.h>
#include <librtmp/rtmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FLV_HEADER_SIZE 9
#define PREVIOUS_TAG_SIZE 4
#define TAG_HEADER_SIZE 11
/* A tag with its PreviousTagSize; the body size is 24 bits. */
#define MAX_TAG_SIZE (TAG_HEADER_SIZE + 0xFFFFFF + PREVIOUS_TAG_SIZE)

/* Reads exactly size bytes (a pipe hands them over in pieces); 0 at the end of the input or on an error. */
static int read_fully(unsigned char *buffer, size_t size) {
    return fread(buffer, 1, size, stdin) == size;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s rtmp://host[:port]/app/stream < stream.flv\n", argv[0]);
        return 2;
    }
    /* A server that closes the connection makes the next write fail with a message, not kill the process. */
    signal(SIGPIPE, SIG_IGN);
    unsigned char *tag = malloc(MAX_TAG_SIZE);
    unsigned char header[FLV_HEADER_SIZE + PREVIOUS_TAG_SIZE];
    if (tag == NULL || !read_fully(header, sizeof header) || memcmp(header, "FLV", 3) != 0) {
        fprintf(stderr, "librtmp_publish: stdin is not an FLV stream\n");
        return 1;
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
    long long tags = 0;
    /*
     * One whole tag (header, body, PreviousTagSize) per RTMP_Write: librtmp 2.4 carries only a tag's body over to
     * its next call, not a header or a PreviousTagSize cut in two.
     */
    while (read_fully(tag, TAG_HEADER_SIZE)) {
        size_t body = ((size_t) tag[1] << 16) | ((size_t) tag[2] << 8) | tag[3];
        size_t size = TAG_HEADER_SIZE + body + PREVIOUS_TAG_SIZE;
        if (!read_fully(tag + TAG_HEADER_SIZE, body + PREVIOUS_TAG_SIZE)) {
            fprintf(stderr, "librtmp_publish: the input ends inside a tag\n");
            return 1;
        }
        if (RTMP_Write(rtmp, (const char *) tag, (int) size) <= 0) {
            fprintf(stderr, "librtmp_publish: write failed after %lld tags\n", tags);
            return 1;
        }
        tags++;
    }
    RTMP_Close(rtmp);
    RTMP_Free(rtmp);
    free(tag);
    fprintf(stderr, "librtmp_publish: published %lld tags\n", tags);
    return 0;
}
