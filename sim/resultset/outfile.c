/* The output path checked before simulating, and the temporary file that becomes the
 * result file (see outfile.h for the why). Every system call's failure is reported with
 * the path it concerns; nothing here prints. */
#define _GNU_SOURCE /* statx, F_OFD_SETLK, AT_EACCESS */

#include "sim/resultset/outfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Decimal digits of the largest pid (a 32-bit pid_t): the temporary name's length does
 * not depend on the pid, so neither does the longest name accepted. */
enum { PID_DIGITS_MAX = 10 };
/* Bytes the temporary's name adds to the target's: ".", the mark, the pid, "-XXXXXX". */
enum { TEMP_EXTRA = 1 + (int)sizeof SR_OUTFILE_MARK - 1 + PID_DIGITS_MAX + 7 };

/* A path as a message shows it: whole up to 255 bytes, else its first and last 120 bytes
 * around "...", so that the reason after it is never cut off (a path may have 4,095). */
typedef struct {
    char s[256];
} shown_path;

static shown_path shown(const char *path)
{
    shown_path p;
    size_t len = strlen(path);
    if (len < sizeof p.s) {
        memcpy(p.s, path, len + 1);
        return p;
    }
    size_t head = 120, tail = len - 120;
    while (head > 0 && ((unsigned char)path[head] & 0xC0) == 0x80)   /* whole characters */
        head--;
    while (tail < len && ((unsigned char)path[tail] & 0xC0) == 0x80)
        tail++;
    snprintf(p.s, sizeof p.s, "%.*s...%s", (int)head, path, path + tail);
    return p;
}

/* path's directory ("." without a '/', "/" for a file in the root), malloc'd; *base is
 * the file name within path. NULL when out of memory. */
static char *split(const char *path, const char **base)
{
    const char *slash = strrchr(path, '/');
    *base = slash != NULL ? slash + 1 : path;
    return slash == NULL ? strdup(".") : slash == path ? strdup("/")
                                                       : strndup(path, (size_t)(slash - path));
}

/* The temporary's path for a target base in dir, as a mkstemp template, malloc'd. */
static char *temp_template(const char *dir, const char *base)
{
    size_t n = strlen(dir) + strlen(base) + TEMP_EXTRA + 2;
    char *t = malloc(n);
    if (t != NULL)
        snprintf(t, n, "%s/.%s" SR_OUTFILE_MARK "%ld-XXXXXX", dir, base, (long)getpid());
    return t;
}

/* The statx attributes immutable (chattr +i) and append-only (chattr +a) of path (not
 * followed when it is a symbolic link): a message fragment, or NULL when it has neither
 * or the file system does not report them. */
static const char *fixed_attribute(const char *path)
{
    struct statx sx;
    if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, 0, &sx) != 0)
        return NULL;
    uint64_t known = sx.stx_attributes_mask & sx.stx_attributes;
    if (known & STATX_ATTR_IMMUTABLE)
        return "immutable (chattr +i)";
    if (known & STATX_ATTR_APPEND)
        return "append-only (chattr +a)";
    return NULL;
}

/* Whether this process may remove or replace another user's file in a sticky directory:
 * whether it has CAP_FOWNER (capability 3) in effect, read from /proc; without /proc,
 * whether it is root. */
static bool may_override_owner(void)
{
    FILE *status = fopen("/proc/self/status", "r");
    if (status == NULL)
        return geteuid() == 0;
    char line[256];
    unsigned long long caps = 0;
    bool found = false;
    while (!found && fgets(line, sizeof line, status) != NULL)
        found = sscanf(line, "CapEff: %llx", &caps) == 1;
    fclose(status);
    return found ? (caps >> 3) & 1 : geteuid() == 0;
}

/* The mode a newly created file gets: 0666 less the umask. The umask can only be read by
 * setting it; it is restored at once, and no other thread creates files meanwhile (files
 * are written on one thread). */
static mode_t file_mode(void)
{
    mode_t mask = umask(0);
    umask(mask);
    return (mode_t)(0666 & ~mask);
}

/* The checks of the directory and the target (sr_outfile_check), dir and base being
 * path's. */
static int check_in(const char *path, const char *dir, const char *base, bool make_dir,
                    sr_error *err)
{
    if (*base == '\0')
        return sr_error_set(err, SR_EXIT_IOERR, "%s: names a directory, not a result file",
                            shown(path).s);
    size_t temp_len = strlen(dir) + 1 + strlen(base) + TEMP_EXTRA;
    if (strlen(path) >= PATH_MAX)
        return sr_error_set(err, SR_EXIT_IOERR, "%s: the path is %zu bytes long, more than "
                            "the %d a path may have (PATH_MAX)", shown(path).s, strlen(path),
                            PATH_MAX - 1);
    if (temp_len >= PATH_MAX)
        return sr_error_set(err, SR_EXIT_IOERR, "%s: the path is too long: the temporary file "
                            "written beside it would have a path of %zu bytes, more than the "
                            "%d a path may have (PATH_MAX)", shown(path).s, temp_len,
                            PATH_MAX - 1);
    struct stat st, dir_st;
    bool exists = lstat(path, &st) == 0;
    if (exists && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
        return sr_error_set(err, SR_EXIT_IOERR, "%s: is not a regular file (a directory, "
                            "device or FIFO): refusing to replace it", shown(path).s);
    /* the directory's own limit when it exists, else the system's */
    long name_max = pathconf(dir, _PC_NAME_MAX);
    if (name_max <= 0)
        name_max = NAME_MAX;
    if ((long)strlen(base) > name_max - TEMP_EXTRA)
        return sr_error_set(err, SR_EXIT_IOERR, "%s: the file name is %zu bytes long; the "
                            "temporary file written beside it adds %d, and a name may have "
                            "at most %ld (NAME_MAX): use a name of at most %ld bytes",
                            shown(path).s, strlen(base), TEMP_EXTRA, name_max,
                            name_max - TEMP_EXTRA);
    if (make_dir && mkdir(dir, 0777) != 0 && errno != EEXIST)
        return sr_error_set(err, SR_EXIT_IOERR, "%s: cannot create directory '%s': %s",
                            shown(path).s, shown(dir).s, strerror(errno));
    int why = stat(dir, &dir_st) != 0 ? errno : !S_ISDIR(dir_st.st_mode) ? ENOTDIR : 0;
    const char *attribute = why == 0 ? fixed_attribute(dir) : NULL;
    if (attribute != NULL)
        return sr_error_set(err, SR_EXIT_IOERR, "%s: directory '%s' is %s: no file in it can "
                            "be created or replaced", shown(path).s, shown(dir).s, attribute);
    if (why == 0 && faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) != 0)
        why = errno;
    if (why != 0)
        return sr_error_set(err, SR_EXIT_IOERR, "%s: cannot write into directory '%s': %s",
                            shown(path).s, shown(dir).s, strerror(why));
    if (exists && (attribute = fixed_attribute(path)) != NULL)
        return sr_error_set(err, SR_EXIT_IOERR, "%s: is %s: it cannot be replaced",
                            shown(path).s, attribute);
    /* A sticky directory lets only a file's owner, the directory's owner or a process
     * with CAP_FOWNER remove or replace the file (unlink(2), rename(2)). */
    if (exists && (dir_st.st_mode & S_ISVTX) && st.st_uid != geteuid() &&
        dir_st.st_uid != geteuid() && !may_override_owner())
        return sr_error_set(err, SR_EXIT_IOERR, "%s: belongs to another user (uid %lu) in "
                            "the sticky directory '%s': only its owner can replace it",
                            shown(path).s, (unsigned long)st.st_uid, shown(dir).s);
    return 0;
}

/* Creates and removes a file of the temporary's name in dir: whatever the checks above
 * cannot foresee (a security module, a file system that refuses) shows here. */
static int probe(const char *path, const char *dir, const char *base, sr_error *err)
{
    char *tmp = temp_template(dir, base);
    if (tmp == NULL)
        return sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
    int fd = mkstemp(tmp);
    int rc = 0;
    if (fd < 0) {
        rc = sr_error_set(err, SR_EXIT_IOERR, "%s: cannot create a file in directory '%s': "
                          "%s", shown(path).s, shown(dir).s, strerror(errno));
    } else {
        close(fd);
        if (unlink(tmp) != 0)
            rc = sr_error_set(err, SR_EXIT_IOERR, "%s: cannot remove a file from directory "
                              "'%s' ('%s' is left): %s", shown(path).s, shown(dir).s,
                              shown(tmp).s, strerror(errno));
    }
    free(tmp);
    return rc;
}

int sr_outfile_check(const char *path, bool make_dir, sr_error *err)
{
    const char *base;
    char *dir = split(path, &base);
    if (dir == NULL)
        return sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
    int rc = check_in(path, dir, base, make_dir, err);
    if (rc == 0)
        rc = probe(path, dir, base, err);
    free(dir);
    return rc;
}

/* ---- the temporary and its lock ------------------------------------------------------- */

/* Takes (type F_RDLCK: shared, held by a writer) or tests for (F_WRLCK: exclusive, taken
 * by a cleaner only when no one holds the file) the lock of the file open at fd. Open
 * file description locks: they belong to fd alone, so that HDF5 opening and closing the
 * same file by name does not release them (as it would a process's fcntl locks). Shared,
 * so that readers (HDF5 takes a shared flock to read) are never refused, even where
 * flock is emulated by these locks (NFS). */
static int lock(int fd, short type)
{
    struct flock l = {.l_type = type, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
    return fcntl(fd, F_OFD_SETLK, &l);
}

static void clear(sr_outfile *f)
{
    free(f->path);
    free(f->dir);
    free(f->tmp);
    *f = (sr_outfile){.fd = -1};
}

/* Whether name (an entry of a directory) is a temporary's, and its writer's pid. */
static bool temp_name(const char *name, long *pid)
{
    const char *mark = NULL;
    for (const char *p = name; (p = strstr(p, SR_OUTFILE_MARK)) != NULL; p++)
        mark = p;
    if (name[0] != '.' || mark == NULL || mark < name + 2)
        return false;
    const char *digits = mark + strlen(SR_OUTFILE_MARK), *p = digits;
    long v = 0;
    while (*p >= '0' && *p <= '9' && p - digits < PID_DIGITS_MAX)
        v = v * 10 + (*p++ - '0');
    if (p == digits || v <= 0 || v > INT32_MAX || *p != '-' || strlen(p + 1) != 6)
        return false;
    *pid = v;
    return true;
}

void sr_outfile_remove_stale(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    int dfd = dirfd(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        long pid;
        struct stat st, open_st;
        if (!temp_name(e->d_name, &pid) ||
            fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode) ||
            st.st_uid != geteuid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        int fd = openat(dfd, e->d_name, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
            continue;
        /* the file examined is the file locked, and no writer holds it */
        if (fstat(fd, &open_st) == 0 && open_st.st_dev == st.st_dev &&
            open_st.st_ino == st.st_ino && lock(fd, F_WRLCK) == 0)
            unlinkat(dfd, e->d_name, 0);
        close(fd);
    }
    closedir(d);
}

int sr_outfile_create(sr_outfile *f, const char *path, sr_error *err)
{
    const char *base;
    *f = (sr_outfile){.fd = -1};
    f->path = strdup(path);
    f->dir = split(path, &base);
    if (f->path == NULL || f->dir == NULL) {
        clear(f);
        return sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
    }
    sr_outfile_remove_stale(f->dir);
    /* Between mkstemp and the lock a cleaner that cannot see this process (another pid
     * namespace) may take the file for stale and remove it: then the name no longer leads
     * to the locked file, and another is made. */
    for (int attempt = 0; attempt < 8 && f->fd < 0; attempt++) {
        free(f->tmp);
        if ((f->tmp = temp_template(f->dir, base)) == NULL) {
            clear(f);
            return sr_error_set(err, SR_EXIT_SOFTWARE, "out of memory");
        }
        int fd = mkstemp(f->tmp);
        if (fd < 0) {
            sr_error_set(err, SR_EXIT_IOERR, "%s: cannot create a file in directory '%s': %s",
                         shown(path).s, shown(f->dir).s, strerror(errno));
            clear(f);
            return SR_EXIT_IOERR;
        }
        /* A file system without locks leaves the file unlocked: a later run then cannot
         * tell whether it is in use, and leaves it. */
        struct stat locked, named;
        if (lock(fd, F_RDLCK) == 0 &&
            (stat(f->tmp, &named) != 0 || fstat(fd, &locked) != 0 ||
             named.st_dev != locked.st_dev || named.st_ino != locked.st_ino)) {
            close(fd);
            continue;
        }
        f->fd = fd;
    }
    if (f->fd < 0) {
        sr_error_set(err, SR_EXIT_IOERR, "%s: cannot keep a temporary file in directory '%s': "
                     "another process keeps removing it", shown(path).s, shown(f->dir).s);
        clear(f);
        return SR_EXIT_IOERR;
    }
    /* mkstemp makes the file private (0600); a result file is as shareable as any other */
    if (fchmod(f->fd, file_mode()) != 0) {
        sr_error_set(err, SR_EXIT_IOERR, "%s: cannot set the mode of '%s': %s", shown(path).s,
                     shown(f->tmp).s, strerror(errno));
        sr_outfile_discard(f);
        return SR_EXIT_IOERR;
    }
    return 0;
}

int sr_outfile_flush(sr_outfile *f, sr_error *err)
{
    if (fsync(f->fd) != 0)
        return sr_error_set(err, SR_EXIT_IOERR, "%s: cannot flush '%s' to disk: %s",
                            shown(f->path).s, shown(f->tmp).s, strerror(errno));
    return 0;
}

int sr_outfile_publish(sr_outfile *f, sr_error *err)
{
    if (rename(f->tmp, f->path) != 0) {
        sr_error_set(err, SR_EXIT_IOERR, "%s: cannot rename '%s' onto it: %s", shown(f->path).s,
                     shown(f->tmp).s, strerror(errno));
        sr_outfile_discard(f);
        return SR_EXIT_IOERR;
    }
    /* Make the rename itself durable. The file is in place whatever happens here, so a
     * directory that cannot be synced (some file systems refuse) is not an error. */
    int dfd = open(f->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    close(f->fd);   /* the lock goes with it, once the temporary's name is gone */
    clear(f);
    return 0;
}

void sr_outfile_discard(sr_outfile *f)
{
    /* removed while still locked: no cleaner can take it for stale meanwhile */
    if (f->tmp != NULL && f->fd >= 0)
        unlink(f->tmp);
    if (f->fd >= 0)
        close(f->fd);
    clear(f);
}
