/* tests/unit/test_state.c — target/ws/: the lock that keeps two ws runs apart, and
 * `ws clean`. */
#include "tests/unit/ws_fixture.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

START_TEST(a_second_lock_waits_with_a_message)
{
    WsLock first;
    char *err = NULL;
    ck_assert_msg(ws_state_lock(fixture_dir, &first, stderr, &err), "%s", err);
    char *notice_path = xasprintf("%s/notice", fixture_dir);
    pid_t child = fork();
    ck_assert_int_ge(child, 0);
    if (child == 0) {
        close(first.fd);  /* else the inherited descriptor would keep the lock held */
        FILE *notice = fopen(notice_path, "w");
        WsLock second;
        char *e = NULL;
        bool ok = notice && ws_state_lock(fixture_dir, &second, notice, &e);
        fprintf(notice, "acquired\n");
        fclose(notice);
        _exit(ok ? 0 : 1);
    }
    /* Wait (bounded) until the child says it is blocked; it must not have the lock. */
    char *text = NULL;
    size_t len = 0;
    for (int i = 0; i < 1000; i++) {
        xfree(text);
        text = NULL;
        char *rerr = NULL;
        if (file_read(notice_path, &text, &len, &rerr) && strstr(text, "Blocking"))
            break;
        xfree(rerr);
        usleep(10000);
    }
    ck_assert_ptr_nonnull(text);
    ck_assert_str_eq(text, "    Blocking waiting for file lock on build directory\n");
    xfree(text);
    ws_state_unlock(&first);
    int status;
    ck_assert_int_eq(waitpid(child, &status, 0), child);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    char *rerr = NULL;
    ck_assert(file_read(notice_path, &text, &len, &rerr));
    ck_assert_ptr_nonnull(strstr(text, "acquired\n"));
    xfree(text);
    xfree(notice_path);
}
END_TEST

START_TEST(an_unheld_lock_is_taken_silently)
{
    WsLock lock;
    char *err = NULL;
    FILE *notice = tmpfile();
    ck_assert(ws_state_lock(fixture_dir, &lock, notice, &err));
    ws_state_unlock(&lock);
    ck_assert(ws_state_lock(fixture_dir, &lock, notice, &err));  /* released: free again */
    ws_state_unlock(&lock);
    ck_assert_int_eq(ftell(notice), 0);
    fclose(notice);
}
END_TEST

START_TEST(clean_removes_all_but_the_lock)
{
    WsLock lock;
    char *err = NULL;
    ck_assert(ws_state_lock(fixture_dir, &lock, stderr, &err));
    put("target/ws/debug/app", "0123456789");
    put("target/ws/meta/a/b/c.wsmeta", "abc");
    put("target/debug/cargo-owned", "not ours");
    char *link = xasprintf("%s/target/ws/debug/escape", fixture_dir);
    char *outside = xasprintf("%s/target/debug", fixture_dir);
    ck_assert_int_eq(symlink(outside, link), 0);
    uint64_t files, bytes;
    ck_assert_msg(ws_state_clean(fixture_dir, &files, &bytes, &err), "%s", err);
    ck_assert_uint_eq(files, 3);  /* two files and the symbolic link */
    ck_assert_uint_ge(bytes, 13);
    char *p = xasprintf("%s/target/ws/lock", fixture_dir);
    ck_assert(file_exists(p));
    xfree(p);
    p = xasprintf("%s/target/ws/debug", fixture_dir);
    ck_assert(!file_exists(p));
    xfree(p);
    p = xasprintf("%s/target/debug/cargo-owned", fixture_dir);
    ck_assert(file_exists(p));  /* the link was removed, not followed */
    xfree(p);
    ck_assert(ws_state_clean(fixture_dir, &files, &bytes, &err));
    ck_assert_uint_eq(files, 0);
    ws_state_unlock(&lock);
    xfree(link);
    xfree(outside);
}
END_TEST

Suite *state_suite(void)
{
    Suite *s = suite_create("state");
    TCase *tc = tcase_create("state");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, fixture_setup, fixture_teardown);
    tcase_add_test(tc, a_second_lock_waits_with_a_message);
    tcase_add_test(tc, an_unheld_lock_is_taken_silently);
    tcase_add_test(tc, clean_removes_all_but_the_lock);
    suite_add_tcase(s, tc);
    return s;
}
