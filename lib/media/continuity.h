/* One stream's timestamps kept continuous across splices: both remuxes (mux.c, mp4_remux.c). */
#ifndef RT_LIB_CONTINUITY_H
#define RT_LIB_CONTINUITY_H

#include <stdbool.h>
#include <stdint.h>

/* A forward gap this long in a stream's timestamps is lost data, not jitter (segments are
 * 2-4 s): both remuxes refuse it rather than write a silently broken file. */
#define RT__HOLE_MS 1000

struct rt__continuity {
    bool seen;
    int64_t shift;         /* subtracted from every timestamp */
    int64_t last_dts;      /* after the shift */
    int64_t last_duration; /* of the last packet */
    /* A live recording's holes are segments it knows it missed (and said so): closed like a
     * splice instead of refused. */
    bool close_holes;
};

/*
 * A packet going back (or standing still) is a discontinuity, as when a playlist splices two
 * streams: it and what follows are shifted to carry on where the stream was. A jump forward of
 * more than `hole` past where the last packet ended is data that never arrived: false, with
 * the gap in *gap and nothing changed (with `close_holes`, shifted back as a splice is). Otherwise
 * *dts and *pts are moved and remembered with `duration`. All values in one time base.
 */
bool rt__continuity_apply(struct rt__continuity *c, int64_t *dts, int64_t *pts, int64_t duration,
                          int64_t hole, int64_t *gap);

#endif
