/*
 * workspace/state.c — the state ws keeps under the workspace root, and its lock.
 *
 * Layout of <root>/target/ws/ (cargo keeps its own under target/debug/, so the two
 * never touch each other's files):
 *
 *   target/ws/
 *     lock            empty; every ws command that reads or writes anything below
 *                     holds an exclusive flock(2) on it for its whole run, so two
 *                     `ws build`s (or a build and a clean) in one workspace take turns.
 *                     It is never deleted, not even by `ws clean`, so that a waiting
 *                     ws and a running one always lock the same file.
 *     debug/<bin>     programs, as cargo's target/debug/<bin>
 *     debug/<bin>.relink-state  the incremental linker's state for it (linker/incremental.c)
 *     timings/ws-timing[-<stamp>].html  --timings reports (timings.c)
 *     meta/<package>.wsmeta    a lib's interface (meta.c)
 *     fingerprint/<key>        a crate's fingerprint (fingerprint.c); key is
 *                              "<package>.lib" or "<package>.bin.<bin>"
 *     obj/<obj name>/          a crate's objects, one per module (build.c); the name is
 *                              "<package>-lib" or "<package>-bin-<bin>"
 *     link/<key>               a bin's link record (link.c)
 *
 * Every file below is written atomically (common's file_write_atomic/_checked), so a
 * killed ws leaves either the old file or the new one. Every file but the lock either
 * carries a checksum (records, interfaces) or has its content hash in the record of
 * what wrote it (objects, programs): a damaged one is reported and rebuilt.
 */
#include "workspace/workspace.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOCK_NAME "lock"

char *ws_state_dir(Arena *arena, const char *root) { return ws_path_join(arena, root, "target/ws"); }

char *ws_crate_key(Arena *arena, const WsWorkspace *ws, const WsCrate *c)
{
    const WsPackage *p = &ws->packages.data[c->package];
    if (c->bin < 0)
        return arena_printf(arena, "%s.lib", p->name);
    return arena_printf(arena, "%s.bin.%s", p->name, p->bins.data[c->bin].name);
}

char *ws_crate_obj_name(Arena *arena, const WsWorkspace *ws, const WsCrate *c)
{
    const WsPackage *p = &ws->packages.data[c->package];
    if (c->bin < 0)
        return arena_printf(arena, "%s-lib", p->name);
    return arena_printf(arena, "%s-bin-%s", p->name, p->bins.data[c->bin].name);
}

char *ws_program_path(Arena *arena, const WsWorkspace *ws, const WsCrate *c)
{
    return arena_printf(arena, "%s/target/ws/debug/%s", ws->root, ws_crate_target(ws, c)->name);
}

char *ws_state_path(Arena *arena, const char *root, const char *sub, const char *key, const char *suffix)
{
    return arena_printf(arena, "%s/target/ws/%s/%s%s", root, sub, key, suffix);
}

bool ws_state_lock(const char *root, WsLock *lock, FILE *notice, char **err)
{
    Arena a;
    arena_init(&a);
    char *dir = ws_state_dir(&a, root);
    char *path = ws_path_join(&a, dir, LOCK_NAME);
    lock->fd = -1;
    bool ok = false;
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0 && errno == ENOENT) {  /* the first run: make target/ws/ */
        if (!file_mkdirs(dir, err))
            goto out;
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    }
    if (fd < 0) {
        *err = xasprintf("could not open `%s`: %s", path, strerror(errno));
        goto out;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK) {
            *err = xasprintf("could not lock `%s`: %s", path, strerror(errno));
            close(fd);
            goto out;
        }
        fprintf(notice, "    Blocking waiting for file lock on build directory\n");
        fflush(notice);
        int rc;
        while ((rc = flock(fd, LOCK_EX)) != 0 && errno == EINTR)
            ;
        if (rc != 0) {
            *err = xasprintf("could not lock `%s`: %s", path, strerror(errno));
            close(fd);
            goto out;
        }
    }
    lock->fd = fd;
    ok = true;
out:
    arena_free(&a);
    return ok;
}

void ws_state_unlock(WsLock *lock)
{
    if (lock->fd >= 0)
        close(lock->fd);  /* closing the file releases the flock */
    lock->fd = -1;
}

typedef struct CleanTotals {
    uint64_t files, bytes;
    char *err;
} CleanTotals;

/* Removes what is inside dir (and dir itself unless `keep_dir`), skipping the lock file
 * at the top level. Symbolic links are removed, never followed. */
static bool remove_tree(const char *dir, bool keep_dir, CleanTotals *t)
{
    DIR *d = opendir(dir);
    if (!d) {
        t->err = xasprintf("could not open `%s`: %s", dir, strerror(errno));
        return false;
    }
    bool ok = true;
    for (struct dirent *e; ok && (e = readdir(d));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (keep_dir && strcmp(e->d_name, LOCK_NAME) == 0)
            continue;
        char *path = xasprintf("%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(path, &st) != 0) {
            ok = errno == ENOENT;
        } else if (S_ISDIR(st.st_mode)) {
            ok = remove_tree(path, false, t);
        } else if (unlink(path) == 0) {
            t->files++;
            t->bytes += (uint64_t)st.st_size;
        } else {
            ok = errno == ENOENT;
        }
        if (!ok && !t->err)
            t->err = xasprintf("could not remove `%s`: %s", path, strerror(errno));
        xfree(path);
    }
    closedir(d);
    if (ok && !keep_dir && rmdir(dir) != 0) {
        t->err = xasprintf("could not remove `%s`: %s", dir, strerror(errno));
        ok = false;
    }
    return ok;
}

bool ws_state_clean(const char *root, uint64_t *files, uint64_t *bytes, char **err)
{
    Arena a;
    arena_init(&a);
    char *dir = ws_state_dir(&a, root);
    CleanTotals t = {0};
    bool ok = !file_exists(dir) || remove_tree(dir, true, &t);
    if (!ok)
        *err = t.err;
    *files = t.files;
    *bytes = t.bytes;
    arena_free(&a);
    return ok;
}
