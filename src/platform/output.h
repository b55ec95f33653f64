/* Every file optiscope writes goes through here: into a fresh temporary file beside its
 * target, renamed over the target only once everything reached it, so a failed or
 * concurrent write never leaves a partial, mixed or foreign file behind.
 *
 * Use (a recording, a saved scene, a trace, a screenshot alike):
 *     Output o;
 *     if (output_open(&o, "recording", path, err, errlen) < 0)
 *         return -1;                      // err: "cannot write recording 'PATH': why"
 *     ... fprintf(o.f, ...) ...
 *     if (output_failed(&o, err, errlen)) // now and then: stop at the first failed write
 *         { output_abort(&o); return -1; }
 *     return output_commit(&o, err, errlen); // flush, check, rename; aborts on failure
 *
 * The rules, the same for every output:
 * - "-" is standard output (when the caller allows it): written directly, flushed and
 *   checked by commit, never closed.
 * - A symbolic link is written through: the temporary file goes beside the link's final
 *   target, which is replaced; the link stays.
 * - A device or pipe (/dev/null, /dev/full, a FIFO) is written directly, not replaced.
 * - A new file gets the mode 0666 less the umask; a replaced file keeps its mode.
 * - The temporary file is DIR/.NAME.XXXXXX (mkstemp), never a fixed name. */
#ifndef OPTISCOPE_OUTPUT_H
#define OPTISCOPE_OUTPUT_H

#include <stdio.h>

#include "../render/canvas.h"

#define OUTPUT_PATH_MAX 4096

typedef struct {
    FILE *f;                     /* write here */
    const char *what, *path;     /* for messages: "trace", the path as given */
    char target[OUTPUT_PATH_MAX]; /* where it ends up (the link's target for a link) */
    char tmp[OUTPUT_PATH_MAX];   /* the temporary file; empty when written directly */
    int is_stdout;
} Output;

/* Opens a temporary file for `path` (or stdout for "-"). Returns 0, or -1 with
 * "cannot write WHAT 'PATH': reason" in err (a folder, a missing folder, no permission). */
int output_open(Output *o, const char *what, const char *path, char *err, size_t errlen);
/* Whether a write has failed so far (1, with the reason in err); cheap enough per row. */
int output_failed(Output *o, char *err, size_t errlen);
/* Flushes, checks and closes, then renames the temporary file over the target. On any
 * failure removes the temporary file and returns -1 with the reason. */
int output_commit(Output *o, char *err, size_t errlen);
/* Closes and removes the temporary file; the target is left as it was. */
void output_abort(Output *o);

/* Follows a chain of symbolic links to the path it ends at, which may not exist yet
 * (writing through a dangling link creates its target). Returns 0 or an errno value. */
int output_resolve(const char *path, char *out, size_t len);
/* Whether a temporary file can be made beside target (made and removed again): 0 or errno. */
int output_probe(const char *target);

/* On SIGINT, SIGTERM or SIGHUP, removes the temporary files open and dies of the signal
 * (for headless jobs: the window lets SDL turn these into a quit, which commits). */
void output_remove_on_signals(void);
/* For a job that removes its own temporary files (a recording): while on, those signals
 * are only noted, output_interrupted() names the one caught (0: none) so that the job can
 * stop and clean up, and turning it off dies of it as above. */
void output_defer_signals(int on);
int output_interrupted(void);

/* Whether two paths name one file: by device and inode where it exists, else by the
 * folder's real path and the name, after following symbolic links. "-" names only "-". */
int output_same_file(const char *a, const char *b);

/* A free name DIR/STEM.EXT, else DIR/STEM-2.EXT, -3, ... (never an existing file), taken
 * at once by making it as an empty file, so that two programs saving in the same second
 * get two names; write over it (output_open) or remove it. Where no file can be made the
 * first free name is given all the same, for the writer to say why. Returns -1 with a
 * message when every number up to OUTPUT_NAME_TRIES is taken. */
#define OUTPUT_NAME_TRIES 100000
int output_unique_name(char *buf, size_t len, const char *stem, const char *ext, char *err, size_t errlen);

/* A canvas as a PNG file through the rules above. */
int output_png(const Canvas *c, const char *path, char *err, size_t errlen);

#endif
