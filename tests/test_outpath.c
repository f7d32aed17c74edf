/* The output path and its temporary file, as a user meets them: every path that cannot be
 * written or replaced is refused before anything is simulated, two runs writing one path
 * at once each print their own summary, and a killed run's temporary file is removed by
 * the next run and nothing else is.
 *
 * A refusal "before simulating" is told apart from a late one by the trial count: 10^8
 * trials of the small scenario take hours, so a run that does not refuse at once is
 * killed after KILL_AFTER seconds (exit 137) and the test fails. */
#define _GNU_SOURCE /* setgroups, F_OFD_SETLK */

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/fs.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

#define BIN SIRISK_BINARY
#define KILL_AFTER "30"
#define MANY_TRIALS "100000000"

/* The shared small scenario (tests/support.h). */
static const char *const small = sr_test_small;

/* The names in dir, sorted, one a line (hidden ones included), malloc'd. */
static char *listing(const char *dir)
{
    char *out = NULL;
    int rc = sr_test_run(sr_test_cmd("cd '%s' && ls -A | LC_ALL=C sort", dir), &out, NULL);
    cr_expect_eq(rc, 0, "cannot list %s", dir);
    return out;
}

/* Runs `sirisk ARGS --trials 10^8` in dir (killed after KILL_AFTER seconds) and expects
 * exit 74 with fragment in the message, and the listing of sub (a directory in dir, or ".")
 * as it was. args may be sr_test_cmd()'s buffer. */
static void expect_refused_at_once(const char *dir, const char *sub, const char *args_in,
                                   const char *fragment)
{
    char *args = strdup(args_in);   /* args_in may be sr_test_cmd()'s buffer, reused below */
    char *subdir = strdup(sr_test_cmd("%s/%s", dir, sub));
    char *before = listing(subdir);
    char *err = NULL;
    int rc = sr_test_run(sr_test_cmd("cd '%s' && timeout -s KILL " KILL_AFTER " %s %s --trials "
                                     MANY_TRIALS, dir, BIN, args),
                         NULL, &err);
    cr_expect_eq(rc, 74, "exit %d (137: still simulating after " KILL_AFTER " s): %s", rc, err);
    cr_expect(strstr(err, fragment) != NULL, "the message lacks '%s': %s", fragment, err);
    char *after = listing(subdir);
    cr_expect_str_eq(after, before, "the directory changed");
    free(after);
    free(before);
    free(err);
    free(subdir);
    free(args);
}

Test(outpath, a_name_whose_temporary_exceeds_name_max_is_refused_before_simulating,
     .timeout = 60)
{
    char *dir = sr_test_tmpdir();
    free(sr_test_write_file(dir, "small.yaml", small));
    /* 240 bytes: a valid name (at most 255), but not with the temporary's 30 more */
    char name[241];
    memset(name, 'n', 237);
    strcpy(name + 237, ".h5");
    expect_refused_at_once(dir, ".", sr_test_cmd("run small.yaml -o %s", name), "NAME_MAX");
    sr_test_remove_dir(dir);
}

/* The directory path is 16 components of 255 bytes (4,095 bytes, a directory that
 * exists) and then sub/: longer than PATH_MAX, and its first 4,095 bytes name a real,
 * writable directory, so a check of a truncated path passes where the write cannot. */
Test(outpath, a_directory_path_over_path_max_is_refused_before_simulating, .timeout = 60)
{
    char *dir = sr_test_tmpdir();
    free(sr_test_write_file(dir, "small.yaml", small));
    char component[256];
    memset(component, 'c', 255);
    component[255] = '\0';
    char *path = malloc(16 * 256 + 32);
    path[0] = '\0';
    for (int i = 0; i < 16; i++)
        strcat(strcat(path, component), i < 15 ? "/" : "");
    cr_assert_eq(strlen(path), 4095);
    /* built relative to open directories: no path of it is ever passed whole */
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    for (int i = 0; i < 16 && fd >= 0; i++) {
        int next = mkdirat(fd, component, 0755) == 0
                       ? openat(fd, component, O_RDONLY | O_DIRECTORY)
                       : -1;
        close(fd);
        fd = next;
    }
    cr_assert(fd >= 0 && mkdirat(fd, "sub", 0755) == 0, "cannot build the deep directory");
    close(fd);
    strcat(path, "/sub/r.h5");
    char *args = malloc(strlen(path) + 64);
    sprintf(args, "run small.yaml -o %s", path);
    expect_refused_at_once(dir, ".", args, "PATH_MAX");
    free(args);
    free(path);
    sr_test_remove_dir(dir);
}

/* Sets or clears the immutable attribute of path (as chattr +i / -i). Returns 0, or
 * errno when the file system or the process's privileges do not allow it. */
static int set_immutable(const char *path, bool on)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    if (fd < 0)
        return errno;
    int flags = 0, rc = 0;
    if (ioctl(fd, FS_IOC_GETFLAGS, &flags) != 0) {
        rc = errno;
    } else {
        flags = on ? flags | FS_IMMUTABLE_FL : flags & ~FS_IMMUTABLE_FL;
        if (ioctl(fd, FS_IOC_SETFLAGS, &flags) != 0)
            rc = errno;
    }
    close(fd);
    return rc;
}

Test(outpath, an_immutable_target_is_refused_before_simulating, .timeout = 60)
{
    char *dir = sr_test_tmpdir();
    free(sr_test_write_file(dir, "small.yaml", small));
    char *old = sr_test_write_file(dir, "old.h5", "an earlier result\n");
    int why = set_immutable(old, true);
    if (why != 0) {
        free(old);
        sr_test_remove_dir(dir);
        cr_skip_test("the file system or this process cannot make a file immutable (%s)",
                     strerror(why));
    }
    expect_refused_at_once(dir, ".", "run small.yaml -o old.h5", "immutable");
    int same = sr_test_run(sr_test_cmd("grep -qx 'an earlier result' '%s'", old), NULL, NULL);
    cr_expect_eq(same, 0, "old.h5 changed");
    cr_assert_eq(set_immutable(old, false), 0, "cannot clear the attribute of %s", old);
    free(old);
    sr_test_remove_dir(dir);
}

/* In a sticky directory (like /tmp) only a file's owner, the directory's owner or a
 * privileged process can replace the file. The test runs as root in CI: it gives the
 * target to uid 1234 and runs sirisk as nobody (uid and gid 65534). */
Test(outpath, another_users_file_in_a_sticky_directory_is_refused_before_simulating,
     .timeout = 60)
{
    if (geteuid() != 0)
        cr_skip_test("needs root, to give a file to another user and run as nobody");
    char *dir = sr_test_tmpdir();
    cr_assert_eq(chmod(dir, 0755), 0);
    free(sr_test_write_file(dir, "small.yaml", small));
    char *shared = strdup(sr_test_cmd("%s/shared", dir));
    cr_assert_eq(mkdir(shared, 0755), 0);
    cr_assert_eq(chmod(shared, 01777), 0);
    char *target = sr_test_write_file(shared, "r.h5", "another user's result\n");
    cr_assert_eq(chown(target, 1234, 1234), 0);
    char *before = listing(shared);

    char *err_path = strdup(sr_test_cmd("%s/err", dir));
    int err_fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    cr_assert_geq(err_fd, 0);
    pid_t child = fork();
    cr_assert_geq(child, 0);
    if (child == 0) {
        int null_fd = open("/dev/null", O_RDWR);
        dup2(null_fd, STDIN_FILENO);
        dup2(null_fd, STDOUT_FILENO);
        dup2(err_fd, STDERR_FILENO);
        if (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0)
            _exit(124);
        if (chdir(dir) != 0)
            _exit(125);
        execl("/usr/bin/timeout", "timeout", "-s", "KILL", KILL_AFTER, BIN, "run", "small.yaml",
              "-o", "shared/r.h5", "--trials", MANY_TRIALS, (char *)NULL);
        _exit(126);
    }
    close(err_fd);
    int status = 0;
    cr_assert_eq(waitpid(child, &status, 0), child);
    int rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (rc == 125) {   /* a parent of $TMPDIR that only root may enter */
        free(before);
        free(err_path);
        free(target);
        free(shared);
        sr_test_remove_dir(dir);
        cr_skip_test("nobody cannot reach the test's directory under $TMPDIR");
    }
    cr_assert_neq(rc, 124, "cannot become nobody");
    char *err = NULL;
    sr_test_run(sr_test_cmd("cat '%s'", err_path), &err, NULL);
    cr_expect_eq(rc, 74, "exit %d (137: still simulating after " KILL_AFTER " s): %s", rc, err);
    cr_expect(strstr(err, "another user") != NULL && strstr(err, "sticky") != NULL, "%s", err);
    char *after = listing(shared);
    cr_expect_str_eq(after, before, "the sticky directory changed");
    int same = sr_test_run(sr_test_cmd("grep -qx \"another user's result\" '%s'", target), NULL,
                           NULL);
    cr_expect_eq(same, 0, "the other user's file changed");
    free(err);
    free(after);
    free(before);
    free(err_path);
    free(target);
    free(shared);
    sr_test_remove_dir(dir);
}

/* ---- two runs, one path ---------------------------------------------------------------- */

/* Fills the pipe whose write end is fd, so that the next write to it blocks until the
 * read end is drained. */
static void fill_pipe(int fd)
{
    int flags = fcntl(fd, F_GETFL);
    cr_assert_eq(fcntl(fd, F_SETFL, flags | O_NONBLOCK), 0);
    char block[4096];
    memset(block, '.', sizeof block);
    while (write(fd, block, sizeof block) > 0)
        ;
    cr_assert_eq(errno, EAGAIN);
    /* also a single byte: a pipe takes whole pages, then bytes to the brim */
    while (write(fd, block, 1) > 0)
        ;
    cr_assert_eq(fcntl(fd, F_SETFL, flags), 0);   /* the run must block, not fail */
}

/* Run A writes r.h5 with seed 11; its standard output is a full pipe and line-buffered
 * (stdbuf -oL), so it stops at its first line, "wrote r.h5", just after its rename. Run B
 * then writes r.h5 with seed 22 and ends. When A goes on, the summary it prints must be
 * the one of the file it wrote (seed 11), not the one now at r.h5 (seed 22). */
Test(outpath, two_runs_writing_one_path_each_print_their_own_summary, .timeout = 120)
{
    char *dir = sr_test_tmpdir();
    free(sr_test_write_file(dir, "small.yaml", small));
    char *target = strdup(sr_test_cmd("%s/r.h5", dir));
    int out[2];
    cr_assert_eq(pipe(out), 0);
    fill_pipe(out[1]);
    pid_t a = fork();
    cr_assert_geq(a, 0);
    if (a == 0) {
        close(out[0]);
        dup2(out[1], STDOUT_FILENO);
        int null_fd = open("/dev/null", O_RDWR);
        dup2(null_fd, STDIN_FILENO);
        dup2(null_fd, STDERR_FILENO);
        /* stdbuf preloads a library: AddressSanitizer must not insist on coming first */
        const char *asan = getenv("ASAN_OPTIONS");
        char opts[1024];
        snprintf(opts, sizeof opts, "%s%sverify_asan_link_order=0", asan ? asan : "",
                 asan && *asan ? ":" : "");
        setenv("ASAN_OPTIONS", opts, 1);
        if (chdir(dir) != 0)
            _exit(125);
        execl("/usr/bin/timeout", "timeout", "-s", "KILL", "100", "stdbuf", "-oL", BIN, "run",
              "small.yaml", "-o", "r.h5", "--trials", "2000", "--seed", "11", (char *)NULL);
        _exit(126);
    }
    close(out[1]);
    /* A's file in place: A is at (or before) its first line of output, blocked */
    for (int waited = 0; !sr_test_exists(target) && waited < 90000; waited += 10)
        usleep(10000);
    cr_assert(sr_test_exists(target), "run A did not write r.h5");
    char *b_out = NULL, *b_err = NULL;
    int rc = sr_test_run(sr_test_cmd("cd '%s' && %s run small.yaml -o r.h5 --trials 2000 "
                                     "--seed 22", dir, BIN),
                         &b_out, &b_err);
    cr_expect_eq(rc, 0, "run B: exit %d: %s", rc, b_err);
    cr_expect(strstr(b_out, "\nseed        22\n") != NULL, "run B's summary:\n%s", b_out);

    /* drain the pipe: the filling, then A's output */
    size_t cap = 1 << 20, len = 0;
    char *a_out = malloc(cap);
    ssize_t got;
    while ((got = read(out[0], a_out + len, cap - 1 - len)) > 0)
        len += (size_t)got;
    a_out[len] = '\0';
    close(out[0]);
    int status = 0;
    cr_assert_eq(waitpid(a, &status, 0), a);
    cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "run A: status %d", status);
    const char *a_text = strstr(a_out, "wrote r.h5");
    cr_assert_not_null(a_text, "run A printed no summary");
    cr_expect(strstr(a_text, "\nresult set  r.h5\n") != NULL, "%s", a_text);
    cr_expect(strstr(a_text, "\nseed        11\n") != NULL, "run A's summary:\n%s", a_text);
    free(a_out);
    free(b_out);
    free(b_err);
    free(target);
    sr_test_remove_dir(dir);
}

/* ---- a killed run's temporary ----------------------------------------------------------- */

/* The hidden files in dir (a temporary's name begins with '.'). */
static size_t hidden_files(const char *dir, char *first, size_t n)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "cannot open %s", dir);
    size_t count = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.' || strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (count++ == 0 && first != NULL)
            snprintf(first, n, "%s", e->d_name);
    }
    closedir(d);
    return count;
}

/* A sweep keeps its file, under the temporary name, from its first point to the end:
 * SIGKILL then leaves the temporary behind, with points written into it. The next run
 * into the directory removes it. */
Test(outpath, a_killed_runs_temporary_is_removed_by_the_next_run, .timeout = 120)
{
    char *dir = sr_test_tmpdir();
    free(sr_test_write_file(dir, "small.yaml", small));
    pid_t s = fork();
    cr_assert_geq(s, 0);
    if (s == 0) {
        int null_fd = open("/dev/null", O_RDWR);
        dup2(null_fd, STDIN_FILENO);
        dup2(null_fd, STDOUT_FILENO);
        dup2(null_fd, STDERR_FILENO);
        if (chdir(dir) != 0)
            _exit(125);
        execl(BIN, BIN, "sweep", "small.yaml", "--param", "programmes[0].cohort.size",
              "--values", "300,310,320,330,340,350,360,370", "--trials", "10000", "-o", "r.h5",
              (char *)NULL);
        _exit(126);
    }
    /* killed once the temporary holds some points */
    char name[512] = "";
    struct stat st = {0};
    for (int waited = 0; waited < 90000; waited += 5) {
        if (hidden_files(dir, name, sizeof name) == 1 &&
            stat(sr_test_cmd("%s/%s", dir, name), &st) == 0 && st.st_size > 500000)
            break;
        usleep(5000);
    }
    cr_assert_eq(kill(s, SIGKILL), 0);
    int status = 0;
    cr_assert_eq(waitpid(s, &status, 0), s);
    cr_assert(WIFSIGNALED(status), "the sweep ended before it was killed");
    cr_assert_eq(hidden_files(dir, name, sizeof name), 1, "no temporary file seen");
    cr_assert_eq(stat(sr_test_cmd("%s/%s", dir, name), &st), 0);
    cr_assert_gt(st.st_size, 500000, "%s: %lld bytes, not points written", name,
                 (long long)st.st_size);

    char *err = NULL;
    int rc = sr_test_run(sr_test_cmd("cd '%s' && %s run small.yaml -o r.h5 --trials 20 --quiet",
                                     dir, BIN),
                         NULL, &err);
    cr_expect_eq(rc, 0, "%s", err);
    cr_expect_eq(hidden_files(dir, name, sizeof name), 0, "%s is left", name);
    cr_expect(sr_test_exists(sr_test_cmd("%s/r.h5", dir)));
    free(err);
    sr_test_remove_dir(dir);
}

/* A pid that no process has: a child's, once it has ended and been waited for. */
static pid_t dead_pid(void)
{
    pid_t p = fork();
    cr_assert_geq(p, 0);
    if (p == 0)
        _exit(0);
    cr_assert_eq(waitpid(p, NULL, 0), p);
    return p;
}

/* The clean-up removes a temporary only when it is this user's, its writer's pid is gone
 * and nothing holds its lock; a file of another name is never touched. */
Test(outpath, the_clean_up_removes_only_a_dead_writers_own_temporaries, .timeout = 60)
{
    char *dir = sr_test_tmpdir();
    free(sr_test_write_file(dir, "small.yaml", small));
    pid_t dead = dead_pid();
    char stale[128], alive[128], held[128], foreign[128], other[128];
    snprintf(stale, sizeof stale, ".a.h5.sirisk-tmp-%d-AbC123", (int)dead);
    snprintf(alive, sizeof alive, ".b.h5.sirisk-tmp-%d-AbC123", (int)getpid());
    snprintf(held, sizeof held, ".c.h5.sirisk-tmp-%d-AbC123", (int)dead);
    snprintf(foreign, sizeof foreign, ".d.h5.sirisk-tmp-%d-AbC123", (int)dead);
    snprintf(other, sizeof other, ".e.h5.tmp-%d-AbC123", (int)dead);
    const char *names[] = {stale, alive, held, foreign, other};
    for (size_t i = 0; i < 5; i++)
        free(sr_test_write_file(dir, names[i], "partial\n"));
    bool root = geteuid() == 0;
    if (root)
        cr_assert_eq(chown(sr_test_cmd("%s/%s", dir, foreign), 1234, 1234), 0);
    /* a writer in another pid namespace: its pid means nothing here, its lock does */
    int fd = open(sr_test_cmd("%s/%s", dir, held), O_RDWR);
    cr_assert_geq(fd, 0);
    struct flock l = {.l_type = F_RDLCK, .l_whence = SEEK_SET};
    cr_assert_eq(fcntl(fd, F_OFD_SETLK, &l), 0);

    char *err = NULL;
    int rc = sr_test_run(sr_test_cmd("cd '%s' && %s run small.yaml -o r.h5 --trials 20 --quiet",
                                     dir, BIN),
                         NULL, &err);
    cr_expect_eq(rc, 0, "%s", err);
    cr_expect(!sr_test_exists(sr_test_cmd("%s/%s", dir, stale)), "%s is left", stale);
    cr_expect(sr_test_exists(sr_test_cmd("%s/%s", dir, alive)), "%s (pid alive) removed",
              alive);
    cr_expect(sr_test_exists(sr_test_cmd("%s/%s", dir, held)), "%s (locked) removed", held);
    if (root)
        cr_expect(sr_test_exists(sr_test_cmd("%s/%s", dir, foreign)), "%s (uid 1234) removed",
                  foreign);
    cr_expect(sr_test_exists(sr_test_cmd("%s/%s", dir, other)), "%s removed", other);
    close(fd);
    free(err);
    sr_test_remove_dir(dir);
}
