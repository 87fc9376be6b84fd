/* Reading HLS playlists (RFC 8216) as RuTube writes them: master and media, strictly. */
#ifndef RT_LIB_HLS_H
#define RT_LIB_HLS_H

#include "rutube/rutube.h"

/* Caps on what a playlist may hold; beyond them it is hostile, not big. */
#define RT_HLS_MAX_VARIANTS         256
#define RT_HLS_MAX_SEGMENTS         100000
#define RT_HLS_MAX_SEGMENT_DURATION 3600.0

/* One #EXT-X-STREAM-INF entry of a master playlist. */
struct rt__variant {
    int width, height; /* 0 when RESOLUTION is missing */
    long bandwidth;
    double frame_rate; /* 0 when missing */
    char *codecs;      /* "" when missing */
    char *url;         /* absolute http(s) address */
};

struct rt__master {
    struct rt__variant *variants;
    size_t count;
};

/* One media segment: the address as written (resolved later against each mirror). */
struct rt__segment {
    char *ref;
    double duration;
};

struct rt__media {
    struct rt__segment *segments;
    size_t count;
    double duration; /* sum of the segments' */
    /* Fragmented MP4 (#EXT-X-MAP): the init section's address as written, which comes before
     * every segment; NULL for MPEG-TS segments. */
    char *map_ref;
};

/*
 * Parse a master playlist. `base_url` is the playlist's own address (relative variant
 * addresses resolve against it). Variants whose address is not http(s) are dropped; none left
 * is an error. On success the caller owns `out` and frees it with rt__master_cleanup().
 * Errors: RT_E_BAD_PLAYLIST (with the reason and line number), RT_E_NOMEM.
 */
enum rt_code rt__hls_parse_master(const char *text, size_t len, const char *base_url,
                                  struct rt__master *out, struct rt_error *err);
void rt__master_cleanup(struct rt__master *master);

/*
 * Parse a VOD media playlist: #EXTINF durations and segment addresses up to #EXT-X-ENDLIST.
 * Refused with RT_E_BAD_PLAYLIST: encryption other than METHOD=NONE, #EXT-X-MAP (fMP4),
 * #EXT-X-BYTERANGE, a missing #EXT-X-ENDLIST (live or cut off), negative or absurd durations,
 * more than RT_HLS_MAX_SEGMENTS segments, no segments. Caller frees with rt__media_cleanup().
 */
enum rt_code rt__hls_parse_media(const char *text, size_t len, struct rt__media *out,
                                 struct rt_error *err);
void rt__media_cleanup(struct rt__media *media);

/* What a live media playlist says beside its segments. */
struct rt__live_info {
    long long first_sequence; /* #EXT-X-MEDIA-SEQUENCE: the first listed segment's number */
    double target_duration;   /* #EXT-X-TARGETDURATION, seconds; 0 when missing */
    bool ended;               /* #EXT-X-ENDLIST: the broadcast is over */
    bool whole;               /* #EXT-X-PLAYLIST-TYPE:EVENT: segments are never dropped */
};

/*
 * Parse a live media playlist (RFC 8216 6.2.2): as rt__hls_parse_media(), but #EXT-X-ENDLIST
 * is not needed (`info->ended` says whether it came), a window without segments is fine, and
 * the sequence number and target duration are read. fMP4 (#EXT-X-MAP) is refused: RuTube's
 * live streams are MPEG-TS.
 */
enum rt_code rt__hls_parse_live(const char *text, size_t len, struct rt__media *out,
                                struct rt__live_info *info, struct rt_error *err);

#endif
