/* output.c — writes a run's result files (see output.h). All JSON goes through cJSON.
 * Numbers are printed with a fixed format so outputs are byte-identical across runs. */
#include "output.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct pk_output {
    char dir[1024];
    char tmp[1100];
    FILE *csv, *events, *causes;
    size_t events_written, causes_written;
};

static pk_status io_error(pk_error *err, const char *path, const char *what) {
    return pk_error_set(err, path, 0, NULL, "%s: %s", what, strerror(errno));
}

/* Remove a folder we created and the plain files in it. */
static void remove_tree(const char *dir) {
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char p[2200];
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            remove(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

static void fmt_num(char *buf, size_t n, double v) {
    if (v == (double)(long long)v && v < 1e15 && v > -1e15) snprintf(buf, n, "%lld", (long long)v);
    else snprintf(buf, n, "%.6f", v);
}

/* An existing output folder may be replaced only if it holds nothing but the files a run
 * writes: never delete a folder of the user's by mistake. */
static int is_result_folder(const char *dir, char *why, size_t n) {
    static const char *const ours[] = {"summary.json", "indicators.csv", "events.jsonl", "causes.csv", "screenshot.png", NULL};
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(why, n, "exists and is not a folder");
        return 0;
    }
    struct dirent *e;
    int ok = 1;
    while (ok && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        int known = 0;
        for (int i = 0; ours[i] && !known; i++) known = strcmp(e->d_name, ours[i]) == 0;
        if (!known) {
            snprintf(why, n, "exists and holds '%s', which a run does not write; choose another --out folder", e->d_name);
            ok = 0;
        }
    }
    closedir(d);
    return ok;
}

pk_output *pk_output_open(const char *dir, const pk_world *w, pk_error *err) {
    pk_error_clear(err);
    if (!dir || !*dir || strlen(dir) >= 1000) {
        pk_error_set(err, dir, 0, NULL, "expected an output folder name");
        return NULL;
    }
    pk_output *out = calloc(1, sizeof *out);
    if (!out) {
        pk_error_set(err, dir, 0, NULL, "out of memory");
        return NULL;
    }
    snprintf(out->dir, sizeof out->dir, "%s", dir);
    size_t len = strlen(out->dir);
    while (len > 1 && out->dir[len - 1] == '/') out->dir[--len] = '\0';
    struct stat stt;
    char why[512];
    if (stat(out->dir, &stt) == 0 && !is_result_folder(out->dir, why, sizeof why)) {
        pk_error_set(err, out->dir, 0, NULL, "the output folder %s", why);
        free(out);
        return NULL;
    }
    snprintf(out->tmp, sizeof out->tmp, "%s.tmp-%ld", out->dir, (long)getpid());
    remove_tree(out->tmp);
    if (mkdir(out->tmp, 0777) != 0) {
        io_error(err, out->tmp, "cannot create the output folder (does its parent folder exist?)");
        free(out);
        return NULL;
    }
    char p[1200];
    snprintf(p, sizeof p, "%s/indicators.csv", out->tmp);
    out->csv = fopen(p, "w");
    snprintf(p, sizeof p, "%s/events.jsonl", out->tmp);
    out->events = fopen(p, "w");
    snprintf(p, sizeof p, "%s/causes.csv", out->tmp);
    out->causes = fopen(p, "w");
    if (!out->csv || !out->events || !out->causes) {
        io_error(err, p, "cannot create file");
        pk_output_abort(out);
        return NULL;
    }
    fputs("day", out->csv);
    for (int32_t i = 0; i < pk_world_indicator_count(w); i++) fprintf(out->csv, ",%s", pk_world_indicator_name(w, i));
    fputc('\n', out->csv);
    fputs("day,region,group,faction,indicator,cause,amount,event\n", out->causes);
    return out;
}

/* The cause records not yet written (see pkosim/world.h, pk_cause): ids as strings, an
 * empty field for none; `event` is the 0-based line of events.jsonl. */
static void write_causes(pk_output *out, const pk_world *w) {
    size_t n;
    const pk_cause *c = pk_world_causes(w, &n);
    const pk_map *m = pk_world_map(w);
    for (size_t i = out->causes_written; i < n; i++) {
        fprintf(out->causes, "%d,%s,%s,%s,%s,%s,%.9g,", c[i].day, c[i].region >= 0 ? m->regions[c[i].region].id : "",
                c[i].group >= 0 ? pk_world_group(w, c[i].group)->id : "",
                c[i].faction >= 0 ? pk_world_faction(w, c[i].faction)->id : "",
                pk_cause_indicator_name((pk_cause_indicator)c[i].indicator), pk_cause_name((pk_cause_code)c[i].cause),
                (double)c[i].amount);
        if (c[i].event >= 0) fprintf(out->causes, "%d", c[i].event);
        fputc('\n', out->causes);
    }
    out->causes_written = n;
}

char *pk_output_event_json(const pk_world *w, const pk_event *e) {
    const pk_map *m = pk_world_map(w);
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddNumberToObject(o, "day", e->day);
    cJSON_AddStringToObject(o, "type", pk_event_type_name(e->type));
    if (e->region >= 0) cJSON_AddStringToObject(o, "region", m->regions[e->region].id);
    if (e->cell >= 0) {
        cJSON_AddNumberToObject(o, "x", e->cell % m->width);
        cJSON_AddNumberToObject(o, "y", e->cell / m->width);
    }
    if (e->faction >= 0) cJSON_AddStringToObject(o, "faction", pk_world_faction(w, e->faction)->id);
    if (e->target_faction >= 0) cJSON_AddStringToObject(o, "target_faction", pk_world_faction(w, e->target_faction)->id);
    if (e->group >= 0) cJSON_AddStringToObject(o, "group", pk_world_group(w, e->group)->id);
    if (e->by_group >= 0) cJSON_AddStringToObject(o, "by_group", pk_world_group(w, e->by_group)->id);
    cJSON_AddNumberToObject(o, "count", e->count);
    if (e->unit.index1) {
        char id[32];
        snprintf(id, sizeof id, "%u:%u", e->unit.index1, e->unit.generation);
        cJSON_AddStringToObject(o, "unit", id);
    }
    if (e->text[0]) cJSON_AddStringToObject(o, "text", e->text);
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

pk_status pk_output_day(pk_output *out, const pk_world *w, pk_error *err) {
    char num[64];
    fprintf(out->csv, "%d", pk_world_day(w));
    for (int32_t i = 0; i < pk_world_indicator_count(w); i++) {
        fmt_num(num, sizeof num, pk_world_indicator(w, i));
        fprintf(out->csv, ",%s", num);
    }
    fputc('\n', out->csv);
    size_t n;
    const pk_event *ev = pk_world_events(w, &n);
    for (size_t i = out->events_written; i < n; i++) {
        char *s = pk_output_event_json(w, &ev[i]);
        if (!s) return pk_error_set(err, out->dir, 0, NULL, "out of memory writing events");
        fputs(s, out->events);
        fputc('\n', out->events);
        cJSON_free(s);
    }
    out->events_written = n;
    write_causes(out, w);
    if (ferror(out->csv) || ferror(out->events) || ferror(out->causes)) return io_error(err, out->tmp, "write failed");
    return PK_OK;
}

static cJSON *number(double v) {
    /* cJSON prints doubles with %1.15g / %1.17g: stable, but round our levels to 6
     * decimals so summaries read cleanly and compare byte for byte */
    char buf[64];
    fmt_num(buf, sizeof buf, v);
    return cJSON_CreateRaw(buf);
}

pk_status pk_output_finish(pk_output *out, const pk_world *w, const pk_run_info *info, pk_error *err) {
    pk_status st = PK_OK;
    /* events added after the last day (the scenario's on_end) */
    size_t n;
    const pk_event *ev = pk_world_events(w, &n);
    for (size_t i = out->events_written; i < n; i++) {
        char *s = pk_output_event_json(w, &ev[i]);
        if (!s) {
            pk_error_set(err, out->dir, 0, NULL, "out of memory writing events");
            pk_output_abort(out);
            return PK_ERR_RUNTIME;
        }
        fputs(s, out->events);
        fputc('\n', out->events);
        cJSON_free(s);
    }
    out->events_written = n;
    write_causes(out, w);
    int bad = fclose(out->csv) != 0;
    bad |= fclose(out->events) != 0;
    bad |= fclose(out->causes) != 0;
    out->csv = out->events = out->causes = NULL;
    if (bad) {
        st = io_error(err, out->tmp, "write failed");
        pk_output_abort(out);
        return st;
    }
    cJSON *root = cJSON_CreateObject();
    cJSON *params = cJSON_CreateObject(), *final = cJSON_CreateObject(), *totals = cJSON_CreateObject();
    if (!root || !params || !final || !totals) {
        cJSON_Delete(root);
        cJSON_Delete(params);
        cJSON_Delete(final);
        cJSON_Delete(totals);
        pk_error_set(err, out->dir, 0, NULL, "out of memory");
        pk_output_abort(out);
        return PK_ERR_RUNTIME;
    }
    cJSON_AddStringToObject(root, "scenario", info->scenario);
    cJSON_AddStringToObject(root, "scenario_file", info->scenario_file);
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)info->seed);
    cJSON_AddItemToObject(root, "seed", cJSON_CreateRaw(seed));
    cJSON_AddNumberToObject(root, "days", info->days);
    for (int i = 0; i < info->n_params; i++) cJSON_AddStringToObject(params, info->params[i].name, info->params[i].value);
    cJSON_AddItemToObject(root, "params", params);
    for (int32_t i = 0; i < pk_world_indicator_count(w); i++) {
        cJSON_AddItemToObject(final, pk_world_indicator_name(w, i), number(pk_world_indicator(w, i)));
        if (pk_world_indicator_kind(w, i) == PK_IND_COUNT)
            cJSON_AddItemToObject(totals, pk_world_indicator_name(w, i), number(pk_world_indicator_total(w, i)));
    }
    /* the ids and names of factions, regions and groups, for readers such as `pkosim explain` */
    {
        cJSON *fs = cJSON_AddArrayToObject(root, "factions"), *rs = cJSON_AddArrayToObject(root, "regions");
        cJSON *gs = cJSON_AddArrayToObject(root, "groups");
        pk_world_info wi = pk_world_get_info(w);
        const pk_map *m = pk_world_map(w);
        for (int32_t f = 0; fs && f < wi.n_factions; f++) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "id", pk_world_faction(w, f)->id);
            cJSON_AddStringToObject(o, "name", pk_world_faction(w, f)->name);
            cJSON_AddStringToObject(o, "kind", pk_faction_kind_name(pk_world_faction(w, f)->kind));
            cJSON_AddItemToArray(fs, o);
        }
        for (int32_t r = 0; rs && r < wi.n_regions; r++) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "id", m->regions[r].id);
            cJSON_AddStringToObject(o, "name", m->regions[r].name);
            cJSON_AddItemToArray(rs, o);
        }
        for (int32_t g = 0; gs && g < wi.n_groups; g++) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "id", pk_world_group(w, g)->id);
            cJSON_AddStringToObject(o, "name", pk_world_group(w, g)->name);
            cJSON_AddItemToArray(gs, o);
        }
    }
    cJSON_AddItemToObject(root, "final", final);
    cJSON_AddItemToObject(root, "totals", totals);
    size_t nev;
    pk_world_events(w, &nev);
    cJSON_AddNumberToObject(root, "events", (double)nev);
    char hash[32];
    snprintf(hash, sizeof hash, "%016llx", (unsigned long long)pk_world_hash(w));
    cJSON_AddStringToObject(root, "state_hash", hash);
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    char p[1200];
    snprintf(p, sizeof p, "%s/summary.json", out->tmp);
    FILE *f = text ? fopen(p, "w") : NULL;
    if (!f || fputs(text, f) < 0 || fputc('\n', f) == EOF || fclose(f) != 0) {
        st = text ? io_error(err, p, "cannot write") : pk_error_set(err, p, 0, NULL, "out of memory");
        cJSON_free(text);
        pk_output_abort(out);
        return st;
    }
    cJSON_free(text);
    /* move into place: an earlier run's folder is replaced only now */
    char old[1200];
    snprintf(old, sizeof old, "%s.old-%ld", out->dir, (long)getpid());
    int had_old = rename(out->dir, old) == 0;
    if (rename(out->tmp, out->dir) != 0) {
        st = io_error(err, out->dir, "cannot move the results into place");
        if (had_old) rename(old, out->dir);
        pk_output_abort(out);
        return st;
    }
    if (had_old) remove_tree(old);
    free(out);
    return PK_OK;
}

void pk_output_abort(pk_output *out) {
    if (!out) return;
    if (out->csv) fclose(out->csv);
    if (out->events) fclose(out->events);
    if (out->causes) fclose(out->causes);
    remove_tree(out->tmp);
    free(out);
}
