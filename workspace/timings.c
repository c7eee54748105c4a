/*
 * workspace/timings.c — `ws build --timings` (and `ws check --timings`): a report of
 * where a run's time went, as cargo's --timings writes cargo-timing.html.
 *
 * The report is one self-contained HTML file (inline CSS and SVG, no script, nothing
 * fetched), written atomically (temp file + rename) twice under target/ws/timings/:
 * ws-timing-<stamp>.html, the stamp the run's start in UTC to the millisecond
 * ("20250102T030405123Z"), kept as a history, and ws-timing.html, the latest.
 *
 * What it shows, all measured with clock_ns() by build.c around each stage of a
 * crate's job (WsCrateResult):
 *   - a summary: the command, the workspace, the workers, the wall time, the count of
 *     crates compiled, fresh, failed and skipped;
 *   - the timeline: one lane per worker, one bar per crate unit from the start to the
 *     end of its job, coloured by outcome (fresh bars hatched: their job was only the
 *     fingerprint check, and a link when its program needed one), the link part of a
 *     bin's bar drawn darker; each bar's <title> is its tooltip;
 *   - a table with a row per crate and a column per phase (WS_PHASES), and a table
 *     with a row per phase: its total over all crates and its share.
 * The frontend's parse, resolve and type-check run as one call (fe_check_crate), so
 * they are one phase here; "codegen" is cg_crate and the per-module object model,
 * "write" obj_write (ELF serialisation and the file) and hashing the objects written,
 * "record" the interface and fingerprint files.
 */
#include "workspace/workspace.h"

#include <string.h>
#include <time.h>

#define WIDTH 1000        /* the timeline's width in pixels, axis labels included */
#define LEFT 70           /* room for the lane names */
#define LANE 26           /* lane height */
#define TOP 24            /* room for the axis */

static const char *const phase_names[WS_PHASE_COUNT] = {
#define X(id, name) name,
    WS_PHASES(X)
#undef X
};

const char *ws_phase_name(WsPhase phase) { return phase < WS_PHASE_COUNT ? phase_names[phase] : "?"; }

static const char *const outcome_class[] = {"fresh", "compiled", "same", "failed", "skipped"};
static const char *const outcome_fill[] = {"url(#hatch)", "#6a9fd8", "#74c0a8", "#e06c6c", "#ccc"};
static const char *const outcome_text[] = {"fresh", "compiled", "compiled (interface unchanged)", "failed",
                                           "skipped"};

/* Appends s with HTML's special characters escaped. */
static void put_escaped(StrBuf *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': sb_puts(out, "&lt;"); break;
        case '>': sb_puts(out, "&gt;"); break;
        case '&': sb_puts(out, "&amp;"); break;
        case '"': sb_puts(out, "&quot;"); break;
        default: sb_putc(out, *s);
        }
    }
}

static double ms(uint64_t ns) { return (double)ns / 1e6; }

/* A crate unit's name as cargo's report gives it: "name v0.1.0" or with ` bin "x"`. */
static void put_unit(StrBuf *out, const WsTimings *t, uint32_t i)
{
    const WsCrate *c = &t->graph->crates.data[i];
    const WsPackage *p = &t->ws->packages.data[c->package];
    StrBuf name = {0};
    sb_printf(&name, "%s v%s", p->name, p->version);
    if (c->bin >= 0)
        sb_printf(&name, " bin \"%s\"", ws_crate_target(t->ws, c)->name);
    put_escaped(out, sb_str(&name));
    sb_free(&name);
}

static const char style[] =
    "body{font-family:sans-serif;margin:1.5em;color:#222}\n"
    "h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}\n"
    "table{border-collapse:collapse;font-size:0.9em}\n"
    "th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}\n"
    "th:first-child,td:first-child{text-align:left}\n"
    "tr:nth-child(even){background:#f6f6f6}\n"
    ".summary td{text-align:left}\n"
    "svg text{font-size:11px;font-family:sans-serif}\n"
    ".legend span{display:inline-block;width:1em;height:1em;margin:0 0.3em 0 1em;vertical-align:middle}\n";

static void put_summary(StrBuf *out, const WsTimings *t)
{
    uint32_t count[5] = {0};
    for (uint32_t i = 0; i < t->graph->crates.len; i++)
        count[t->results[i].outcome]++;
    time_t secs = (time_t)(t->started_ns / 1000000000LL);
    struct tm tm;
    gmtime_r(&secs, &tm);
    char when[64];
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
    sb_puts(out, "<table class=\"summary\">\n<tr><td>Command</td><td>ws ");
    put_escaped(out, t->command);
    sb_puts(out, "</td></tr>\n<tr><td>Workspace</td><td>");
    put_escaped(out, t->ws->root);
    sb_printf(out,
              "</td></tr>\n<tr><td>Started</td><td>%s</td></tr>\n"
              "<tr><td>Workers</td><td>%u</td></tr>\n"
              "<tr><td>Total time</td><td>%.1f ms</td></tr>\n"
              "<tr><td>Crate units</td><td>%u: %u compiled (%u of them with an unchanged interface), %u fresh, "
              "%u failed, %u skipped</td></tr>\n</table>\n",
              when, t->jobs, ms(t->end_ns - t->start_ns), t->graph->crates.len,
              count[WS_OUTCOME_COMPILED] + count[WS_OUTCOME_SAME_IFACE], count[WS_OUTCOME_SAME_IFACE],
              count[WS_OUTCOME_FRESH], count[WS_OUTCOME_FAILED], count[WS_OUTCOME_SKIPPED]);
}

/* The timeline: a lane per worker, a bar per crate that ran. */
static void put_timeline(StrBuf *out, const WsTimings *t)
{
    uint32_t lanes = 1;
    for (uint32_t i = 0; i < t->graph->crates.len; i++)
        if (t->results[i].ran && t->results[i].worker >= lanes)
            lanes = t->results[i].worker + 1;
    uint64_t span = t->end_ns > t->start_ns ? t->end_ns - t->start_ns : 1;
    double scale = (double)(WIDTH - LEFT - 10) / (double)span;
    uint32_t height = TOP + lanes * LANE + 4;
    sb_printf(out,
              "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%u\" role=\"img\">\n"
              "<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
              "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#e4e4e4\"/>"
              "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#aaa\" stroke-width=\"3\"/></pattern></defs>\n",
              WIDTH, height);
    for (int k = 0; k <= 10; k++) {  /* the axis: eleven ticks */
        double x = LEFT + (double)(WIDTH - LEFT - 10) * k / 10;
        sb_printf(out,
                  "<line class=\"axis\" stroke=\"#bbb\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%u\"/>"
                  "<text x=\"%.1f\" y=\"14\" text-anchor=\"middle\">%.1f ms</text>\n",
                  x, TOP - 4, x, height, x, ms(span) * k / 10);
    }
    for (uint32_t l = 0; l < lanes; l++)
        sb_printf(out, "<text x=\"4\" y=\"%u\">worker %u</text>\n", TOP + l * LANE + 17, l);
    for (uint32_t i = 0; i < t->graph->crates.len; i++) {
        const WsCrateResult *r = &t->results[i];
        if (!r->ran)
            continue;
        uint64_t from = r->start_ns > t->start_ns ? r->start_ns - t->start_ns : 0;
        uint64_t len = r->end_ns > r->start_ns ? r->end_ns - r->start_ns : 0;
        double x = LEFT + (double)from * scale, w = MAX((double)len * scale, 1.0);
        uint32_t y = TOP + r->worker * LANE + 3;
        sb_puts(out, "<g><title>");
        put_unit(out, t, i);
        sb_printf(out,
                  ": %s, %.2f ms</title><rect class=\"%s\" fill=\"%s\" x=\"%.1f\" y=\"%u\" width=\"%.1f\" "
                  "height=\"%d\"/>",
                  outcome_text[r->outcome], ms(len), outcome_class[r->outcome], outcome_fill[r->outcome], x, y, w,
                  LANE - 6);
        if (r->phase_ns[WS_PHASE_LINK]) {
            double lw = MIN((double)r->phase_ns[WS_PHASE_LINK] * scale, w);
            sb_printf(out, "<rect class=\"link\" fill=\"#2d4f7c\" x=\"%.1f\" y=\"%u\" width=\"%.1f\" height=\"%d\"/>",
                      x + w - lw, y, MAX(lw, 1.0), LANE - 6);
        }
        sb_printf(out, "<text x=\"%.1f\" y=\"%u\">", x + 3, y + 14);
        put_escaped(out, t->ws->packages.data[t->graph->crates.data[i].package].name);
        sb_puts(out, "</text></g>\n");
    }
    sb_puts(out, "</svg>\n<p class=\"legend\"><span style=\"background:#6a9fd8\"></span>compiled"
                 "<span style=\"background:#74c0a8\"></span>compiled, interface unchanged"
                 "<span style=\"background:#e4e4e4\"></span>fresh"
                 "<span style=\"background:#e06c6c\"></span>failed"
                 "<span style=\"background:#2d4f7c\"></span>link</p>\n");
}

static void put_phase_tables(StrBuf *out, const WsTimings *t)
{
    uint64_t total[WS_PHASE_COUNT] = {0}, all = 0;
    sb_puts(out, "<h2>Time per crate and phase (ms)</h2>\n<table>\n<tr><th>Unit</th><th>Outcome</th><th>Worker</th>"
                 "<th>Start</th><th>Total</th>");
    for (int p = 0; p < WS_PHASE_COUNT; p++)
        sb_printf(out, "<th>%s</th>", phase_names[p]);
    sb_puts(out, "</tr>\n");
    for (uint32_t i = 0; i < t->graph->crates.len; i++) {
        const WsCrateResult *r = &t->results[i];
        sb_puts(out, "<tr><td>");
        put_unit(out, t, i);
        sb_printf(out, "</td><td>%s</td>", outcome_text[r->outcome]);
        if (!r->ran) {
            sb_printf(out, "<td colspan=\"%d\"></td></tr>\n", 3 + WS_PHASE_COUNT);
            continue;
        }
        sb_printf(out, "<td>%u</td><td>%.2f</td><td>%.2f</td>", r->worker, ms(r->start_ns - t->start_ns),
                  ms(r->end_ns - r->start_ns));
        for (int p = 0; p < WS_PHASE_COUNT; p++) {
            total[p] += r->phase_ns[p];
            all += r->phase_ns[p];
            if (r->phase_ns[p])
                sb_printf(out, "<td>%.2f</td>", ms(r->phase_ns[p]));
            else
                sb_puts(out, "<td></td>");
        }
        sb_puts(out, "</tr>\n");
    }
    sb_puts(out, "</table>\n<h2>Time per phase, all crates</h2>\n<table>\n"
                 "<tr><th>Phase</th><th>Time (ms)</th><th>Share</th></tr>\n");
    for (int p = 0; p < WS_PHASE_COUNT; p++)
        sb_printf(out, "<tr class=\"phase\"><td>%s</td><td>%.2f</td><td>%.1f%%</td></tr>\n", phase_names[p],
                  ms(total[p]), all ? 100.0 * (double)total[p] / (double)all : 0.0);
    sb_puts(out, "</table>\n");
}

void ws_timings_html(StrBuf *out, const WsTimings *t)
{
    sb_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>ws ");
    put_escaped(out, t->command);
    sb_printf(out, " timings</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>ws ", style);
    put_escaped(out, t->command);
    sb_puts(out, " timings</h1>\n");
    put_summary(out, t);
    sb_puts(out, "<h2>Timeline</h2>\n");
    put_timeline(out, t);
    put_phase_tables(out, t);
    sb_puts(out, "</body>\n</html>\n");
}

bool ws_timings_write(const WsTimings *t, char **path, char **err)
{
    Arena a;
    arena_init(&a);
    char *dir = ws_path_join(&a, ws_state_dir(&a, t->ws->root), "timings");
    time_t secs = (time_t)(t->started_ns / 1000000000LL);
    struct tm tm;
    gmtime_r(&secs, &tm);
    char stamp[48];
    size_t n = strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &tm);
    snprintf(stamp + n, sizeof stamp - n, "%03dZ", (int)(t->started_ns / 1000000 % 1000));
    StrBuf html = {0};
    ws_timings_html(&html, t);
    char *stamped = arena_printf(&a, "%s/ws-timing-%s.html", dir, stamp);
    bool ok = file_mkdirs(dir, err) && file_write_atomic(stamped, html.data, html.len, false, err) &&
              file_write_atomic(ws_path_join(&a, dir, "ws-timing.html"), html.data, html.len, false, err);
    *path = ok ? xstrdup(stamped) : NULL;
    sb_free(&html);
    arena_free(&a);
    return ok;
}
