/* Animations written with FFmpeg's libraries, on a thread of their own so that drawing and
 * encoding overlap: H.264 MP4, VP9 WebM, a looping GIF whose palette is made from its own
 * frames, or numbered PNG frames in a folder. Everything is written under a temporary
 * name beside the final one and renamed at the end, so a failure (a full disk, say)
 * leaves nothing under the final name. */
#ifndef OPTISCOPE_ENCODE_H
#define OPTISCOPE_ENCODE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct Encoder Encoder;

/* Checks, creating nothing that stays, that the name's format is known, that frames of
 * w x h pixels can be encoded, and that its folder takes new files; a file's name must not
 * be a folder, and a frames folder must not exist yet or be empty. */
int encode_check(const char *path, int w, int h, char *err, size_t errlen);
/* Starts writing `path` from frames of w x h pixels shown fps a second. NULL with a
 * message when the format's encoder is missing or nothing can be written there. */
Encoder *encode_open(const char *path, int w, int h, int fps, char *err, size_t errlen);
/* How many times every frame must be sent: 2 for a GIF, whose palette comes from a first
 * pass over all its frames; encode_next_pass ends the first. */
int encode_passes(const Encoder *e);
int encode_next_pass(Encoder *e, char *err, size_t errlen);
/* Queues a copy of a frame (0xAARRGGBB, w x h, `stride` pixels from one row to the next)
 * that the file shows `repeat` times in a row, waiting while the encoder is behind: no frame
 * is dropped. -1 once writing failed. */
int encode_frame(Encoder *e, const uint32_t *px, int stride, long repeat, char *err, size_t errlen);
/* A file of a frames folder besides the frames (the CSV of the steps), written into the
 * temporary folder; NULL for the other formats. The caller closes it before finishing. */
FILE *encode_side_file(Encoder *e, const char *name, char *err, size_t errlen);
/* Writes what is queued and the file's end, then renames it into place. Frees e either
 * way; on failure nothing is left under the final name. */
int encode_finish(Encoder *e, char *err, size_t errlen);
/* Stops, removes what was written and frees e. */
void encode_abort(Encoder *e);
/* The final name of what is written: for a folder, without the trailing slash. */
const char *encode_path(const Encoder *e);

#endif
