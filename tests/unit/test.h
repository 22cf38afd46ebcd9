/* tests/unit/test.h — a minimal test harness: CHECK records a failure and goes on,
 * REQUIRE stops the current test. Each test file's main calls RUN(test_fn) per test
 * and returns test_summary(), which prints "N passed, N failed". */
#ifndef PK_TEST_H
#define PK_TEST_H
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int t_passed, t_failed, t_cur_failed;
static jmp_buf t_jmp;

#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);  \
            t_cur_failed = 1;                                                         \
        }                                                                             \
    } while (0)
#define REQUIRE(cond)                                                                 \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "%s:%d: REQUIRE failed: %s\n", __FILE__, __LINE__, #cond); \
            t_cur_failed = 1;                                                         \
            longjmp(t_jmp, 1);                                                        \
        }                                                                             \
    } while (0)
#define CHECK_NEAR(a, b, eps) CHECK(fabs((double)(a) - (double)(b)) <= (eps))
#define CHECK_STR(a, b) CHECK(strcmp((a), (b)) == 0)
#define CHECK_CONTAINS(hay, needle) CHECK(strstr((hay), (needle)) != NULL)

#define RUN(fn)                                                            \
    do {                                                                   \
        t_cur_failed = 0;                                                  \
        if (setjmp(t_jmp) == 0) fn();                                      \
        if (t_cur_failed) {                                                \
            t_failed++;                                                    \
            fprintf(stderr, "FAIL %s\n", #fn);                             \
        } else {                                                           \
            t_passed++;                                                    \
        }                                                                  \
    } while (0)

static inline int test_summary(void) {
    printf("%d passed, %d failed\n", t_passed, t_failed);
    return t_failed ? 1 : 0;
}

/* Path to a file in the source tree or in ../shared (set by CTest's environment). */
static inline const char *test_path(char *buf, size_t n, const char *env, const char *rel) {
    const char *base = getenv(env);
    snprintf(buf, n, "%s/%s", base ? base : ".", rel);
    return buf;
}
#define SRC_PATH(buf, rel) test_path(buf, sizeof buf, "PKOSIM_SOURCE_DIR", rel)
#define SHARED_PATH(buf, rel) test_path(buf, sizeof buf, "PKOSIM_SHARED_DIR", rel)

/* PKOSIM_TEST_SCALE in (0, 1] scales how many seeds, days or cases the long tests run,
 * never their thresholds: for a quick look while working (below 1 the statistical tests
 * may miss an effect that is there; CI runs them whole). */
static inline double test_scale(void) {
    const char *s = getenv("PKOSIM_TEST_SCALE");
    double v = s ? atof(s) : 1.0;
    return v > 0 && v <= 1 ? v : 1.0;
}
#endif
