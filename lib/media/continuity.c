/* The timestamp continuity declared in continuity.h. */
#include "media/continuity.h"

bool rt__continuity_apply(struct rt__continuity *c, int64_t *dts, int64_t *pts, int64_t duration,
                          int64_t hole, int64_t *gap)
{
    int64_t d = *dts - c->shift;
    if (c->seen) {
        int64_t expected = c->last_dts + (c->last_duration > 0 ? c->last_duration : 1);
        if (d <= c->last_dts) {
            c->shift += d - expected;
            d = expected;
        } else if (d - expected > hole && c->close_holes) {
            c->shift += d - expected;
            d = expected;
        } else if (d - expected > hole) {
            *gap = d - expected;
            return false;
        }
    }
    *pts -= c->shift;
    *dts = d;
    c->seen = true;
    c->last_dts = d;
    c->last_duration = duration;
    return true;
}
