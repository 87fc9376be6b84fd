/*
 * Shortening the edit lists of an MP4 that libavformat has written, in place, so that a part of
 * a video (--download-sections) lasts the part and no more.
 *
 * Why: av_remux.c drops the packets decoded after the section's end, but a codec that reorders
 * frames (HEVC, AV1 with B-frames) still has frames decoded before the end and shown after it.
 * They must stay (frames inside the section refer to them), yet libavformat's mov muxer ends
 * each track's edit list at the last frame's presentation end, so the video lasts a few frames
 * too long. The own writer (mp4_moov.c) sets the window itself; this is the same for
 * libavformat's files, done afterwards.
 *
 * Only durations are rewritten (elst segment durations, tkhd and mvhd durations, versions 0
 * and 1): no box changes size, no sample moves. The media (mdhd, the sample tables) stay as
 * they are. A track without an edit list is left alone: it lasts as long as its samples, and
 * there is no window to shorten. libavformat writes one for a track that starts before 0 (every
 * track of a section after the video's start: the lead-in is hidden by it) or reorders frames
 * (the video that needs this); one without (audio of a section from 0:00) ends with its last
 * packet, which av_remux.c already keeps within a frame of the end.
 */
#ifndef RT_LIB_MEDIA_MP4_TRIM_H
#define RT_LIB_MEDIA_MP4_TRIM_H

enum rt__mp4_trim_result {
    RT__MP4_TRIM_OK,        /* shortened, or nothing lasted longer than the window */
    RT__MP4_TRIM_IO,        /* a read or a write failed: `*errnum` says why */
    RT__MP4_TRIM_MALFORMED, /* the boxes are not what an MP4 holds: nothing was written */
};

/*
 * Make every track of the MP4 open as `fd` (read and write; its offset is left alone) present
 * at most `seconds`, counted from the start of the movie's timeline: each track's edit list is
 * cut where it passes `seconds` (later entries last 0), its tkhd duration becomes the new
 * list's length, and mvhd's the longest track's. Nothing is lengthened; `seconds` <= 0 does
 * nothing.
 *
 * Every box size is checked against its parent and the file before anything is read from it,
 * and the whole moov is checked before the first write, so a malformed file gets
 * RT__MP4_TRIM_MALFORMED and is left as it was. The caller syncs and closes `fd`.
 */
enum rt__mp4_trim_result rt__mp4_trim(int fd, double seconds, int *errnum);

#endif
