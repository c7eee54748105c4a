/*
 * workspace/link.c — a bin crate's link, and the record that skips a link that would
 * write the program that is already there.
 *
 * A program is linked again when, and only when, the objects it links (their paths,
 * in order, and their content hashes as their crates' fingerprints record them), the
 * compiler's build id (which covers the runtime's embedded objects and the linker)
 * moved since the last link, or the program on disk is not the one that link wrote.
 * A body-only edit in a lib below changes that lib's objects, so every bin above it is
 * relinked though none of them is compiled.
 *
 * The link itself is one call (WsLinkFn: relink's library in incremental mode, which
 * keeps its state beside the program, target/ws/debug/<bin>.relink-state, and patches
 * the program in place when it can). The program is written (or patched) by the linker,
 * then recorded: a killed link leaves the old record, which then no longer matches the
 * inputs, so the next build links (and the linker, finding its state interrupted or the
 * program not the one it describes, links in full).
 *
 * The record (target/ws/link/<crate key>) is read and written by fingerprint.c, whose
 * header describes its format.
 */
#include "workspace/workspace.h"

#include <string.h>

static bool save_record(const WsLinkJob *job, const WsFpFile *program, char **err)
{
    WsLinkRecord rec = {ws_build_id(), job->objects, job->hashes, job->nobjects, *program};
    return ws_link_record_save(job->record, &rec, err);
}

/* A path as the user sees it: relative to the workspace root when inside it. */
static const char *shown(const WsLinkJob *job, const char *path)
{
    size_t n = strlen(job->root);
    return strncmp(path, job->root, n) == 0 && path[n] == '/' ? path + n + 1 : path;
}

/* Appends to why the first difference between the record's inputs and the job's;
 * false when there is none. */
static bool inputs_moved(const WsLinkJob *job, const WsLinkRecord *r, StrBuf *why)
{
    if (!hash128_eq(r->build_id, ws_build_id())) {
        sb_puts(why, "the compiler changed (another build id)\n");
        return true;
    }
    uint32_t changed = 0;
    const char *first = NULL;
    for (uint32_t i = 0; i < job->nobjects; i++) {
        bool same = i < r->nobjects && strcmp(r->objects[i], job->objects[i]) == 0 &&
                    hash128_eq(r->hashes[i], job->hashes[i]);
        if (!same && !changed++)
            first = job->objects[i];
    }
    if (changed) {
        sb_printf(why, "the object `%s` changed", shown(job, first));
        if (changed > 1)
            sb_printf(why, " (and %u more)", changed - 1);
        sb_putc(why, '\n');
        return true;
    }
    if (r->nobjects != job->nobjects) {
        sb_puts(why, "it links fewer objects\n");
        return true;
    }
    return false;
}

bool ws_link_program(const WsLinkJob *job, WsLinkFn link, bool *linked, WsLinkStats *stats, StrBuf *why,
                     StrBuf *msg)
{
    Arena a;
    arena_init(&a);
    WsLinkRecord rec;
    char *fail = NULL;
    bool need = true;
    *linked = false;
    *stats = (WsLinkStats){0};
    if (!ws_link_record_load(&a, job->record, &rec, &fail)) {
        if (strcmp(fail, "missing") == 0) {
            sb_puts(why, "it was never linked\n");
        } else {
            sb_printf(msg, "warning: ignoring the damaged state file `%s` (%s); linking again\n",
                      shown(job, job->record), fail);
            sb_printf(why, "its link record could not be trusted (%s)\n", fail);
        }
        xfree(fail);
    } else if (!inputs_moved(job, &rec, why)) {
        bool moved = false;
        switch (ws_fp_file_check(job->output, &rec.program, &moved)) {
        case WS_FILE_SAME:
            need = false;
            break;
        case WS_FILE_MISSING:
            sb_printf(why, "the program `%s` is missing\n", shown(job, job->output));
            break;
        case WS_FILE_CHANGED:
            sb_printf(msg, "warning: the program `%s` is not the one ws linked; linking again\n",
                      shown(job, job->output));
            sb_printf(why, "the program `%s` was changed since it was linked\n", shown(job, job->output));
            break;
        }
        if (!need && moved && !save_record(job, &rec.program, &fail)) {
            sb_printf(msg, "warning: %s\n", fail);  /* the next build only re-reads the program */
            xfree(fail);
        }
    }
    bool ok = true;
    if (need) {
        *linked = true;
        ok = link(job->objects, job->nobjects, job->output, job->verify, stats, msg);
        WsFpFile program;
        if (ok && (!ws_fp_file_stat(&a, job->output, "", &program, &fail) || !save_record(job, &program, &fail))) {
            sb_printf(msg, "error: %s\n", fail);
            xfree(fail);
            ok = false;
        }
    }
    arena_free(&a);
    return ok;
}
