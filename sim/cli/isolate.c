#include "sim/cli/isolate.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define SR_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SR_UNDER_ASAN 1
#endif
#endif

/* The running child, for the signal handler; 0 when none. */
static volatile sig_atomic_t child_pid = 0;

/* What an interrupt removes (sr_isolate_remove_on_interrupt). */
static char *const *volatile interrupt_removes = NULL;
static volatile size_t n_interrupt_removes = 0;

void sr_isolate_remove_on_interrupt(char *const *paths, size_t n)
{
    n_interrupt_removes = 0;
    interrupt_removes = paths;
    n_interrupt_removes = n;
}

/* SIGINT/SIGTERM while a child reads: end it, remove what it was writing, then end this
 * process. kill, unlink, write and _exit are async-signal-safe. */
static void end_child(int sig)
{
    (void)sig;
    if (child_pid > 0)
        kill((pid_t)child_pid, SIGKILL);
    for (size_t i = 0; i < n_interrupt_removes; i++)
        unlink(interrupt_removes[i]);
    static const char msg[] = "sirisk: interrupted\n";
    if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
        /* nothing more can be said */
    }
    _exit(SR_EXIT_INTERRUPTED);
}

static void limit(int resource, rlim_t soft, rlim_t hard)
{
    struct rlimit rl = {soft, hard};
    setrlimit(resource, &rl);   /* best effort: a limit that cannot be set is no worse */
}

/* In the child: run fn, pass its error up the pipe, never return. */
static void child(sr_isolated_fn fn, void *arg, size_t memory_limit, double cpu_seconds,
                  int out)
{
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    /* a fault kills the child by its signal, so that the parent can tell it from an error
     * (a sanitizer's handler would turn it into an exit code) */
    signal(SIGSEGV, SIG_DFL);
    signal(SIGBUS, SIG_DFL);
    signal(SIGFPE, SIG_DFL);
    limit(RLIMIT_CORE, 0, 0);      /* a fault inside HDF5 leaves no core file behind */
    /* SIGXCPU at the soft limit ends it (SIGKILL a second later, should it be caught) */
    limit(RLIMIT_CPU, (rlim_t)ceil(cpu_seconds), (rlim_t)ceil(cpu_seconds) + 1);
#ifndef SR_UNDER_ASAN
    limit(RLIMIT_AS, (rlim_t)memory_limit, (rlim_t)memory_limit);
#else
    (void)memory_limit;
#endif
    sr_error err = {0};
    int rc = fn(arg, &err);
    fflush(stdout);
    if (rc != 0) {
        err.code = rc;
        ssize_t n = write(out, &err, sizeof err);
        (void)n;
    }
    close(out);
    _exit(rc);   /* not exit: the child must not run the parent's atexit handlers */
}

static const char *signal_name(int sig)
{
    switch (sig) {
    case SIGSEGV: return "a segmentation fault";
    case SIGBUS:  return "a bus error";
    case SIGABRT: return "an abort";
    case SIGFPE:  return "an arithmetic fault";
    case SIGKILL: return "SIGKILL";
    case SIGXCPU: return "it ran past the processor time a file of its size may take";
    default:      return "a signal";
    }
}

double sr_isolate_cpu_seconds(double bytes)
{
    return 30.0 + 5.0 * bytes / 1048576.0;
}

int sr_isolate(sr_isolated_fn fn, void *arg, const char *what, size_t memory_limit,
               double cpu_seconds, sr_error *err)
{
    int fd[2];
    if (pipe(fd) != 0)
        return sr_error_set(err, SR_EXIT_SOFTWARE, "%s: cannot make a pipe: %s", what,
                            strerror(errno));
    fflush(stdout);
    fflush(stderr);
    struct sigaction sa = {0}, old_int, old_term;
    sa.sa_handler = end_child;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        child(fn, arg, memory_limit, cpu_seconds, fd[1]);
    }
    int rc = 0;
    close(fd[1]);
    if (pid < 0) {
        rc = sr_error_set(err, SR_EXIT_SOFTWARE, "%s: cannot start a reader process: %s",
                          what, strerror(errno));
        goto done;
    }
    child_pid = pid;
    sr_error from_child = {0};
    size_t got = 0;
    while (got < sizeof from_child) {
        ssize_t n = read(fd[0], (char *)&from_child + got, sizeof from_child - got);
        if (n > 0)
            got += (size_t)n;
        else if (n == 0 || errno != EINTR)
            break;
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    child_pid = 0;
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE) {
        /* the reader of stdout went away (`sirisk summary f.h5 | head`): not the file's
         * fault; end as any program writing into a closed pipe does */
        signal(SIGPIPE, SIG_DFL);
        raise(SIGPIPE);
        rc = sr_error_set(err, SR_EXIT_IOERR, "%s: standard output closed", what);
    } else if (WIFSIGNALED(status)) {
        rc = sr_error_set(err, SR_EXIT_IOERR, "%s: cannot be read: the HDF5 library failed on "
                          "it (%s) before sirisk could check its contents; the file is damaged "
                          "or not a sirisk result set", what, signal_name(WTERMSIG(status)));
    } else if (WEXITSTATUS(status) != 0) {
        if (got == sizeof from_child && from_child.code == WEXITSTATUS(status)) {
            from_child.msg[sizeof from_child.msg - 1] = '\0';
            *err = from_child;
            rc = from_child.code;
        } else {
            /* fn always says why it fails: an exit without a word is the library's (a
             * sanitizer's report of a fault inside HDF5 ends so) */
            rc = sr_error_set(err, SR_EXIT_IOERR, "%s: cannot be read: the HDF5 library failed "
                              "on it (its reader ended with exit %d) before sirisk could check "
                              "its contents; the file is damaged or not a sirisk result set",
                              what, WEXITSTATUS(status));
        }
    }
done:
    close(fd[0]);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    return rc;
}
