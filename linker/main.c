/*
 * linker/main.c — bin/relink: GNU ld's command line in, ld_link, messages out as
 * "relink: error: ..." (exit 1 on any error).
 */
#include "linker/linker.h"

#include <string.h>

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
         "  --threads=N  --stats (counts and time per phase)  --version");
}

static void print_stats(const LdReport *rep)
{
    fprintf(stderr, "relink: %u objects, %u sections, %lu relocations, %u global symbols, %lu bytes\n",
            rep->objects, rep->sections, (unsigned long)rep->relocations, rep->symbols,
            (unsigned long)rep->output_size);
    uint64_t total = 0;
    for (int p = 0; p < LD_PHASE_COUNT; p++) {
        fprintf(stderr, "relink: %-18s %8.2f ms\n", ld_phase_name((LdPhase)p), rep->phase_ns[p] / 1e6);
        total += rep->phase_ns[p];
    }
    fprintf(stderr, "relink: %-18s %8.2f ms\n", "total", total / 1e6);
}

int main(int argc, char **argv)
{
    LdArgs args;
    LdReport rep = {0};
    bool ok = ld_parse_args(argc, argv, &args, &rep);
    if (ok && args.help) {
        usage();
    } else if (ok) {
        if (args.version)
            puts(ld_version());
        if (!args.version || args.opts.ninputs > 0) {
            ok = ld_link(&args.opts, &rep);
            if (rep.trace.len)
                fputs(sb_str(&rep.trace), stdout);
            if (args.stats && ok)
                print_stats(&rep);
        }
    }
    fflush(stdout);
    print_messages(&rep);
    ld_report_free(&rep);
    ld_args_free(&args);
    return ok ? 0 : 1;
}
