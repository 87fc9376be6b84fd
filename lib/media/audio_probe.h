/* What the audio of a piece of MPEG-TS is: enough to tell whether two renditions of a video
 * carry the same sound, so that the audio alone is fetched from the smallest of them. */
#ifndef RT_LIB_MEDIA_AUDIO_PROBE_H
#define RT_LIB_MEDIA_AUDIO_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Fewer AAC frames than this (about a second) say too little about a bit rate. */
#define RT__AUDIO_PROBE_MIN_FRAMES 40

struct rt__audio_traits {
    unsigned object_type; /* ADTS's: 2 = AAC LC (HE-AAC's SBR does not show in ADTS) */
    unsigned sample_rate; /* Hz */
    unsigned channels;    /* ADTS channel configuration: 1 mono, 2 stereo... */
    double bitrate;       /* bits a second of the AAC frames, their headers aside */
    size_t frames;        /* the frames it was measured on */
};

/*
 * Read the audio of `data`, the start of an MPEG-TS segment cut anywhere (what a range request
 * brings): the ADTS frames of its AAC stream, a frame cut off at the end left out. False when
 * fewer than RT__AUDIO_PROBE_MIN_FRAMES whole frames are there, or they disagree on the sample
 * rate, profile or channels (then nothing can be said). Pure.
 */
bool rt__audio_probe_ts(const uint8_t *data, size_t len, struct rt__audio_traits *traits);

/* Whether `candidate` sounds as good as `best`: the same profile, sample rate and channels,
 * and at least 90 % of its bit rate (AAC encoders vary a little from one piece to another). */
bool rt__audio_as_good(const struct rt__audio_traits *candidate,
                       const struct rt__audio_traits *best);

#endif
