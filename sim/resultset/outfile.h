/* The file a command writes (README.md): its path checked completely before anything is
 * simulated, and the temporary file beside it that is renamed onto it once complete, so
 * that an error or an interrupt never leaves a partial file in its place nor damages the
 * file that was there. Linux: file attributes come from statx, locks are open file
 * description locks.
 *
 * A killed run (SIGKILL, a crash, a power cut) cannot remove its temporary; the next
 * writer into the same directory does, with care never to touch a file still being
 * written or another user's (sr_outfile_remove_stale). Why a named temporary and not an
 * unnamed one (O_TMPFILE, linked in when complete): HDF5 opens files by name, a sweep keeps
 * its file open for the whole sweep, and an unnamed file still needs a name for the final
 * rename (linkat cannot replace a target), on file systems that may not offer O_TMPFILE at
 * all; a named temporary works wherever HDF5 does, and the lock makes its clean-up safe. */
#ifndef SR_OUTFILE_H
#define SR_OUTFILE_H

#include <stdbool.h>

#include "sim/base/error.h"

/* The temporary's name: ".<target name>" SR_OUTFILE_MARK "<pid>-XXXXXX" in the target's
 * directory, the pid being the writer's and XXXXXX random. */
#define SR_OUTFILE_MARK ".sirisk-tmp-"

/* Checks, before anything is computed, that a result file can be written at path and
 * replace what is there. Each failure is SR_EXIT_IOERR with the reason, naming path:
 * - path, and the temporary file's path, fit in PATH_MAX bytes; the temporary's name
 *   (longer than the target's by the mark, the pid and 7 bytes) fits in NAME_MAX;
 * - path is not a directory, device or FIFO (a symbolic link is replaced, not followed);
 * - its directory exists (created, one level, when make_dir: the default results/), is a
 *   directory, is neither immutable nor append-only, and this process can create and
 *   remove a file in it (tried with a file of the temporary's name, removed at once);
 * - an existing target can be replaced: it is neither immutable nor append-only, and it is
 *   not another user's file in a sticky directory (like /tmp) that is not ours either,
 *   unless this process may override that (CAP_FOWNER). */
int sr_outfile_check(const char *path, bool make_dir, sr_error *err);

/* A temporary file beside its target. Invariant: while fd >= 0, tmp is this process's
 * file and fd holds a shared lock on it that marks it as in use, from its creation until
 * it is renamed onto path or removed. */
typedef struct {
    char *path;   /* the target */
    char *dir;    /* its directory: "." when path has no '/' */
    char *tmp;    /* the temporary, in dir */
    int fd;       /* open on tmp, holding the lock; -1 when there is no temporary */
} sr_outfile;

/* Removes the stale temporaries of killed runs in path's directory
 * (sr_outfile_remove_stale), then creates an empty temporary for path, with the mode a new
 * file gets (0666 less the umask). Returns 0, or SR_EXIT_IOERR with err filled (naming
 * path) and f cleared. The caller then writes tmp, and publishes or discards it. */
int sr_outfile_create(sr_outfile *f, const char *path, sr_error *err);

/* Flushes the temporary to disk: the rename must not publish a file whose blocks are
 * still in the page cache only. Everything writing to it must have closed it. */
int sr_outfile_flush(sr_outfile *f, sr_error *err);

/* Renames the (flushed) temporary onto the target and releases it. Returns 0, or
 * SR_EXIT_IOERR with err filled; the temporary is then removed and the target untouched.
 * f is cleared whatever the outcome. */
int sr_outfile_publish(sr_outfile *f, sr_error *err);

/* Removes the temporary and clears f. A cleared f is fine. */
void sr_outfile_discard(sr_outfile *f);

/* Removes from dir the temporaries that killed runs left. A file goes only when all of
 * these hold, so that nothing but a dead writer's own temporary is ever removed:
 * - its name is a temporary's (SR_OUTFILE_MARK, a pid, 6 random characters, at the end);
 * - it is a regular file of this user's (never another user's file);
 * - no process has the pid in its name (a pid reused since only delays the removal);
 * - nothing holds its lock: a writer holds it from the file's creation until the file is
 *   renamed or removed, whichever pid namespace or machine it runs on, and the kernel
 *   drops it when the writer dies, however it dies.
 * Best effort and silent: a file that cannot be examined or removed stays. */
void sr_outfile_remove_stale(const char *dir);

#endif
