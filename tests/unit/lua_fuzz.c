#define _POSIX_C_SOURCE 200809L
/* lua_fuzz.c — scenario scripts are untrusted: the shipped scenarios, broken in many small
 * ways an author's slip or a hostile file would break them (a line deleted, duplicated or
 * swapped, a number or a string replaced by something absurd, the file cut short, a byte
 * changed, a key misspelt), must each either load and run a few days, or be refused with
 * every problem located (file and line, or the table path) and explained — never a crash,
 * a hang or a problem without a place. The mutations are drawn from a fixed seed, so a
 * failure is reproducible: the failing text is left in the test's temporary folder and its
 * name printed. Run under the sanitizers too (.ci/run). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pkosim/rng.h"
#include "scenario.h"
#include "test.h"

#if defined(__SANITIZE_ADDRESS__) /* the sanitizer build (.ci/run): the same mutants, fewer of them */
enum { MUTANTS = 30, MAX_TEXT = 1 << 18 };
#else
enum { MUTANTS = 120, MAX_TEXT = 1 << 18 };
#endif

static char tmpdir[256];
static pk_errors errs;

static char *read_all(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    REQUIRE(f != NULL);
    char *buf = malloc(MAX_TEXT);
    REQUIRE(buf != NULL);
    *n = fread(buf, 1, MAX_TEXT - 1, f);
    buf[*n] = '\0';
    fclose(f);
    return buf;
}

/* the byte offsets where lines start; returns their count */
static int line_starts(const char *t, size_t n, size_t *at, int max) {
    int k = 0;
    at[k++] = 0;
    for (size_t i = 0; i < n && k < max; i++)
        if (t[i] == '\n' && i + 1 < n) at[k++] = i + 1;
    return k;
}

static size_t line_end(const char *t, size_t n, size_t from) {
    while (from < n && t[from] != '\n') from++;
    return from < n ? from + 1 : n;
}

/* out = t[0, a) + mid + t[b, n) */
static size_t splice(char *out, const char *t, size_t n, size_t a, size_t b, const char *mid, size_t mid_n) {
    size_t k = 0;
    memcpy(out, t, a);
    k += a;
    if (k + mid_n + (n - b) >= MAX_TEXT) return 0;
    memcpy(out + k, mid, mid_n);
    k += mid_n;
    memcpy(out + k, t + b, n - b);
    k += n - b;
    out[k] = '\0';
    return k;
}

static int name_char(char c) {
    return c == '_' || c == '.' || ((c | 32) >= 'a' && (c | 32) <= 'z') || (c >= '0' && c <= '9');
}

/* the i-th token of a kind: numbers (digits not inside a name) or string literals "..." */
static int find_token(const char *t, size_t n, int strings, uint64_t pick, size_t *a, size_t *b) {
    size_t starts[4096], ends[4096];
    int k = 0;
    for (size_t i = 0; i < n && k < 4096; i++) {
        if (strings && t[i] == '"') {
            size_t j = i + 1;
            while (j < n && t[j] != '"' && t[j] != '\n') j += t[j] == '\\' ? 2 : 1;
            if (j < n && t[j] == '"') {
                starts[k] = i, ends[k++] = j + 1;
                i = j;
            }
        } else if (!strings && t[i] >= '0' && t[i] <= '9' && (i == 0 || !name_char(t[i - 1]))) {
            size_t j = i;
            while (j < n && ((t[j] >= '0' && t[j] <= '9') || t[j] == '.' || t[j] == 'e')) j++;
            starts[k] = i, ends[k++] = j;
            i = j;
        }
    }
    if (k == 0) return 0;
    *a = starts[pick % (uint64_t)k];
    *b = ends[pick % (uint64_t)k];
    return 1;
}

/* One mutation of t into out; returns the new length (0: none applied) and names it. */
static size_t mutate(pk_rng *r, const char *t, size_t n, char *out, const char **what) {
    static const char *const numbers[] = {"-1", "0", "1e308", "-1e308", "(0/0)", "(1/0)", "2^53", "0.5", "\"7\"", "nil", "{}", "-0"};
    static const char *const strings[] = {"\"\"", "\"zzz\"", "\"un\"", "1", "{}", "nil", "\"\\0\"", "\"lumeni\"", "\"%s%n\""};
    size_t at[8192];
    int lines = line_starts(t, n, at, 8192);
    size_t a, b;
    int l = (int)pk_rng_below(r, (uint64_t)lines);
    switch (pk_rng_below(r, 9)) {
    case 0:
        *what = "line deleted";
        return splice(out, t, n, at[l], line_end(t, n, at[l]), "", 0);
    case 1:
        *what = "line duplicated";
        return splice(out, t, n, at[l], at[l], t + at[l], line_end(t, n, at[l]) - at[l]);
    case 2: {
        *what = "two lines swapped";
        if (l + 1 >= lines) return 0;
        size_t e1 = line_end(t, n, at[l]), e2 = line_end(t, n, e1);
        char mid[4096];
        size_t n1 = e1 - at[l], n2 = e2 - e1;
        if (n1 + n2 >= sizeof mid) return 0;
        memcpy(mid, t + e1, n2);
        memcpy(mid + n2, t + at[l], n1);
        return splice(out, t, n, at[l], e2, mid, n1 + n2);
    }
    case 3: {
        *what = "number replaced";
        if (!find_token(t, n, 0, pk_rng_next(r), &a, &b)) return 0;
        const char *s = numbers[pk_rng_below(r, sizeof numbers / sizeof numbers[0])];
        return splice(out, t, n, a, b, s, strlen(s));
    }
    case 4: {
        *what = "string replaced";
        if (!find_token(t, n, 1, pk_rng_next(r), &a, &b)) return 0;
        const char *s = strings[pk_rng_below(r, sizeof strings / sizeof strings[0])];
        return splice(out, t, n, a, b, s, strlen(s));
    }
    case 5:
        *what = "file cut short";
        a = (size_t)pk_rng_below(r, (uint64_t)n);
        return splice(out, t, n, a, n, "", 0);
    case 6: {
        *what = "byte changed";
        static const char bytes[] = "{}()[]=,\"'.-:;#\\\n\x01\xff";
        a = (size_t)pk_rng_below(r, (uint64_t)n);
        char c = bytes[pk_rng_below(r, sizeof bytes - 1)];
        return splice(out, t, n, a, a + 1, &c, 1);
    }
    case 7: { /* a key of a table (a name followed by " =") misspelt */
        *what = "key misspelt";
        for (size_t i = at[l]; i + 2 < n; i++)
            if (t[i] == ' ' && t[i + 1] == '=' && t[i + 2] == ' ' && i > 0 && (t[i - 1] | 32) >= 'a' && (t[i - 1] | 32) <= 'z')
                return splice(out, t, n, i - 1, i, "q", 1);
        return 0;
    }
    default: { /* a value made a function, a table or a deep nest */
        *what = "number made a table";
        if (!find_token(t, n, 0, pk_rng_next(r), &a, &b)) return 0;
        const char *s = pk_rng_below(r, 2) ? "function() return 1 end" : "{{{{{{{{{{{{{{{{1}}}}}}}}}}}}}}}}";
        return splice(out, t, n, a, b, s, strlen(s));
    }
    }
}

/* a problem is located when it names the file with a line, or a table path */
static int located(const pk_error *e) { return e->msg[0] && ((e->file[0] && e->line > 0) || e->path[0]); }

static void fuzz(const char *rel, uint64_t seed, int *loaded, int *refused) { /* MUTANTS x the test scale */
    char path[1024], mpath[600];
    size_t n;
    char *src = read_all(SRC_PATH(path, rel), &n);
    char *mut = malloc(MAX_TEXT);
    REQUIRE(mut != NULL);
    pk_rng r;
    pk_rng_init(&r, pk_rng_key(seed, rel));
    snprintf(mpath, sizeof mpath, "%s/mutant.lua", tmpdir);
    const int mutants = (int)(MUTANTS * test_scale());
    for (int i = 0; i < mutants; i++) {
        const char *what = "";
        size_t m = mutate(&r, src, n, mut, &what);
        if (m == 0) continue;
        FILE *f = fopen(mpath, "wb");
        REQUIRE(f != NULL);
        fwrite(mut, 1, m, f);
        fclose(f);
        pk_scenario_options o = pk_scenario_options_default();
        o.instruction_limit = 20 * 1000 * 1000; /* a mutant may loop: the budget ends it */
        memset(&errs, 0, sizeof errs);
        pk_scenario *sc = pk_scenario_load(mpath, &o, &errs);
        int ok = 1;
        if (!sc) {
            ++*refused;
            ok = errs.count > 0;
            for (int k = 0; k < errs.count; k++)
                if (!located(&errs.items[k])) {
                    fprintf(stderr, "  unlocated problem: '%s' (file '%s', line %d, path '%s')\n", errs.items[k].msg,
                            errs.items[k].file, errs.items[k].line, errs.items[k].path);
                    ok = 0;
                }
        } else {
            ++*loaded;
            pk_error err;
            pk_error_clear(&err);
            int ran = pk_scenario_start(sc, &err) == PK_OK;
            for (int d = 0; d < 3 && ran; d++) ran = pk_scenario_step(sc, &err) == PK_OK;
            if (ran) ran = pk_scenario_finish(sc, &err) == PK_OK;
            if (!ran && !located(&err)) { /* a hook that fails at run time says where */
                fprintf(stderr, "  unlocated run-time error: '%s' (file '%s', line %d)\n", err.msg, err.file, err.line);
                ok = 0;
            }
            pk_scenario_free(sc);
        }
        if (!ok) {
            char keep[700];
            snprintf(keep, sizeof keep, "%s/failed-%s-%d.lua", tmpdir, strrchr(rel, '/') + 1, i);
            if (rename(mpath, keep) == 0) fprintf(stderr, "  %s mutant %d (%s) kept as %s\n", rel, i, what, keep);
            tmpdir[0] = '\0'; /* keep the folder */
            CHECK(ok);
            break;
        }
    }
    free(mut);
    free(src);
}

static void test_broken_scenarios_are_refused_or_run(void) {
    static const char *const scenarios[] = {"scenarios/demo.lua",         "scenarios/case_split.lua",  "scenarios/mandate_lab.lua",
                                            "scenarios/population_lab.lua", "scenarios/epstein_model1.lua",
                                            "scenarios/epstein_model2.lua", "scenarios/tutorial.lua"};
    /* PKOSIM_FUZZ_SEED=N draws another set of mutants (for a longer soak by hand) */
    const char *env = getenv("PKOSIM_FUZZ_SEED");
    uint64_t seed = env ? strtoull(env, NULL, 10) : 20261128;
    for (size_t s = 0; s < sizeof scenarios / sizeof scenarios[0]; s++) {
        int loaded = 0, refused = 0;
        fuzz(scenarios[s], seed, &loaded, &refused);
        printf("  %s: %d mutants loaded and ran 3 days, %d refused with located problems\n", scenarios[s], loaded, refused);
        CHECK(refused > (loaded + refused) / 4); /* the mutations do break things */
        if (!tmpdir[0]) break;
    }
}

/* --set is typed by hand in front of a class (PKOSIM_FUZZ_VERBOSE=1 lists what was taken): every parameter of the shipped scenarios
 * given absurd values (empty, negative, huge, not a number, a misspelt choice, a list,
 * a very long text) must either be taken and run, or be refused with the parameter's
 * name and what was expected — never a crash. */
static void test_absurd_set_values_are_refused_or_run(void) {
    static const char *const scenarios[] = {"scenarios/demo.lua", "scenarios/mandate_lab.lua", "scenarios/epstein_model1.lua"};
    static const char *const values[] = {"", "-1", "1e999", "-0", "nan", "inf", "abc", "1,2", "0x10", "  3", "3  ", "true",
                                         "1.5", "999999999999", "un,un", ",", "=", "none"};
    char longv[400];
    memset(longv, 'x', sizeof longv - 1);
    longv[sizeof longv - 1] = '\0';
    int taken = 0, refused = 0;
    for (size_t s = 0; s < sizeof scenarios / sizeof scenarios[0]; s++) {
        char path[1024];
        SRC_PATH(path, scenarios[s]);
        pk_scenario_options o = pk_scenario_options_default();
        memset(&errs, 0, sizeof errs);
        pk_scenario *decl = pk_scenario_load_params(path, &o, &errs);
        REQUIRE(decl != NULL);
        int np = pk_scenario_param_count(decl);
        char names[64][PK_NAME_MAX];
        if (np > 64) np = 64;
        for (int i = 0; i < np; i++) snprintf(names[i], sizeof names[i], "%s", pk_scenario_param_get(decl, i)->name);
        pk_scenario_free(decl);
        for (int i = 0; i < np; i++)
            for (size_t k = 0; k <= sizeof values / sizeof values[0]; k++) {
                if (test_scale() < 1 && k % 3) continue;
                char set[600];
                snprintf(set, sizeof set, "%s=%s", names[i], k < sizeof values / sizeof values[0] ? values[k] : longv);
                const char *sets[1] = {set};
                o.sets = sets;
                o.n_sets = 1;
                memset(&errs, 0, sizeof errs);
                pk_scenario *sc = pk_scenario_load(path, &o, &errs);
                if (sc) {
                    taken++;
                    if (getenv("PKOSIM_FUZZ_VERBOSE")) fprintf(stderr, "  taken: %s --set %.60s\n", scenarios[s], set);
                    pk_error err;
                    int ran = pk_scenario_start(sc, &err) == PK_OK && pk_scenario_step(sc, &err) == PK_OK;
                    if (!ran) fprintf(stderr, "  %s --set %s: taken, then '%s'\n", scenarios[s], set, err.msg);
                    CHECK(ran || err.msg[0]);
                    pk_scenario_free(sc);
                } else {
                    refused++;
                    int named = errs.count > 0 && strstr(errs.items[0].msg, names[i]) != NULL;
                    for (int e = 0; e < errs.count && !named; e++) named = strstr(errs.items[e].path, names[i]) != NULL;
                    if (!named)
                        fprintf(stderr, "  %s --set %.60s: refused without naming the parameter: '%s'\n", scenarios[s], set,
                                errs.count ? errs.items[0].msg : "(no problem listed)");
                    CHECK(named);
                }
            }
    }
    printf("  absurd --set values: %d taken (and run a day), %d refused naming the parameter\n", taken, refused);
    CHECK(refused > taken);
}

int main(void) {
    snprintf(tmpdir, sizeof tmpdir, "/tmp/pkosim-fuzz-XXXXXX");
    if (!mkdtemp(tmpdir)) return 2;
    char dir[256];
    snprintf(dir, sizeof dir, "%s", tmpdir);
    RUN(test_broken_scenarios_are_refused_or_run);
    RUN(test_absurd_set_values_are_refused_or_run);
    if (tmpdir[0]) { /* everything passed: nothing to keep */
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    }
    return test_summary();
}
