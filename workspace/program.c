/*
 * workspace/program.c — `ws run`: which bin it runs, and running it as `cargo run` does.
 *
 * The "     Running `target/ws/debug/app 'a b'`" line quotes the program (relative to
 * the current directory when inside it) and its arguments as a POSIX shell would need
 * them; the program's exit status becomes ws's; a program killed by a signal is
 * reported with cargo's words and exit status 101.
 */
#include "workspace/workspace.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define EXIT_COMPILE 101

/* Appends arg to sb quoted as a POSIX shell would need it (cargo's `Running` line). */
static void shell_quote(StrBuf *sb, const char *arg)
{
    bool plain = *arg != 0;
    for (const char *p = arg; *p && plain; p++)
        plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                strchr("_-./=:,+@%", *p);
    if (plain) {
        sb_puts(sb, arg);
        return;
    }
    sb_putc(sb, '\'');
    for (const char *p = arg; *p; p++) {
        if (*p == '\'')
            sb_puts(sb, "'\\''");
        else
            sb_putc(sb, *p);
    }
    sb_putc(sb, '\'');
}

uint32_t ws_run_target(const WsWorkspace *ws, const WsGraph *g, const char *bin)
{
    uint32_t found = UINT32_MAX, count = 0;
    StrBuf names = {0};
    for (uint32_t i = 0; i < g->crates.len; i++) {
        const WsCrate *c = &g->crates.data[i];
        const WsTarget *t = ws_crate_target(ws, c);
        if (!t->is_bin || !ws->packages.data[c->package].selected)
            continue;
        if (bin && strcmp(bin, t->name) != 0)
            continue;
        sb_printf(&names, "%s%s", count ? ", " : "", t->name);
        found = i;
        count++;
    }
    if (count == 1) {
        sb_free(&names);
        return found;
    }
    if (bin)
        fprintf(stderr, "error: no bin target named `%s` in default-run packages\n", bin);
    else if (!count)
        fprintf(stderr, "error: a bin target must be available for `cargo run`\n");
    else
        fprintf(stderr,
                "error: `cargo run` could not determine which binary to run. Use the `--bin` option to "
                "specify a binary, or the `default-run` manifest key.\navailable binaries: %s\n",
                sb_str(&names));
    sb_free(&names);
    return UINT32_MAX;
}

int ws_run_program(const WsWorkspace *ws, const char *exe, char **args, int nargs)
{
    size_t cl = strlen(ws->cwd);
    const char *shown = strncmp(exe, ws->cwd, cl) == 0 && exe[cl] == '/' ? exe + cl + 1 : exe;
    StrBuf line = {0};
    shell_quote(&line, shown);
    for (int i = 0; i < nargs; i++) {
        sb_putc(&line, ' ');
        shell_quote(&line, args[i]);
    }
    fprintf(stderr, "     Running `%s`\n", sb_str(&line));
    fflush(stderr);
    fflush(stdout);
    char **argv = xcalloc((size_t)nargs + 2, sizeof(char *));
    argv[0] = (char *)exe;
    for (int i = 0; i < nargs; i++)
        argv[i + 1] = args[i];
    int status = EXIT_COMPILE;
    pid_t pid = fork();
    if (pid == 0) {
        execv(exe, argv);
        _exit(127);
    }
    int ws_status;
    if (pid < 0 || waitpid(pid, &ws_status, 0) < 0) {
        fprintf(stderr, "error: could not execute process `%s`: %s\n", sb_str(&line), strerror(errno));
    } else if (WIFEXITED(ws_status)) {
        status = WEXITSTATUS(ws_status);
    } else if (WIFSIGNALED(ws_status)) {
        int sig = WTERMSIG(ws_status);
        fprintf(stderr, "error: process didn't exit successfully: `%s` (signal: %d, SIG%s: %s)\n", sb_str(&line),
                sig, sigabbrev_np(sig) ? sigabbrev_np(sig) : "?", strsignal(sig));
    }
    xfree(argv);
    sb_free(&line);
    return status;
}
