/*
 * workspace/sched.c — runs crate jobs in dependency order on up to -j threads.
 *
 * Each crate has a counter of the crates it still waits for; a finished crate
 * decrements its dependents' counters, and those reaching zero join the ready heap
 * (lowest crate index first, so -j1 runs in the graph's topological order and output
 * is deterministic). A failed crate marks all its transitive dependents skipped; the
 * run goes on with the others until every crate is done, failed or skipped.
 *
 * One mutex guards the counters, the heap and the states; a second one serializes
 * output, so that a job's message (its whole buffered diagnostics) is written at once.
 * With -j1 the jobs run on the calling thread.
 */
#include "workspace/workspace.h"

#include <pthread.h>
#include <string.h>

#define WORKER_STACK (64u << 20)

struct WsSched {
    const WsGraph *graph;
    WsJobFn job;
    void *ctx;
    WsJobState *states;
    FILE *out;
    uint32_t *waiting_for;   /* per crate: needed crates not yet done */
    uint32_t *rdep_start;    /* dependents of crate i: rdeps[rdep_start[i] .. rdep_start[i+1]) */
    uint32_t *rdeps;
    uint32_t *heap;          /* ready crates, a min-heap */
    uint32_t *worker_of;     /* per crate: the worker that took it */
    uint32_t heap_len;
    uint32_t resolved;       /* crates done, failed or skipped */
    uint32_t failed;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    pthread_mutex_t out_lock;
};

void ws_sched_print(WsSched *s, const char *text, size_t len)
{
    if (!len)
        return;
    pthread_mutex_lock(&s->out_lock);
    fwrite(text, 1, len, s->out);
    fflush(s->out);
    pthread_mutex_unlock(&s->out_lock);
}

static void heap_push(WsSched *s, uint32_t v)
{
    uint32_t i = s->heap_len++;
    while (i && s->heap[(i - 1) / 2] > v) {
        s->heap[i] = s->heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    s->heap[i] = v;
}

static uint32_t heap_pop(WsSched *s)
{
    uint32_t top = s->heap[0], last = s->heap[--s->heap_len], i = 0;
    for (;;) {
        uint32_t child = 2 * i + 1;
        if (child >= s->heap_len)
            break;
        if (child + 1 < s->heap_len && s->heap[child + 1] < s->heap[child])
            child++;
        if (s->heap[child] >= last)
            break;
        s->heap[i] = s->heap[child];
        i = child;
    }
    if (s->heap_len)
        s->heap[i] = last;
    return top;
}

/* Marks every waiting transitive dependent of crate c skipped (lock held). */
static void skip_dependents(WsSched *s, uint32_t c)
{
    uint32_t n = s->graph->crates.len;
    uint32_t *stack = xmalloc(sizeof(uint32_t) * (n ? n : 1));
    uint32_t depth = 0;
    stack[depth++] = c;
    while (depth) {
        uint32_t x = stack[--depth];
        for (uint32_t k = s->rdep_start[x]; k < s->rdep_start[x + 1]; k++) {
            uint32_t d = s->rdeps[k];
            if (s->states[d] == WS_JOB_WAITING) {
                s->states[d] = WS_JOB_SKIPPED;
                s->resolved++;
                stack[depth++] = d;
            }
        }
    }
    xfree(stack);
}

/* Records a crate's result and readies its dependents (lock held). */
static void finish(WsSched *s, uint32_t c, bool ok)
{
    s->states[c] = ok ? WS_JOB_DONE : WS_JOB_FAILED;
    s->resolved++;
    if (!ok) {
        s->failed++;
        skip_dependents(s, c);
    } else {
        for (uint32_t k = s->rdep_start[c]; k < s->rdep_start[c + 1]; k++) {
            uint32_t d = s->rdeps[k];
            if (--s->waiting_for[d] == 0 && s->states[d] == WS_JOB_WAITING)
                heap_push(s, d);
        }
    }
}

/* One worker thread's argument: the run and the worker's number. */
typedef struct Worker {
    WsSched *sched;
    uint32_t id;
} Worker;

uint32_t ws_sched_worker(WsSched *s, uint32_t index)
{
    pthread_mutex_lock(&s->lock);
    uint32_t id = s->worker_of[index];
    pthread_mutex_unlock(&s->lock);
    return id;
}

static void *worker(void *arg)
{
    Worker *w = arg;
    WsSched *s = w->sched;
    uint32_t n = s->graph->crates.len;
    pthread_mutex_lock(&s->lock);
    for (;;) {
        while (s->heap_len == 0 && s->resolved < n)
            pthread_cond_wait(&s->changed, &s->lock);
        if (s->heap_len == 0)
            break;
        uint32_t c = heap_pop(s);
        s->worker_of[c] = w->id;
        pthread_mutex_unlock(&s->lock);
        bool ok = s->job(s->ctx, c, s);
        pthread_mutex_lock(&s->lock);
        finish(s, c, ok);
        pthread_cond_broadcast(&s->changed);
    }
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

uint32_t ws_sched_run(const WsGraph *g, uint32_t jobs, WsJobFn job, void *ctx, FILE *out, WsJobState *states)
{
    if (jobs == 0)
        die("ws_sched_run needs at least one job slot");
    uint32_t n = g->crates.len;
    WsSched s = {.graph = g, .job = job, .ctx = ctx, .states = states, .out = out};
    s.waiting_for = xcalloc(n + 1, sizeof(uint32_t));
    s.rdep_start = xcalloc(n + 2, sizeof(uint32_t));
    s.heap = xmalloc(sizeof(uint32_t) * (n + 1));
    s.worker_of = xcalloc(n + 1, sizeof(uint32_t));
    uint32_t edges = 0;
    for (uint32_t i = 0; i < n; i++) {
        const WsCrate *c = &g->crates.data[i];
        s.waiting_for[i] = c->ndeps;
        edges += c->ndeps;
        for (uint32_t d = 0; d < c->ndeps; d++) {
            if (c->deps[d] >= n)
                die("crate %u needs crate %u, which does not exist", i, c->deps[d]);
            s.rdep_start[c->deps[d] + 1]++;
        }
        states[i] = WS_JOB_WAITING;
    }
    for (uint32_t i = 0; i < n; i++)
        s.rdep_start[i + 1] += s.rdep_start[i];
    s.rdep_start[n + 1] = s.rdep_start[n];
    s.rdeps = xmalloc(sizeof(uint32_t) * (edges + 1));
    uint32_t *fill = xcalloc(n + 1, sizeof(uint32_t));
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t d = 0; d < g->crates.data[i].ndeps; d++) {
            uint32_t dep = g->crates.data[i].deps[d];
            s.rdeps[s.rdep_start[dep] + fill[dep]++] = i;
        }
    xfree(fill);
    for (uint32_t i = 0; i < n; i++)
        if (s.waiting_for[i] == 0)
            heap_push(&s, i);
    pthread_mutex_init(&s.lock, NULL);
    pthread_cond_init(&s.changed, NULL);
    pthread_mutex_init(&s.out_lock, NULL);

    uint32_t threads = MIN(jobs, n);
    Worker *workers = xcalloc(threads + 1, sizeof(Worker));
    for (uint32_t i = 0; i <= threads; i++)
        workers[i] = (Worker){&s, i};
    if (threads <= 1) {
        worker(&workers[0]);
    } else {
        pthread_t *tids = xmalloc(sizeof(pthread_t) * threads);
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setstacksize(&attr, WORKER_STACK);
        uint32_t started = 0;
        for (; started < threads; started++)
            if (pthread_create(&tids[started], &attr, worker, &workers[started]) != 0)
                break;
        pthread_attr_destroy(&attr);
        if (started == 0)
            worker(&workers[0]);  /* no thread could be made: run them all here */
        for (uint32_t i = 0; i < started; i++)
            pthread_join(tids[i], NULL);
        xfree(tids);
    }
    if (s.resolved != n)
        die("scheduler finished with %u of %u crates resolved", s.resolved, n);
    pthread_mutex_destroy(&s.lock);
    pthread_cond_destroy(&s.changed);
    pthread_mutex_destroy(&s.out_lock);
    xfree(s.waiting_for);
    xfree(s.rdep_start);
    xfree(s.rdeps);
    xfree(s.heap);
    xfree(s.worker_of);
    xfree(workers);
    return s.failed;
}
