/* cmd_explain.c — `pkosim explain RUN_DIR`: why did trust, legitimacy or needs met change?
 * Reads the results folder of `pkosim run` (summary.json for ids and names, causes.csv for
 * the cause log, events.jsonl for the events behind causes) and prints the largest causes
 * with their amounts and events, in words an instructor can use in a debrief. Reads files
 * only; never runs or changes a world. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *const explain_help =
    "Usage: pkosim explain RUN_DIR --indicator trust|legitimacy|needs_met [--faction F] [--region R]\n"
    "                      [--group G] [--from DAY] [--to DAY] [--top N]\n"
    "\n"
    "Explains why an indicator changed in a run: reads RUN_DIR/causes.csv (written by\n"
    "'pkosim run') and prints the largest causes with their amounts and the events behind\n"
    "them (from RUN_DIR/events.jsonl).\n"
    "  --indicator trust       trust of civilians toward --faction F (required)\n"
    "  --indicator legitimacy  the host government's legitimacy as civilians perceive it\n"
    "  --indicator needs_met   the share of needs met (food, water, health, shelter,\n"
    "                          education, safety); --faction limits it to one provider\n"
    "  --region R              one region (default: the mean over all regions)\n"
    "  --group G               one civilian group (default: the mean over groups)\n"
    "  --from DAY, --to DAY    the days to explain (default: the whole run)\n"
    "  --top N                 how many causes to show (default 8)\n"
    "Exit codes: 0 success, 2 bad usage or a folder without run results.\n";

typedef struct named {
    char id[64], name[128];
} named;

typedef struct ids {
    named f[PK_MAX_FACTIONS], r[PK_MAX_REGIONS], g[PK_MAX_GROUPS];
    int nf, nr, ng;
} ids;

enum { MAX_EV_PER_CAUSE = 256 };

typedef struct agg {
    char cause[32];
    int faction; /* index in ids.f, -1 */
    double amount;
    int n_ev;
    int ev[MAX_EV_PER_CAUSE];
    double ev_amount[MAX_EV_PER_CAUSE];
} agg;

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n + 4096 > cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
        }
        size_t k = fread(buf + n, 1, cap - n - 1, f);
        n += k;
        if (k == 0) break;
    }
    fclose(f);
    if (buf) buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

static int load_named(cJSON *arr, named *out, int max) {
    int n = 0;
    cJSON *o;
    cJSON_ArrayForEach(o, arr) {
        if (n >= max) break;
        cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id"), *name = cJSON_GetObjectItemCaseSensitive(o, "name");
        if (!cJSON_IsString(id)) continue;
        snprintf(out[n].id, sizeof out[n].id, "%s", id->valuestring);
        snprintf(out[n].name, sizeof out[n].name, "%s", cJSON_IsString(name) && name->valuestring[0] ? name->valuestring : id->valuestring);
        n++;
    }
    return n;
}

static int find_named(const named *v, int n, const char *id) {
    for (int i = 0; id && i < n; i++)
        if (!strcmp(v[i].id, id)) return i;
    return -1;
}

static int bad_id(const char *what, const char *id, const named *v, int n) {
    fprintf(stderr, "pkosim explain: no %s '%s' in this run; expected one of:", what, id);
    for (int i = 0; i < n; i++) fprintf(stderr, " %s", v[i].id);
    fprintf(stderr, "\n");
    return EXIT_USAGE;
}

/* Split a CSV line of simple fields (no quotes) in place. */
static int split(char *line, char **f, int max) {
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == ',') {
            *p = '\0';
            f[n++] = p + 1;
        }
    return n;
}

static const char *fname(const ids *d, int f) { return f >= 0 ? d->f[f].name : "(no faction)"; }

/* What a cause means, in words. */
static void describe_cause(char *buf, size_t n, const char *ind, const char *cause, double amount, const char *fac) {
    int up = amount > 0, needs = !strcmp(ind, "needs_met"), legit = !strcmp(ind, "legitimacy");
    if (!strcmp(cause, "presence"))
        snprintf(buf, n, legit ? "the government's forces present and working here (trust in the government)"
                               : "%s's units present and working here (patrols, protection, observation, repairs)", fac);
    else if (!strcmp(cause, "violence"))
        snprintf(buf, n, legit ? "abuses: the government's forces killed civilians of the group (trust in the government)"
                               : "%s killed civilians of the group here", fac);
    else if (!strcmp(cause, "insecurity"))
        snprintf(buf, n, needs ? (up ? "safety improved as violence in the region calmed down"
                                     : "safety lost to violence in the region")
                               : legit ? "violence the government's forces did not stop (trust in the government)"
                                       : "violence went on while %s was present and did not stop it", fac);
    else if (!strcmp(cause, "sympathy")) snprintf(buf, n, "the group sympathises with %s", fac);
    else if (!strcmp(cause, "aid"))
        snprintf(buf, n, needs ? "aid delivered by %s" : "%s delivered aid here", fac);
    else if (!strcmp(cause, "engagement"))
        snprintf(buf, n, legit ? "the government engaged the community" : "%s engaged the community (meetings, quick statements)", fac);
    else if (!strcmp(cause, "misinformation"))
        snprintf(buf, n, legit ? "misinformation against the government" : "misinformation and hate speech against %s", fac);
    else if (!strcmp(cause, "services"))
        snprintf(buf, n, needs ? (up ? "government services (needs rose toward what services provide)"
                                     : "government services fall short of needs (needs sank toward what services provide)")
                               : (up ? "government services improved" : "government services were cut"));
    else if (!strcmp(cause, "inclusion")) snprintf(buf, n, "political inclusion of the group");
    else if (!strcmp(cause, "policy")) snprintf(buf, n, "the scenario changed the government's legitimacy");
    else if (!strcmp(cause, "scenario")) snprintf(buf, n, "set directly by the scenario or an inject");
    else if (!strcmp(cause, "association"))
        snprintf(buf, n, "what %s's partners did (civilians credit it with their harm: association)", fac);
    else if (!strcmp(cause, "impartiality"))
        snprintf(buf, n, "%s fought the armed group this community supports (impartiality questioned)", fac);
    else if (!strcmp(cause, "high_handedness")) snprintf(buf, n, "%s's high-handed conduct", fac);
    else if (!strcmp(cause, "confusion"))
        snprintf(buf, n, "%s and a partner got in each other's way here (poor coordination, unclear roles)", fac);
    else if (!strcmp(cause, "works"))
        snprintf(buf, n, "%s's engineers and medical teams repaired water and treated the sick", fac);
    else snprintf(buf, n, "%s", cause);
}

/* One event in words. */
static void describe_event(char *buf, size_t n, const ids *d, const char *line) {
    cJSON *o = cJSON_Parse(line);
    if (!o) {
        snprintf(buf, n, "(unreadable event)");
        return;
    }
    const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "type"));
    const char *reg = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "region"));
    const char *fac = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "faction"));
    const char *tgt = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "target_faction"));
    const char *grp = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "group"));
    const char *text = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "text"));
    int day = (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(o, "day"));
    int count = (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(o, "count"));
    int fi = find_named(d->f, d->nf, fac), ti = find_named(d->f, d->nf, tgt), gi = find_named(d->g, d->ng, grp);
    int ri = find_named(d->r, d->nr, reg);
    const char *rn = ri >= 0 ? d->r[ri].name : "the mission area";
    if (type && !strcmp(type, "attack_civilians"))
        snprintf(buf, n, "day %d, %s: %s attacked %s civilians, %d killed", day, rn, fname(d, fi),
                 gi >= 0 ? d->g[gi].name : "?", count);
    else if (type && !strcmp(type, "misinformation"))
        snprintf(buf, n, "day %d: %s started a misinformation campaign against %s %s%s%s", day, fname(d, fi), fname(d, ti),
                 ri >= 0 ? "in " : "wherever its bands are", ri >= 0 ? rn : "", text ? text : "");
    else
        snprintf(buf, n, "day %d, %s: %s%s%s (%d persons)%s%s", day, rn, type ? type : "event", fi >= 0 ? " by " : "",
                 fi >= 0 ? d->f[fi].name : "", count, text ? ": " : "", text ? text : "");
    cJSON_Delete(o);
}

static int cmp_agg(const void *a, const void *b) {
    double x = fabs(((const agg *)a)->amount), y = fabs(((const agg *)b)->amount);
    if (x != y) return x < y ? 1 : -1;
    int c = strcmp(((const agg *)a)->cause, ((const agg *)b)->cause);
    return c ? c : ((const agg *)a)->faction - ((const agg *)b)->faction;
}

static int opt_day(const pk_cli_args *a, const char *name, long *out) {
    const char *v = pk_cli_opt(a, name);
    unsigned long long x;
    if (!v) return 1;
    if (!pk_cli_parse_uint(v, 36500, &x)) {
        fprintf(stderr, "pkosim explain: --%s: expected a day number, got '%s'\n", name, v);
        return 0;
    }
    *out = (long)x;
    return 1;
}

static const char *path_causes(const char *dir, char *buf, size_t n) {
    snprintf(buf, n, "%s/causes.csv", dir);
    return buf;
}

/* Split one record of causes.csv into f[0..7] and check it; NULL when it is good, else what
 * is wrong (a static message). */
static const char *check_record(char *line, char **f, const ids *d) {
    static char why[300];
    int nf = split(line, f, 9);
    if (nf != 8) {
        snprintf(why, sizeof why, "expected 8 fields (day,region,group,faction,indicator,cause,amount,event), got %d", nf);
        return why;
    }
    char *end;
    long day = strtol(f[0], &end, 10);
    if (end == f[0] || *end || day < 0 || day > 36500) {
        snprintf(why, sizeof why, "day: expected a day number, got '%.40s'", f[0]);
        return why;
    }
    if (*f[1] && find_named(d->r, d->nr, f[1]) < 0) {
        snprintf(why, sizeof why, "region: no region '%.40s' in summary.json", f[1]);
        return why;
    }
    if (*f[2] && find_named(d->g, d->ng, f[2]) < 0) {
        snprintf(why, sizeof why, "group: no civilian group '%.40s' in summary.json", f[2]);
        return why;
    }
    if (*f[3] && find_named(d->f, d->nf, f[3]) < 0) {
        snprintf(why, sizeof why, "faction: no faction '%.40s' in summary.json", f[3]);
        return why;
    }
    if (strcmp(f[4], "trust") && strcmp(f[4], "legitimacy") && strcmp(f[4], "needs_met")) {
        snprintf(why, sizeof why, "indicator: expected trust, legitimacy or needs_met, got '%.40s'", f[4]);
        return why;
    }
    double amount = strtod(f[6], &end);
    if (end == f[6] || *end || !isfinite(amount)) {
        snprintf(why, sizeof why, "amount: expected a number, got '%.40s'", f[6]);
        return why;
    }
    if (*f[7]) {
        long e = strtol(f[7], &end, 10);
        if (*end || e < 0) {
            snprintf(why, sizeof why, "event: expected an event number or nothing, got '%.40s'", f[7]);
            return why;
        }
    }
    return NULL;
}

int pk_cmd_explain(int argc, char **argv) {
    pk_cli_args a;
    int rc = pk_cli_parse("explain", argc, argv, &a, "indicator faction region group from to top", NULL,
                          "RUN_DIR (a results folder of 'pkosim run')");
    if (rc != EXIT_OK) return rc;
    if (a.help) {
        fputs(explain_help, stdout);
        return EXIT_OK;
    }
    const char *ind = pk_cli_opt(&a, "indicator");
    if (!ind) return pk_cli_usage_error("explain", "missing --indicator (trust, legitimacy or needs_met)%s", "");
    if (strcmp(ind, "trust") && strcmp(ind, "legitimacy") && strcmp(ind, "needs_met"))
        return pk_cli_usage_error("explain", "no indicator '%s' in the cause log; expected trust, legitimacy or needs_met", ind);
    long from = 0, to = 36500, top = 8;
    if (!opt_day(&a, "from", &from) || !opt_day(&a, "to", &to) || !opt_day(&a, "top", &top)) return EXIT_USAGE;
    if (from > to) return pk_cli_usage_error("explain", "--from is after --to%s", "");

    char path[1200];
    snprintf(path, sizeof path, "%s/summary.json", a.positional);
    char *text = read_file(path, NULL);
    if (!text) {
        fprintf(stderr, "pkosim explain: %s: no run results here (%s); expected the --out folder of 'pkosim run'\n",
                a.positional, strerror(errno));
        return EXIT_USAGE;
    }
    cJSON *sum = cJSON_Parse(text);
    free(text);
    ids *d = calloc(1, sizeof *d);
    if (!sum || !d) {
        fprintf(stderr, "pkosim explain: %s is not a valid summary of a run\n", path);
        cJSON_Delete(sum);
        free(d);
        return EXIT_USAGE;
    }
    d->nf = load_named(cJSON_GetObjectItemCaseSensitive(sum, "factions"), d->f, PK_MAX_FACTIONS);
    d->nr = load_named(cJSON_GetObjectItemCaseSensitive(sum, "regions"), d->r, PK_MAX_REGIONS);
    d->ng = load_named(cJSON_GetObjectItemCaseSensitive(sum, "groups"), d->g, PK_MAX_GROUPS);
    const cJSON *jdays = cJSON_GetObjectItemCaseSensitive(sum, "days");
    const long run_days = cJSON_IsNumber(jdays) ? (long)jdays->valuedouble : 0;
    cJSON_Delete(sum);
    int status = EXIT_OK;
    char *causes = NULL, *events = NULL, **ev_line = NULL;
    agg *ag = NULL;
    if (d->nr == 0) {
        fprintf(stderr, "pkosim explain: %s lists no regions: run it again with this version of pkosim\n", path);
        status = EXIT_USAGE;
        goto done;
    }
    const char *fo = pk_cli_opt(&a, "faction"), *ro = pk_cli_opt(&a, "region"), *go = pk_cli_opt(&a, "group");
    int fsel = -1, rsel = -1, gsel = -1;
    if (fo && (fsel = find_named(d->f, d->nf, fo)) < 0) {
        status = bad_id("faction", fo, d->f, d->nf);
        goto done;
    }
    if (ro && (rsel = find_named(d->r, d->nr, ro)) < 0) {
        status = bad_id("region", ro, d->r, d->nr);
        goto done;
    }
    if (go && (gsel = find_named(d->g, d->ng, go)) < 0) {
        status = bad_id("civilian group", go, d->g, d->ng);
        goto done;
    }
    if (!strcmp(ind, "trust") && fsel < 0) {
        status = pk_cli_usage_error("explain", "--indicator trust needs --faction F (whose trust?)%s", "");
        goto done;
    }
    if (!strcmp(ind, "needs_met") && gsel >= 0) {
        status = pk_cli_usage_error("explain", "needs met are per region, not per group: drop --group%s", "");
        goto done;
    }
    snprintf(path, sizeof path, "%s/causes.csv", a.positional);
    causes = read_file(path, NULL);
    if (!causes) {
        fprintf(stderr, "pkosim explain: %s: %s (run the scenario again with this version of pkosim)\n", path, strerror(errno));
        status = EXIT_USAGE;
        goto done;
    }
    snprintf(path, sizeof path, "%s/events.jsonl", a.positional);
    size_t ev_len = 0, n_ev = 0;
    events = read_file(path, &ev_len);
    if (events) {
        for (size_t i = 0; i < ev_len; i++) n_ev += events[i] == '\n';
        ev_line = calloc(n_ev + 1, sizeof *ev_line);
        size_t k = 0;
        for (char *p = events; ev_line && *p && k < n_ev; k++) {
            ev_line[k] = p;
            char *nl = strchr(p, '\n');
            if (!nl) break;
            *nl = '\0';
            p = nl + 1;
        }
    }

    /* the cause log is checked as it is read: a damaged or cut file is an error that says
     * where, not a wrong answer */
    static const char header[] = "day,region,group,faction,indicator,cause,amount,event";
    size_t causes_len = strlen(causes);
    if (strncmp(causes, header, sizeof header - 1) != 0 || (causes[sizeof header - 1] != '\n' && causes[sizeof header - 1] != '\0')) {
        fprintf(stderr, "pkosim explain: %s:1: expected the header '%s'\n", path_causes(a.positional, path, sizeof path), header);
        status = EXIT_USAGE;
        goto done;
    }
    if (causes_len > 0 && causes[causes_len - 1] != '\n') {
        long ln = 1;
        for (const char *q = causes; *q; q++) ln += *q == '\n';
        fprintf(stderr, "pkosim explain: %s:%ld: the file ends in the middle of a line: it is incomplete (was the run "
                        "interrupted?); run the scenario again\n", path_causes(a.positional, path, sizeof path), ln);
        status = EXIT_USAGE;
        goto done;
    }

    /* aggregate the matching records by (cause, faction of the record) */
    int cap = 64, n_ag = 0;
    ag = calloc((size_t)cap, sizeof *ag);
    uint8_t seen_g[PK_MAX_GROUPS] = {0}, seen_r[PK_MAX_REGIONS] = {0};
    long first = -1, last = -1, ln = 1, log_last = 0;
    char *line = strchr(causes, '\n'); /* skip the header */
    while (ag && line && *++line) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = '\0';
        ln++;
        char *f[9];
        const char *bad = check_record(line, f, d);
        if (bad) {
            fprintf(stderr, "pkosim explain: %s:%ld: %s\n", path_causes(a.positional, path, sizeof path), ln, bad);
            status = EXIT_USAGE;
            goto done;
        }
        if (atol(f[0]) > log_last) log_last = atol(f[0]);
        if (!strcmp(f[4], ind)) {
            long day = atol(f[0]);
            int r = find_named(d->r, d->nr, f[1]), g = find_named(d->g, d->ng, f[2]), fc = find_named(d->f, d->nf, f[3]);
            int match = day >= from && day <= to && (rsel < 0 || r == rsel) && (gsel < 0 || g == gsel);
            if (strcmp(ind, "legitimacy") && fsel >= 0 && fc != fsel) match = 0;
            if (match) {
                if (g >= 0) seen_g[g] = 1;
                if (r >= 0) seen_r[r] = 1;
                if (first < 0 || day < first) first = day;
                if (day > last) last = day;
                double amount = atof(f[6]);
                int k = 0;
                while (k < n_ag && (strcmp(ag[k].cause, f[5]) || ag[k].faction != fc)) k++;
                if (k == n_ag) {
                    if (n_ag == cap) {
                        agg *na = realloc(ag, (size_t)(cap *= 2) * sizeof *ag);
                        if (!na) break;
                        ag = na;
                    }
                    memset(&ag[k], 0, sizeof ag[k]);
                    snprintf(ag[k].cause, sizeof ag[k].cause, "%s", f[5]);
                    ag[k].faction = fc;
                    n_ag++;
                }
                ag[k].amount += amount;
                if (*f[7]) {
                    int e = atoi(f[7]), j = 0;
                    while (j < ag[k].n_ev && ag[k].ev[j] != e) j++;
                    if (j == ag[k].n_ev && j < MAX_EV_PER_CAUSE) ag[k].ev[ag[k].n_ev++] = e;
                    if (j < MAX_EV_PER_CAUSE) ag[k].ev_amount[j] += amount;
                }
            }
        }
        line = nl;
    }
    if (ln > 1 && log_last < run_days) /* records stop before the end: perhaps cut at a line's end */
        fprintf(stderr, "pkosim explain: note: %s has no record after day %ld of %ld: if the file was cut short, run the "
                        "scenario again\n", path_causes(a.positional, path, sizeof path), log_last, run_days);
    /* amounts are means over the groups and regions the question spans */
    int ng = 0, nr = 0;
    for (int g = 0; g < d->ng; g++) ng += seen_g[g];
    for (int r = 0; r < d->nr; r++) nr += seen_r[r];
    double div = (double)(ng > 0 ? ng : 1) * (nr > 0 ? nr : 1);
    double net = 0;
    for (int k = 0; k < n_ag; k++) {
        ag[k].amount /= div;
        for (int j = 0; j < ag[k].n_ev; j++) ag[k].ev_amount[j] /= div;
        net += ag[k].amount;
    }
    if (ag) qsort(ag, (size_t)n_ag, sizeof *ag, cmp_agg);

    /* the question, then the answer */
    char who[300], where[300], whom[200];
    if (!strcmp(ind, "trust")) snprintf(who, sizeof who, "trust toward %s (%s)", d->f[fsel].name, d->f[fsel].id);
    else if (!strcmp(ind, "legitimacy")) snprintf(who, sizeof who, "the host government's legitimacy");
    else if (fsel >= 0) snprintf(who, sizeof who, "needs met (only what %s did)", d->f[fsel].name);
    else snprintf(who, sizeof who, "needs met");
    if (rsel >= 0) snprintf(where, sizeof where, "in %s (%s)", d->r[rsel].name, d->r[rsel].id);
    else snprintf(where, sizeof where, "(mean over %d region%s)", nr, nr == 1 ? "" : "s");
    if (!strcmp(ind, "needs_met")) whom[0] = '\0';
    else if (gsel >= 0) snprintf(whom, sizeof whom, " among %s civilians", d->g[gsel].name);
    else snprintf(whom, sizeof whom, " (mean over %d civilian group%s)", ng, ng == 1 ? "" : "s");
    printf("Why did %s change %s%s", who, where, whom);
    if (first < 0) {
        printf("?\nNothing changed it in days %ld-%ld: the cause log has no record for this question.\n", from, to == 36500 ? 0 : to);
        goto done;
    }
    printf(", days %ld-%ld?\n\nNet change: %+.4f\n\nLargest causes:\n", from > 0 ? from : first, to < 36500 ? to : last, net);
    for (int k = 0; k < n_ag && k < top; k++) {
        char what[400];
        describe_cause(what, sizeof what, ind, ag[k].cause, ag[k].amount, fname(d, ag[k].faction));
        printf("  %2d. %+.4f  %s  [%s]\n", k + 1, ag[k].amount, what, ag[k].cause);
        /* the events behind it, largest first (at most three) */
        for (int shown = 0; shown < 3 && ag[k].n_ev > 0; shown++) {
            int best = -1;
            for (int j = 0; j < ag[k].n_ev; j++)
                if (ag[k].ev[j] >= 0 && (best < 0 || fabs(ag[k].ev_amount[j]) > fabs(ag[k].ev_amount[best]))) best = j;
            if (best < 0) break;
            int e = ag[k].ev[best];
            char desc[600];
            if (ev_line && (size_t)e < n_ev && ev_line[e]) describe_event(desc, sizeof desc, d, ev_line[e]);
            else snprintf(desc, sizeof desc, "event %d (not in events.jsonl)", e);
            printf("        %+.4f  %s\n", ag[k].ev_amount[best], desc);
            ag[k].ev[best] = -1;
        }
    }
    if (n_ag > top) printf("  (%d smaller causes not shown; use --top)\n", n_ag - (int)top);
done:
    free(ag);
    free(ev_line);
    free(events);
    free(causes);
    free(d);
    return status;
}
