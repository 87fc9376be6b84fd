/* MPEG-TS to elementary streams: the PES packets of one H.264 and one AAC (ADTS) stream. */
#ifndef RT_LIB_TS_H
#define RT_LIB_TS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RT__TS_PACKET  188
#define RT__TS_NO_TIME INT64_MIN

enum rt__ts_stream { RT__TS_VIDEO, RT__TS_AUDIO };

/* One whole PES packet's payload. Times are the 33-bit 90 kHz values as sent (no unwrapping);
 * `dts` equals `pts` when the packet carries only a PTS. */
struct rt__ts_pes {
    enum rt__ts_stream stream;
    int64_t pts, dts; /* RT__TS_NO_TIME when absent */
    const uint8_t *data;
    size_t len;
};

/* Returns false to stop the demuxer (rt__ts_feed() then returns RT__TS_STOPPED). */
typedef bool (*rt__ts_pes_fn)(const struct rt__ts_pes *pes, void *data);

/*
 * Why the demuxer can say no: the stream is not the plain H.264 + AAC that RuTube sends (or is
 * damaged), and a general demuxer (libavformat) should take it instead.
 */
enum rt__ts_result {
    RT__TS_OK,
    RT__TS_NOMEM,
    RT__TS_STOPPED,     /* the callback returned false */
    RT__TS_LOST_SYNC,   /* a packet without 0x47, or one flagged as damaged in transit */
    RT__TS_SCRAMBLED,   /* encrypted payload */
    RT__TS_BAD_TABLE,   /* a PAT or PMT that cannot be read, or one that changes */
    RT__TS_OTHER_CODEC, /* an audio or video stream other than H.264 / AAC-in-ADTS */
    RT__TS_BAD_PES,     /* a PES header that cannot be read, or too large a packet */
    RT__TS_NO_VIDEO,    /* the stream ended without an H.264 stream in its PMT */
};

struct rt__ts;

struct rt__ts *rt__ts_new(rt__ts_pes_fn fn, void *data);
void rt__ts_free(struct rt__ts *ts);

/* Whole 188-byte packets (`len` a multiple of 188). */
enum rt__ts_result rt__ts_feed(struct rt__ts *ts, const uint8_t *packets, size_t len);

/* The end of the stream: hands over the PES packets still being gathered. */
enum rt__ts_result rt__ts_finish(struct rt__ts *ts);

/* A sentence for the log ("an audio or video codec other than H.264 and AAC"). */
const char *rt__ts_describe(enum rt__ts_result result);

#endif
