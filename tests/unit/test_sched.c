/* tests/unit/test_sched.c — the scheduler with fake jobs: dependency order, the -j
 * limit reached and never passed, failures stopping only their dependents, and
 * messages that never interleave. */
#include "tests/unit/unit.h"

#include "workspace/workspace.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A random DAG: crate i needs up to 3 crates below it. */
static void random_graph(WsGraph *g, uint32_t n, unsigned seed)
{
    memset(g, 0, sizeof *g);
    arena_init(&g->arena);
    for (uint32_t i = 0; i < n; i++) {
        WsCrate c = {.package = i, .bin = -1};
        uint32_t want = i ? (uint32_t)rand_r(&seed) % 4 : 0;
        c.deps = arena_new(&g->arena, uint32_t, 4);
        for (uint32_t k = 0; k < want; k++) {
            uint32_t d = (uint32_t)rand_r(&seed) % i;
            bool dup = false;
            for (uint32_t j = 0; j < c.ndeps; j++)
                dup |= c.deps[j] == d;
            if (!dup)
                c.deps[c.ndeps++] = d;
        }
        vec_push(&g->crates, c);
    }
}

typedef struct Trace {
    atomic_uint clock;
    uint32_t *started, *finished;  /* logical times */
    atomic_uint running, max_running;
    uint32_t fail_mod;             /* crates i with i % fail_mod == 1 fail (0: none) */
    uint32_t wait_for;             /* each job waits until this many run at once */
    pthread_mutex_t lock;
    pthread_cond_t cond;
} Trace;

static bool fake_job(void *ctx, uint32_t index, WsSched *sched)
{
    Trace *t = ctx;
    t->started[index] = atomic_fetch_add(&t->clock, 1);
    unsigned now = atomic_fetch_add(&t->running, 1) + 1;
    unsigned max = atomic_load(&t->max_running);
    while (now > max && !atomic_compare_exchange_weak(&t->max_running, &max, now))
        ;
    if (t->wait_for) {
        /* Rendezvous: wait (bounded, so a broken scheduler fails rather than hangs)
         * until wait_for jobs are running together. */
        pthread_mutex_lock(&t->lock);
        pthread_cond_broadcast(&t->cond);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 10;
        while (atomic_load(&t->max_running) < t->wait_for)
            if (pthread_cond_timedwait(&t->cond, &t->lock, &until) != 0)
                break;
        pthread_mutex_unlock(&t->lock);
    }
    char msg[128];
    int len = snprintf(msg, sizeof msg, "begin %u\nmiddle %u\nend %u\n", index, index, index);
    ws_sched_print(sched, msg, (size_t)len);
    atomic_fetch_sub(&t->running, 1);
    t->finished[index] = atomic_fetch_add(&t->clock, 1);
    return !(t->fail_mod && index % t->fail_mod == 1);
}

static void trace_init(Trace *t, uint32_t n)
{
    memset(t, 0, sizeof *t);
    t->started = xcalloc(n, sizeof(uint32_t));
    t->finished = xcalloc(n, sizeof(uint32_t));
    pthread_mutex_init(&t->lock, NULL);
    pthread_cond_init(&t->cond, NULL);
}

static void trace_free(Trace *t)
{
    xfree(t->started);
    xfree(t->finished);
    pthread_mutex_destroy(&t->lock);
    pthread_cond_destroy(&t->cond);
}

START_TEST(runs_every_crate_after_its_dependencies)
{
    static const uint32_t jobs[] = {1, 2, 3, 8};
    for (size_t j = 0; j < ARRAY_LEN(jobs); j++) {
        WsGraph g;
        random_graph(&g, 300, (unsigned)j + 1);
        Trace t;
        trace_init(&t, 300);
        WsJobState states[300];
        FILE *out = tmpfile();
        ck_assert_uint_eq(ws_sched_run(&g, jobs[j], fake_job, &t, out, states), 0);
        for (uint32_t i = 0; i < 300; i++) {
            ck_assert_int_eq(states[i], WS_JOB_DONE);
            for (uint32_t d = 0; d < g.crates.data[i].ndeps; d++)
                ck_assert_uint_lt(t.finished[g.crates.data[i].deps[d]], t.started[i]);
        }
        ck_assert_uint_le(atomic_load(&t.max_running), jobs[j]);
        if (jobs[j] == 1)  /* -j1: lowest index first, i.e. the topological order itself */
            for (uint32_t i = 1; i < 300; i++)
                ck_assert_uint_lt(t.started[i - 1], t.started[i]);
        fclose(out);
        trace_free(&t);
        ws_graph_free(&g);
    }
}
END_TEST

START_TEST(runs_up_to_j_jobs_at_once)
{
    /* 40 independent crates, -j4: four run together at some point, never five. */
    WsGraph g;
    memset(&g, 0, sizeof g);
    for (uint32_t i = 0; i < 40; i++)
        vec_push(&g.crates, ((WsCrate){.package = i, .bin = -1}));
    Trace t;
    trace_init(&t, 40);
    t.wait_for = 4;
    WsJobState states[40];
    FILE *out = tmpfile();
    ck_assert_uint_eq(ws_sched_run(&g, 4, fake_job, &t, out, states), 0);
    ck_assert_uint_eq(atomic_load(&t.max_running), 4);
    fclose(out);
    trace_free(&t);
    ws_graph_free(&g);
}
END_TEST

START_TEST(a_failure_stops_only_its_dependents)
{
    for (uint32_t jobs = 1; jobs <= 4; jobs += 3) {
        WsGraph g;
        random_graph(&g, 200, 99);
        Trace t;
        trace_init(&t, 200);
        t.fail_mod = 17;
        WsJobState states[200];
        FILE *out = tmpfile();
        uint32_t failed = ws_sched_run(&g, jobs, fake_job, &t, out, states);
        /* Recompute what must have happened, in topological order. */
        WsJobState want[200];
        uint32_t want_failed = 0, skipped = 0;
        for (uint32_t i = 0; i < 200; i++) {
            bool blocked = false;
            for (uint32_t d = 0; d < g.crates.data[i].ndeps; d++)
                blocked |= want[g.crates.data[i].deps[d]] != WS_JOB_DONE;
            want[i] = blocked ? WS_JOB_SKIPPED : i % 17 == 1 ? WS_JOB_FAILED : WS_JOB_DONE;
            want_failed += want[i] == WS_JOB_FAILED;
            skipped += want[i] == WS_JOB_SKIPPED;
            ck_assert_int_eq(states[i], want[i]);
            if (want[i] == WS_JOB_SKIPPED)
                ck_assert_uint_eq(t.started[i], 0);  /* never run */
        }
        ck_assert_uint_eq(failed, want_failed);
        ck_assert_uint_gt(want_failed, 1);  /* the case is meaningful: several failures */
        ck_assert_uint_gt(skipped, 0);
        ck_assert_uint_gt(200 - skipped - want_failed, 100);  /* and most crates still ran */
        fclose(out);
        trace_free(&t);
        ws_graph_free(&g);
    }
}
END_TEST

START_TEST(messages_never_interleave)
{
    WsGraph g;
    random_graph(&g, 150, 5);
    Trace t;
    trace_init(&t, 150);
    WsJobState states[150];
    FILE *out = tmpfile();
    ck_assert_uint_eq(ws_sched_run(&g, 8, fake_job, &t, out, states), 0);
    rewind(out);
    char line[3][64];
    uint32_t seen = 0;
    while (fgets(line[0], sizeof line[0], out)) {
        ck_assert_ptr_nonnull(fgets(line[1], sizeof line[1], out));
        ck_assert_ptr_nonnull(fgets(line[2], sizeof line[2], out));
        unsigned a, b, c;
        ck_assert_int_eq(sscanf(line[0], "begin %u", &a), 1);
        ck_assert_int_eq(sscanf(line[1], "middle %u", &b), 1);
        ck_assert_int_eq(sscanf(line[2], "end %u", &c), 1);
        ck_assert(a == b && b == c);
        seen++;
    }
    ck_assert_uint_eq(seen, 150);
    fclose(out);
    trace_free(&t);
    ws_graph_free(&g);
}
END_TEST

START_TEST(an_empty_graph_runs_nothing)
{
    WsGraph g;
    memset(&g, 0, sizeof g);
    Trace t;
    trace_init(&t, 1);
    ck_assert_uint_eq(ws_sched_run(&g, 4, fake_job, &t, stdout, NULL), 0);
    ck_assert_uint_eq(atomic_load(&t.clock), 0);
    trace_free(&t);
}
END_TEST

Suite *sched_suite(void)
{
    Suite *s = suite_create("sched");
    TCase *tc = tcase_create("sched");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, runs_every_crate_after_its_dependencies);
    tcase_add_test(tc, runs_up_to_j_jobs_at_once);
    tcase_add_test(tc, a_failure_stops_only_its_dependents);
    tcase_add_test(tc, messages_never_interleave);
    tcase_add_test(tc, an_empty_graph_runs_nothing);
    suite_add_tcase(s, tc);
    return s;
}
