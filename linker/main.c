/*
 * linker/main.c — bin/relink: GNU ld's command line in, ld_link, messages out as
 * "relink: error: ..." (exit 1 on any error).
 *
 * Like mold, relink answers as soon as the output is in place: the process forks, the
 * child links, prints the messages and passes the exit status to the parent through a
 * pipe the moment the output is renamed into place; the parent exits with it while the
 * child frees the inputs and the replaced output's blocks (with its stdout and stderr
 * closed, so that a pipe reading relink's messages ends at once). --no-fork, or
 * RELINK_NO_FORK in the environment, does everything in one process. With
 * --incremental the parent is released only once the output and its state are both
 * written (and verified, with --verify): see linker/patchio.c; and when a state exists
 * (an update in place is likely, with nothing slow to clean up) relink does not fork.
 *
 * RELINK_FAULT_AT=N (tests of crash safety) makes the linker kill itself at its N-th
 * write to the output or the incremental state (LdOptions.fault_at).
 */
#include "linker/linker.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void print_messages(const LdReport *rep)
{
    for (uint32_t i = 0; i < rep->messages.len; i++) {
        const LdMessage *m = &rep->messages.data[i];
        const char *prefix = m->level == LD_ERROR ? "relink: error: " : m->level == LD_WARNING ? "relink: warning: "
                                                                                            : "relink: ";
        fprintf(stderr, "%s%s\n", prefix, m->text);
    }
}

static void usage(void)
{
    puts("usage: relink [options] file...\n"
         "Links x86-64 ELF objects and archives into a static executable. GNU ld's options:\n"
         "  -o FILE  -e SYM  -L DIR  -lNAME  -u SYM  --start-group ... --end-group\n"
         "  --whole-archive  -s  -S  -x  -t  --gc-sections  --build-id[=STYLE]  --defsym N=V\n"
         "  -z noexecstack|execstack|relro|norelro|max-page-size=N  -Ttext-segment=ADDR\n"
         "  --threads=N  --stats (counts and time per phase)  --no-fork  --version\n"
         "Incremental linking (state in OUTPUT.relink-state):\n"
         "  --incremental  --incremental-slack=PERCENT (25)  --incremental-reserve=PERCENT (50)\n"
         "  --verify (check each incremental link against a full link with the same layout)\n"
         "  RELINK_FAULT_AT=N in the environment kills relink at its N-th write (for tests)");
}

static void print_stats(const LdReport *rep)
{
    if (rep->incremental == LD_INCR_PATCHED)
        fprintf(stderr, "relink: patched %u sections, %lu sites re-patched, %lu bytes written\n",
                rep->sections_patched, (unsigned long)rep->sites_patched, (unsigned long)rep->bytes_written);
    else
        fprintf(stderr, "relink: %u objects, %u sections, %lu relocations, %u global symbols, %lu bytes\n",
                rep->objects, rep->sections, (unsigned long)rep->relocations, rep->symbols,
                (unsigned long)rep->output_size);
    uint64_t total = 0;
    for (int p = 0; p < LD_PHASE_COUNT; p++) {
        if (!rep->phase_ns[p])
            continue;
        fprintf(stderr, "relink: %-18s %8.2f ms\n", ld_phase_name((LdPhase)p), rep->phase_ns[p] / 1e6);
        total += rep->phase_ns[p];
    }
    fprintf(stderr, "relink: %-18s %8.2f ms\n", "total", total / 1e6);
}

typedef struct Session {
    const LdArgs *args;
    int notify_fd;     /* the parent's pipe, or -1 */
    bool reported;
} Session;

/* Prints everything the user sees and, when forked, releases the parent. */
static void report_done(Session *s, LdReport *rep, bool ok)
{
    if (s->reported)
        return;
    s->reported = true;
    if (rep->trace.len)
        fputs(sb_str(&rep->trace), stdout);
    if (s->args->stats && ok)
        print_stats(rep);
    fflush(stdout);
    print_messages(rep);
    fflush(stderr);
    if (s->notify_fd >= 0) {
        char status = ok ? 0 : 1;
        if (write(s->notify_fd, &status, 1) != 1)
            _exit(1);
        close(s->notify_fd);
        s->notify_fd = -1;
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, STDOUT_FILENO);
            dup2(null, STDERR_FILENO);
            close(null);
        }
    }
}

static void on_output(void *ctx, LdReport *rep)
{
    report_done(ctx, rep, rep->errors == 0);
}

/* In the parent: waits for the child's status byte; returns the exit status. */
static int wait_for_child(pid_t child, int fd)
{
    char status;
    ssize_t n;
    do
        n = read(fd, &status, 1);
    while (n < 0 && errno == EINTR);
    if (n == 1)
        return status;
    int st = 0;
    waitpid(child, &st, 0);
    if (WIFSIGNALED(st))
        fprintf(stderr, "relink: internal error: the linker was killed by signal %d (%s)\n", WTERMSIG(st),
                strsignal(WTERMSIG(st)));
    return WIFEXITED(st) && WEXITSTATUS(st) ? WEXITSTATUS(st) : 1;
}

int main(int argc, char **argv)
{
    LdArgs args;
    LdReport rep = {0};
    bool ok = ld_parse_args(argc, argv, &args, &rep);
    if (!ok || args.help || (args.version && args.opts.ninputs == 0)) {
        if (ok && args.help)
            usage();
        else if (ok)
            puts(ld_version());
        print_messages(&rep);
        ld_report_free(&rep);
        ld_args_free(&args);
        return ok ? 0 : 1;
    }
    if (args.version)
        puts(ld_version());
    fflush(stdout);

    Session s = {&args, -1, false};
    /* An incremental update has nothing slow to clean up: no fork when one is likely. */
    bool update = false;
    if (args.opts.incremental) {
        char *state = xasprintf("%s.relink-state", args.opts.output ? args.opts.output : "a.out");
        update = access(state, F_OK) == 0;
        xfree(state);
    }
    if (!args.no_fork && !update && !getenv("RELINK_NO_FORK")) {
        int fds[2];
        if (pipe(fds) == 0) {
            pid_t child = fork();
            if (child > 0) {
                close(fds[1]);
                _exit(wait_for_child(child, fds[0]));
            }
            close(fds[0]);
            if (child == 0)
                s.notify_fd = fds[1];
            else
                close(fds[1]);  /* no fork: link in this process */
        }
    }
    args.opts.on_output = on_output;
    args.opts.on_output_ctx = &s;
    const char *fault = getenv("RELINK_FAULT_AT");
    if (fault && *fault)
        args.opts.fault_at = (uint32_t)strtoul(fault, NULL, 10);
    ok = ld_link(&args.opts, &rep);
    report_done(&s, &rep, ok);
    ld_report_free(&rep);
    ld_args_free(&args);
    return ok ? 0 : 1;
}
