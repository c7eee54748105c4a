/*
 * linker/link.c — ld_link, the pipeline of one link, and what every stage shares:
 * messages (in a deterministic order, whatever the threads did) and the parallel loop.
 */
#include "linker/ld.h"

#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

enum { MAX_THREADS = 8 };

const char *ld_version(void)
{
    return "relink 0.1 (compatible with GNU linkers)";
}

const char *ld_phase_name(LdPhase phase)
{
    static const char *const names[] = {
#define X(id, name) name,
        LD_PHASES(X)
#undef X
    };
    return phase < LD_PHASE_COUNT ? names[phase] : "?";
}

/* ---------------------------------------------------------------- messages */

static void report_vadd(LdReport *rep, LdLevel level, const char *fmt, va_list ap)
{
    StrBuf sb = {0};
    sb_vprintf(&sb, fmt, ap);
    LdMessage m = {level, sb.data ? sb.data : xstrdup("")};
    vec_push(&rep->messages, m);
    if (level == LD_ERROR)
        rep->errors++;
    else if (level == LD_WARNING)
        rep->warnings++;
}

void ld_report_add(LdReport *rep, LdLevel level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_vadd(rep, level, fmt, ap);
    va_end(ap);
}

void ld_report_free(LdReport *rep)
{
    if (rep->stale_output) {
        unlink(rep->stale_output);
        xfree(rep->stale_output);
    }
    xfree(rep->full_link_reason);
    for (uint32_t i = 0; i < rep->messages.len; i++)
        xfree(rep->messages.data[i].text);
    vec_free(&rep->messages);
    sb_free(&rep->trace);
    memset(rep, 0, sizeof *rep);
}

void ld_error(Ld *ld, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_vadd(ld->report, LD_ERROR, fmt, ap);
    va_end(ap);
}

void ld_warn(Ld *ld, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_vadd(ld->report, LD_WARNING, fmt, ap);
    va_end(ap);
}

void ld_pending(Ld *ld, LdLevel level, uint64_t key1, uint64_t key2, const char *fmt, ...)
{
    StrBuf sb = {0};
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    LdPending p = {key1, key2, level, sb.data};
    pthread_mutex_lock(&ld->lock);
    vec_push(&ld->pending, p);
    if (level == LD_ERROR)
        ld->pending_errors++;
    pthread_mutex_unlock(&ld->lock);
}

static int cmp_pending(const void *a, const void *b)
{
    const LdPending *x = a, *y = b;
    if (x->key1 != y->key1)
        return x->key1 < y->key1 ? -1 : 1;
    if (x->key2 != y->key2)
        return x->key2 < y->key2 ? -1 : 1;
    return strcmp(x->text, y->text);
}

enum { MAX_PENDING_SHOWN = 50 };

void ld_flush_pending(Ld *ld)
{
    if (!ld->pending.len)
        return;
    qsort(ld->pending.data, ld->pending.len, sizeof(LdPending), cmp_pending);
    uint32_t errors = 0;
    for (uint32_t i = 0; i < ld->pending.len; i++) {
        LdPending *p = &ld->pending.data[i];
        if (p->level == LD_ERROR && ++errors > MAX_PENDING_SHOWN) {
            xfree(p->text);
            continue;
        }
        LdMessage m = {p->level, p->text};
        vec_push(&ld->report->messages, m);
        if (p->level == LD_ERROR)
            ld->report->errors++;
        else if (p->level == LD_WARNING)
            ld->report->warnings++;
    }
    if (errors > MAX_PENDING_SHOWN)
        ld_error(ld, "%u more errors like these were not shown", errors - MAX_PENDING_SHOWN);
    ld->pending.len = 0;
    ld->pending_errors = 0;
}

bool ld_failed(Ld *ld)
{
    return ld->report->errors > 0 || ld->pending_errors > 0;
}

char *ld_site(Ld *ld, const InSec *sec, uint64_t offset)
{
    const char *file = sec->file == LD_NONE ? "<linker>" : ld->files.data[sec->file]->name;
    return xasprintf("%s:(%s+0x%lx)", file, sec->name, (unsigned long)offset);
}

/* ---------------------------------------------------------------- name maps */

uint32_t *namemap_slot(NameMap *m, const char *name, uint32_t key)
{
    if ((m->count + 1) * 2 > m->mask) {
        uint32_t n = m->slots ? (m->mask + 1) * 2 : 64;
        NameSlot *t = xcalloc(n, sizeof *t);
        for (uint32_t i = 0; m->slots && i <= m->mask; i++) {
            if (!m->slots[i].name)
                continue;
            uint32_t h = (uint32_t)m->slots[i].hash & (n - 1);
            while (t[h].name)
                h = (h + 1) & (n - 1);
            t[h] = m->slots[i];
        }
        xfree(m->slots);
        m->slots = t;
        m->mask = n - 1;
    }
    uint64_t hash = hash64(name, strlen(name)) ^ key;
    uint32_t h = (uint32_t)hash & m->mask;
    while (m->slots[h].name) {
        NameSlot *s = &m->slots[h];
        if (s->hash == hash && s->key == key && strcmp(s->name, name) == 0)
            return &s->value;
        h = (h + 1) & m->mask;
    }
    m->slots[h] = (NameSlot){name, hash, key, LD_NONE};
    m->count++;
    return &m->slots[h].value;
}

void namemap_free(NameMap *m)
{
    xfree(m->slots);
    memset(m, 0, sizeof *m);
}

/* ---------------------------------------------------------------- threads */

typedef struct Pool {
    Ld *ld;
    uint32_t n;
    uint32_t next;  /* atomic */
    void (*fn)(Ld *, uint32_t, uint32_t, void *);
    void *ctx;
} Pool;

typedef struct Worker {
    Pool *pool;
    uint32_t tid;
} Worker;

static void *pool_run(void *arg)
{
    Worker *w = arg;
    Pool *p = w->pool;
    for (;;) {
        uint32_t i = __atomic_fetch_add(&p->next, 1, __ATOMIC_RELAXED);
        if (i >= p->n)
            break;
        p->fn(p->ld, i, w->tid, p->ctx);
    }
    return NULL;
}

void ld_parallel(Ld *ld, uint32_t n, void (*fn)(Ld *ld, uint32_t i, uint32_t tid, void *ctx), void *ctx)
{
    uint32_t nt = MIN(ld->nthreads, n);
    if (nt <= 1) {
        for (uint32_t i = 0; i < n; i++)
            fn(ld, i, 0, ctx);
        return;
    }
    Pool pool = {ld, n, 0, fn, ctx};
    Worker workers[MAX_THREADS];
    pthread_t threads[MAX_THREADS];
    uint32_t started = 0;
    for (uint32_t t = 1; t < nt; t++) {
        workers[t] = (Worker){&pool, t};
        if (pthread_create(&threads[t], NULL, pool_run, &workers[t]) != 0)
            break;  /* fewer threads: the items still all run */
        started = t;
    }
    workers[0] = (Worker){&pool, 0};
    pool_run(&workers[0]);
    for (uint32_t t = 1; t <= started; t++)
        pthread_join(threads[t], NULL);
}

/* ---------------------------------------------------------------- the pipeline */

static int cmp_order(const void *a, const void *b, void *ctx)
{
    Ld *ld = ctx;
    uint64_t x = ld->files.data[*(const uint32_t *)a]->order, y = ld->files.data[*(const uint32_t *)b]->order;
    return x < y ? -1 : x > y;
}

/* Live files in layout order. */
static void build_order(Ld *ld)
{
    for (uint32_t i = 0; i < ld->files.len; i++)
        if (ld->files.data[i]->live)
            vec_push(&ld->order, i);
    if (ld->order.len)
        qsort_r(ld->order.data, ld->order.len, sizeof(uint32_t), cmp_order, ld);
}

/* PT_GNU_STACK as GNU ld decides it: executable when asked, or when an object asks
 * for it, or lacks .note.GNU-stack (with a warning), unless -z noexecstack. */
static void decide_stack(Ld *ld)
{
    const LdOptions *opt = ld->opt;
    ld->exec_stack = opt->exec_stack;
    if (opt->exec_stack || opt->no_exec_stack)
        return;
    for (uint32_t i = 0; i < ld->order.len; i++) {
        const LdFile *f = ld->files.data[ld->order.data[i]];
        if (f->exec_stack) {
            ld->exec_stack = true;
            ld_warn(ld, "`%s`: requires an executable stack (because its .note.GNU-stack section is executable)",
                    f->name);
            return;
        }
    }
    for (uint32_t i = 0; i < ld->order.len; i++) {
        const LdFile *f = ld->files.data[ld->order.data[i]];
        if (!f->has_gnu_stack) {
            ld->exec_stack = true;
            ld_warn(ld, "`%s`: missing .note.GNU-stack section implies executable stack", f->name);
            return;
        }
    }
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)(c | 0x20);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static bool decide_build_id(Ld *ld)
{
    switch (ld->opt->build_id) {
    case LD_BUILD_ID_NONE: ld->build_id_len = 0; return true;
    case LD_BUILD_ID_FAST: ld->build_id_len = 20; return true;
    case LD_BUILD_ID_MD5: case LD_BUILD_ID_UUID: ld->build_id_len = 16; return true;
    case LD_BUILD_ID_HEX: {
        const char *h = ld->opt->build_id_hex ? ld->opt->build_id_hex : "";
        size_t n = strlen(h);
        if (n == 0 || n % 2 || n / 2 > sizeof ld->build_id_bytes) {
            ld_error(ld, "--build-id=0x%s: expected an even number of hex digits (at most 128)", h);
            return false;
        }
        for (size_t i = 0; i < n; i += 2) {
            int a = hex_digit(h[i]), b = hex_digit(h[i + 1]);
            if (a < 0 || b < 0) {
                ld_error(ld, "--build-id=0x%s: `%c%c` is not hex", h, h[i], h[i + 1]);
                return false;
            }
            ld->build_id_bytes[i / 2] = (uint8_t)(a << 4 | b);
        }
        ld->build_id_len = (uint32_t)(n / 2);
        return true;
    }
    }
    unreachable();
}

void ld_init(Ld *ld, const LdOptions *opt, LdReport *rep)
{
    memset(ld, 0, sizeof *ld);
    ld->opt = opt;
    ld->report = rep;
    arena_init(&ld->arena);
    pthread_mutex_init(&ld->lock, NULL);
    uint32_t nt = opt->threads;
    if (nt == 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        nt = cpus > 0 ? (uint32_t)cpus : 1;
    }
    ld->nthreads = MIN(MAX(nt, 1u), (uint32_t)MAX_THREADS);
    ld->thread_arena = xcalloc(ld->nthreads, sizeof(Arena));
    ld->entry_sym = LD_NONE;
    ld->out_fd = -1;
}

void ld_free(Ld *ld)
{
    for (uint32_t i = 0; i < ld->maps.len; i++)
        munmap(ld->maps.data[i], ld->map_sizes.data[i]);
    vec_free(&ld->maps);
    vec_free(&ld->map_sizes);
    vec_free(&ld->loaded);
    vec_free(&ld->input_loaded);
    for (uint32_t i = 0; i < ld->files.len; i++)
        xfree(ld->files.data[i]->error);
    vec_free(&ld->files);
    vec_free(&ld->order);
    vec_free(&ld->archives);
    vec_free(&ld->syms);
    xfree(ld->table);
    namemap_free(&ld->comdat);
    for (uint32_t i = 0; i < ld->osecs.len; i++)
        vec_free(&ld->osecs.data[i].members);
    vec_free(&ld->osecs);
    vec_free(&ld->osec_order);
    vec_free(&ld->segs);
    vec_free(&ld->eh_sections);
    vec_free(&ld->local_got);
    vec_free(&ld->defsyms);
    vec_free(&ld->undefs);
    vec_free(&ld->warned_refs);
    vec_free(&ld->warning_text);
    namemap_free(&ld->warnings);
    vec_free(&ld->ifuncs);
    vec_free(&ld->synthetic);
    for (uint32_t i = 0; i < ld->pending.len; i++)
        xfree(ld->pending.data[i].text);
    vec_free(&ld->pending);
    for (uint32_t i = 0; i < ld->nthreads; i++)
        arena_free(&ld->thread_arena[i]);
    xfree(ld->thread_arena);
    arena_free(&ld->arena);
    pthread_mutex_destroy(&ld->lock);
}

/* Ends a phase: records its time and starts the next. */
static void phase_end(Ld *ld, LdPhase phase, uint64_t *t)
{
    uint64_t now = clock_ns();
    ld->report->phase_ns[phase] += now - *t;
    *t = now;
}

void ld_write_point(Ld *ld, const char *what)
{
    (void)what;
    if (!ld->write_points)
        return;
    if (++*ld->write_points == ld->opt->fault_at)
        kill(getpid(), SIGKILL);
}

bool ld_run(const LdOptions *opt, LdReport *rep, LdIncr *incr)
{
    Ld ld_storage, *ld = &ld_storage;
    ld_init(ld, opt, rep);
    ld->incr = incr;
    ld->write_points = incr ? incr->write_points : NULL;
    if (incr && incr->mode == INCR_FRESH)
        incr->sites = arena_new(&ld->arena, SiteVec, ld->nthreads);
    char *tmp = NULL;
    bool ok = false;
    uint64_t t = clock_ns();

    /* Read every input, parse objects, resolve symbols and extract archive members. */
    if (!decide_build_id(ld) || !input_load_all(ld))
        goto out;
    phase_end(ld, LD_PHASE_READ, &t);
    build_order(ld);
    if (incr && incr->mode == INCR_PLANNED && !incr_bind(ld))
        goto out;
    resolve_linker_symbols(ld);
    resolve_warn_uses(ld);
    if (opt->gc_sections)
        gc_sections(ld);
    phase_end(ld, LD_PHASE_RESOLVE, &t);

    /* Relocations: validate, find GOT/IFUNC needs and undefined references. */
    reloc_scan(ld);
    ld_flush_pending(ld);
    if (!resolve_check_undefined(ld))
        goto out;
    reloc_assign_slots(ld);
    eh_parse_all(ld);
    ld_flush_pending(ld);
    if (ld_failed(ld))
        goto out;
    decide_stack(ld);
    phase_end(ld, LD_PHASE_SCAN, &t);

    /* Addresses of everything. */
    if (!layout_run(ld))
        goto out;
    phase_end(ld, LD_PHASE_LAYOUT, &t);

    /* Contents. */
    if (!output_open(ld, &tmp))
        goto out;
    reloc_copy_all(ld);
    ld_flush_pending(ld);
    if (ld_failed(ld))
        goto out;
    output_write_synthetic(ld);
    if (incr)
        eh_write_gaps(ld);
    eh_write_hdr(ld);
    phase_end(ld, LD_PHASE_COPY, &t);
    output_write_symtab(ld);
    phase_end(ld, LD_PHASE_SYMTAB, &t);
    output_write_headers(ld);
    output_write_build_id(ld);
    if (opt->fatal_warnings && rep->warnings) {
        ld_error(ld, "warnings are fatal (--fatal-warnings)");
        goto out;
    }
    ok = output_commit(ld, tmp);
    phase_end(ld, LD_PHASE_WRITE, &t);
    xfree(tmp);
    tmp = NULL;

    rep->output_size = ld->file_size;
    rep->objects = ld->order.len;
    rep->relocations = ld->nrelocs;
    for (uint32_t o = 0; o < ld->osecs.len; o++) {
        const OutSec *os = &ld->osecs.data[o];
        if (!os->shndx)
            continue;
        rep->sections += os->members.len;
        if (os->type != SHT_NOBITS)
            rep->bytes_written += output_extent(os);
    }
    rep->bytes_written += sizeof(Elf64_Ehdr) + ld->segs.len * sizeof(Elf64_Phdr) + ld->nshdr * sizeof(Elf64_Shdr);
    if (ok && incr && incr->mode == INCR_FRESH) {
        ok = incr_save(ld);
        phase_end(ld, LD_PHASE_STATE, &t);
    }
    if (ok && opt->on_output && (!incr || incr->on_output))
        opt->on_output(opt->on_output_ctx, rep);
out:
    ld_flush_pending(ld);
    if (!ok)
        output_abort(ld, tmp);
    xfree(tmp);
    for (uint32_t k = 0; incr && incr->sites && k < ld->nthreads; k++)
        vec_free(&incr->sites[k]);
    if (incr)
        incr->sites = NULL;
    ld_free(ld);
    return ok && rep->errors == 0;
}

bool ld_link(const LdOptions *opt, LdReport *rep)
{
    if (opt->incremental || opt->verify)
        return incr_link(opt, rep);
    return ld_run(opt, rep, NULL);
}
