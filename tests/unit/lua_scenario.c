#define _POSIX_C_SOURCE 200809L
/* lua_scenario.c — the scenario layer: loading, parameters and --set, hooks and their
 * order, the sim API and unit handles, collected errors, deterministic pairs and
 * math.random, and replay of a scripted run from its command log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenario.h"
#include "test.h"

static char tmpdir[256];

static const char *write_scenario(const char *name, const char *text) {
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    REQUIRE(f != NULL);
    fputs(text, f);
    fclose(f);
    return path;
}

static pk_scenario *load(const char *path, const char *const *sets, int n_sets, pk_errors *errs) {
    pk_scenario_options o = pk_scenario_options_default();
    o.sets = sets;
    o.n_sets = n_sets;
    return pk_scenario_load(path, &o, errs);
}

static int run_days(pk_scenario *sc, int days, pk_error *err) {
    if (pk_scenario_start(sc, err) != PK_OK) return 0;
    for (int d = 0; d < days; d++)
        if (pk_scenario_step(sc, err) != PK_OK) return 0;
    return pk_scenario_finish(sc, err) == PK_OK;
}

/* Texts of the world's log / inject events, joined with '|'. */
static void event_texts(const pk_world *w, pk_event_type type, char *buf, size_t n) {
    size_t count;
    const pk_event *ev = pk_world_events(w, &count);
    buf[0] = '\0';
    for (size_t i = 0; i < count; i++)
        if (ev[i].type == type) {
            strncat(buf, ev[i].text, n - strlen(buf) - 2);
            strncat(buf, "|", n - strlen(buf) - 1);
        }
}

static pk_errors errs;

static void test_demo_loads(void) {
    char path[512];
    pk_scenario *sc = load(SRC_PATH(path, "scenarios/demo.lua"), NULL, 0, &errs);
    REQUIRE(sc != NULL);
    pk_world_info info = pk_world_get_info(pk_scenario_world(sc));
    CHECK(info.n_regions == 14);
    CHECK(info.n_groups == 3);
    CHECK(info.n_factions == 6);
    CHECK(info.scale == 20);
    CHECK(info.n_agents > 40000);
    CHECK_STR(pk_scenario_name(sc), "demo");
    CHECK(pk_scenario_default_days(sc) == 60);
    /* parameters come sorted by name, whatever Lua's table order */
    int n = pk_scenario_param_count(sc);
    CHECK(n == 7);
    for (int i = 1; i < n; i++)
        CHECK(strcmp(pk_scenario_param_get(sc, i - 1)->name, pk_scenario_param_get(sc, i)->name) < 0);
    pk_scenario_free(sc);
}

static void test_set_changes_the_world(void) {
    char path[512];
    SRC_PATH(path, "scenarios/demo.lua");
    const char *none[] = {"un.battalions=0", "partner.battalions=0"};
    pk_scenario *a = load(path, NULL, 0, &errs), *b = load(path, none, 2, &errs);
    REQUIRE(a && b);
    pk_error err;
    REQUIRE(run_days(a, 1, &err) && run_days(b, 1, &err));
    int32_t ua = pk_world_units(pk_scenario_world(a), NULL, 0), ub = pk_world_units(pk_scenario_world(b), NULL, 0);
    CHECK(ua == ub + 4 + 4 + 2); /* 4 UN battalions, FPUs, observers, engineers, 2 AU battalions */
    pk_scenario_free(a);
    pk_scenario_free(b);
}

static const char *hooks_src =
    "local order = {}\n"
    "return {\n"
    "  map = { file = 'carana.geojson', cell_km = 5 },\n"
    "  scale = 100,\n"
    "  factions = { { id = 'un', kind = 'un' }, { id = 'reb', kind = 'armed_group' } },\n"
    "  groups = { { id = 'a', population = { lumeni = 20000, batanyo = 5000 } } },\n"
    "  on_start = function(sim) log('start day ' .. sim.day()); sim.inject('opening') end,\n"
    "  on_day = function(sim, day)\n"
    "    if day == 3 then sim.inject('day three', { region = 'batanyo', faction = 'un' }) end\n"
    "  end,\n"
    "  on_event = function(sim, ev)\n"
    "    if ev.type == 'inject' then log('saw ' .. ev.text .. ' on ' .. ev.day .. ' in ' .. tostring(ev.region)) end\n"
    "  end,\n"
    "  on_end = function(sim) log('end day ' .. sim.day()) end,\n"
    "}\n";

static void test_hooks_run_in_order(void) {
    pk_scenario *sc = load(write_scenario("hooks.lua", hooks_src), NULL, 0, &errs);
    REQUIRE(sc != NULL);
    pk_error err;
    REQUIRE(run_days(sc, 5, &err));
    pk_world *w = pk_scenario_world(sc);
    char injects[2048], logs[2048];
    event_texts(w, PK_EV_INJECT, injects, sizeof injects);
    CHECK_STR(injects, "opening|day three|");
    /* the end hook's log is applied after the last day, as an event of that day */
    event_texts(w, PK_EV_LOG, logs, sizeof logs);
    CHECK_STR(logs, "start day 0|saw opening on 1 in nil|saw day three on 3 in batanyo|end day 5|");
    size_t n;
    const pk_event *ev = pk_world_events(w, &n);
    int found = 0;
    for (size_t i = 0; i < n; i++)
        if (ev[i].type == PK_EV_INJECT && ev[i].day == 3) {
            found = 1;
            CHECK(ev[i].faction == pk_world_find_faction(w, "un"));
        }
    CHECK(found);
    CHECK(pk_world_pending(w) == 0);
    size_t nlog;
    const pk_command *cl = pk_world_command_log(w, &nlog);
    REQUIRE(nlog > 0);
    CHECK(cl[nlog - 1].type == PK_CMD_LOG && cl[nlog - 1].day == 5 && cl[nlog - 1].after_step == 1);
    pk_scenario_free(sc);
}

static const char *handles_src =
    "local u\n"
    "return {\n"
    "  map = { file = 'carana.geojson', cell_km = 5 },\n"
    "  scale = 100,\n"
    "  factions = { { id = 'un', kind = 'un' } },\n"
    "  on_start = function(sim)\n"
    "    u = sim.add_unit { faction = 'un', type = 'fpu', strength = 140, region = 'lumeni', name = 'FPU' }\n"
    "    assert(u.alive == false)  -- arrives at the start of day 1\n"
    "  end,\n"
    "  on_day = function(sim, day)\n"
    "    if day == 2 then\n"
    "      assert(u.alive and u.strength == 140 and u.type == 'fpu' and u.region == 'lumeni' and u.name == 'FPU')\n"
    "      assert(#sim.units('un') == 1 and sim.units('un')[1] == u)\n"
    "      sim.set_task(u, 'patrol', 'batanyo')\n"
    "    elseif day == 3 then\n"
    "      assert(u.task == 'patrol' and u.target == 'batanyo')\n"
    "      sim.remove_unit(u, 'rotated out')\n"
    "    elseif day == 5 then\n"
    "      assert(u.alive == false)\n"
    "      local s = u.strength  -- a stale handle\n"
    "    end\n"
    "  end,\n"
    "}\n";

static void test_unit_handles_and_stale_access(void) {
    pk_scenario *sc = load(write_scenario("handles.lua", handles_src), NULL, 0, &errs);
    REQUIRE(sc != NULL);
    pk_error err;
    pk_error_clear(&err);
    CHECK(!run_days(sc, 6, &err));
    CHECK(pk_world_day(pk_scenario_world(sc)) == 4); /* failed in on_day(5), before day 5 */
    CHECK_CONTAINS(err.file, "handles.lua");
    CHECK(err.line == 20);
    CHECK_CONTAINS(err.msg, "unknown unit");
    size_t n;
    const pk_event *ev = pk_world_events(pk_scenario_world(sc), &n);
    int removed = 0;
    for (size_t i = 0; i < n; i++)
        if (ev[i].type == PK_EV_UNIT_REMOVED) removed += strcmp(ev[i].text, "rotated out") == 0;
    CHECK(removed == 1);
    pk_scenario_free(sc);
}

static void test_all_problems_are_collected(void) {
    const char *src =
        "return {\n"
        "  map = { file = 'carana.geojson', cell_km = 5 },\n"
        "  dayz = 3,\n"
        "  factions = { { id = 'un', kind = 'blue' } },\n"
        "  units = { { faction = 'un', type = 'infantry', region = 'lumeni', strength = -5 } },\n"
        "}\n";
    pk_scenario *sc = load(write_scenario("many.lua", src), NULL, 0, &errs);
    CHECK(sc == NULL);
    CHECK(errs.count == 3);
    char buf[1024];
    CHECK_CONTAINS(pk_error_format(&errs.items[0], buf, sizeof buf), "many.lua:3: dayz: unknown key 'dayz' (did you mean 'days'?)");
    CHECK_CONTAINS(pk_error_format(&errs.items[1], buf, sizeof buf), "many.lua:4: factions[1]");
    CHECK_CONTAINS(pk_error_format(&errs.items[2], buf, sizeof buf), "many.lua:5: units[1].strength");
}

/* Problems in list elements are reported at the element's own line, even when the
 * same key appears earlier in the file (and in comments). */
static void test_problem_lines_follow_the_tables(void) {
    const char *src =
        "-- kind = 'nothing' (a comment)\n"
        "return {\n"
        "  map = { file = 'carana.geojson', cell_km = 5 },\n"
        "  factions = {\n"
        "    { id = 'un', kind = 'un' },\n"
        "    { id = 'x',\n"
        "      kind = 'rebel' },\n"
        "  },\n"
        "  units = {\n"
        "    { faction = 'un', type = 'infantry', region = 'lumeni', name = \"a, b; {c}\" },\n"
        "    { faction = 'un', type = 'infantry', region = 'lumeni', --[[ strength = 1, ]]\n"
        "      strength = -5 },\n"
        "    { faction = 'un', type = 'tank', region = 'lumeni' },\n"
        "  },\n"
        "}\n";
    pk_scenario *sc = load(write_scenario("lines.lua", src), NULL, 0, &errs);
    CHECK(sc == NULL);
    REQUIRE(errs.count == 3);
    CHECK(errs.items[0].line == 7);  /* factions[2].kind */
    CHECK(errs.items[1].line == 12); /* units[2].strength */
    CHECK(errs.items[2].line == 13); /* units[3].type */
    CHECK_STR(errs.items[2].path, "units[3].type");
}

static const char *order_src =
    "local t = {}\n"
    "for i = 1, 200 do t['key' .. i] = i end\n"
    "t.alpha = 1; t.zulu = 2; t[3] = 'x'; t[1] = 'y'\n"
    "local keys = {}\n"
    "for k in pairs(t) do keys[#keys + 1] = tostring(k) end\n"
    "local draws = {}\n"
    "for i = 1, 5 do draws[i] = math.random(1000) end\n"
    "return {\n"
    "  map = { file = 'carana.geojson', cell_km = 5 },\n"
    "  on_start = function(sim) log(table.concat(keys, ',')); log(table.concat(draws, ',')) end,\n"
    "}\n";

static void test_pairs_order_and_random_are_deterministic(void) {
    const char *path = write_scenario("order.lua", order_src);
    char logs[2][8192], p[512];
    snprintf(p, sizeof p, "%s", path);
    for (int k = 0; k < 2; k++) {
        pk_scenario *sc = load(p, NULL, 0, &errs);
        REQUIRE(sc != NULL);
        pk_error err;
        REQUIRE(run_days(sc, 1, &err));
        event_texts(pk_scenario_world(sc), PK_EV_LOG, logs[k], sizeof logs[k]);
        pk_scenario_free(sc);
    }
    CHECK_STR(logs[0], logs[1]);
    /* numbers first, in order, then strings sorted bytewise */
    CHECK(strncmp(logs[0], "1,3,alpha,key1,key10,key100,", 28) == 0);
    /* another seed draws other numbers */
    pk_scenario_options o = pk_scenario_options_default();
    o.seed = 2;
    o.seed_given = 1;
    pk_scenario *sc = pk_scenario_load(p, &o, &errs);
    REQUIRE(sc != NULL);
    pk_error err;
    REQUIRE(run_days(sc, 1, &err));
    char other[8192];
    event_texts(pk_scenario_world(sc), PK_EV_LOG, other, sizeof other);
    CHECK(strcmp(other, logs[0]) != 0);
    pk_scenario_free(sc);
}

/* A scripted run is a pure function of its start and its command log: replaying the
 * log into a freshly loaded world, without running any hook, gives the same state. */
static void test_replay_from_command_log(void) {
    char path[512];
    SRC_PATH(path, "scenarios/demo.lua");
    pk_scenario *a = load(path, NULL, 0, &errs);
    pk_scenario *b = load(path, NULL, 0, &errs);
    REQUIRE(a && b);
    pk_world *wa = pk_scenario_world(a), *wb = pk_scenario_world(b);
    size_t initial = pk_world_pending(wb);
    CHECK(initial > 20); /* the scenario's units */
    pk_error err;
    REQUIRE(run_days(a, 40, &err));
    size_t n;
    const pk_command *log = pk_world_command_log(wa, &n);
    CHECK(n > initial + 3); /* the hooks added injects and a funding change */
    size_t next = initial;
    for (int32_t d = 1; d <= 40; d++) {
        for (; next < n && log[next].day == d && !log[next].after_step; next++)
            REQUIRE(pk_world_command(wb, &log[next], NULL, &err) == PK_OK);
        pk_world_step(wb);
        if (next < n && log[next].day == d && log[next].after_step) {
            for (; next < n && log[next].day == d; next++) REQUIRE(pk_world_command(wb, &log[next], NULL, &err) == PK_OK);
            pk_world_flush(wb);
        }
    }
    CHECK(next == n);
    CHECK(pk_world_hash(wa) == pk_world_hash(wb));
    size_t ea, eb;
    const pk_event *va = pk_world_events(wa, &ea), *vb = pk_world_events(wb, &eb);
    REQUIRE(ea == eb);
    CHECK(memcmp(va, vb, ea * sizeof *va) == 0);
    pk_scenario_free(a);
    pk_scenario_free(b);
}

/* Save a scripted run half-way, restore it, continue: the same end state. */
static void test_save_restore_mid_run(void) {
    char path[512];
    pk_scenario *a = load(SRC_PATH(path, "scenarios/demo.lua"), NULL, 0, &errs);
    REQUIRE(a != NULL);
    pk_world *w = pk_scenario_world(a);
    for (int d = 0; d < 25; d++) pk_world_step(w);
    void *buf;
    size_t size;
    REQUIRE(pk_world_save(w, &buf, &size) == PK_OK);
    for (int d = 0; d < 25; d++) pk_world_step(w);
    pk_error err;
    pk_world *r = pk_world_restore(buf, size, &err);
    free(buf);
    REQUIRE(r != NULL);
    for (int d = 0; d < 25; d++) pk_world_step(r);
    CHECK(pk_world_hash(r) == pk_world_hash(w));
    pk_world_destroy(r);
    pk_scenario_free(a);
}


static const char *injects_src =
    "return {\n"
    "  map = { file = 'carana.geojson', cell_km = 5 },\n"
    "  scale = 100,\n"
    "  factions = { { id = 'un', kind = 'un' }, { id = 'reb', kind = 'armed_group' } },\n"
    "  groups = { { id = 'a', population = { lumeni = 20000, jokovu = 5000 } } },\n"
    "  injects = {\n"
    "    { id = 'ied', day = 3, text = 'IED near Jokovu', region = 'jokovu', faction = 'reb',\n"
    "      action = function(sim) log('ied action on ' .. sim.day()) end },\n"
    "    { id = 'riot', day = 4, text = 'riot in Lumeni', region = 'lumeni' },\n"
    "    { id = 'late', day = 9, text = 'late news',\n"
    "      action = function(sim) log('late action on ' .. sim.day()) end },\n"
    "  },\n"
    "  on_day = function(sim, day) if day == 3 then log('on_day 3') end end,\n"
    "}\n";

/* Injects fire on their day (before on_day), a skipped one never fires, one fired early
 * takes effect at the next day boundary, and the white cell's actions are logged. */
static void test_injects_fire_skip_early(void) {
    pk_scenario *sc = load(write_scenario("injects.lua", injects_src), NULL, 0, &errs);
    REQUIRE(sc != NULL);
    REQUIRE(pk_scenario_inject_count(sc) == 3);
    const pk_scenario_inject *ied = pk_scenario_inject_get(sc, 0);
    CHECK_STR(ied->id, "ied");
    CHECK(ied->day == 3 && ied->has_action && ied->state == PK_INJECT_PENDING);
    pk_world *w = pk_scenario_world(sc);
    CHECK(ied->region == pk_map_find_region(pk_world_map(w), "jokovu"));
    CHECK(ied->faction == pk_world_find_faction(w, "reb"));
    CHECK(pk_scenario_inject_get(sc, 1)->faction == -1 && !pk_scenario_inject_get(sc, 1)->has_action);
    pk_error err;
    REQUIRE(pk_scenario_start(sc, &err) == PK_OK);
    REQUIRE(pk_scenario_step(sc, &err) == PK_OK); /* day 1 */
    /* the white cell skips the riot and fires 'late' early, on day 1 */
    CHECK(pk_scenario_skip_inject(sc, 1) == PK_OK);
    CHECK(pk_scenario_skip_inject(sc, 1) == PK_ERR_INPUT); /* not pending any more */
    CHECK(pk_scenario_fire_inject(sc, 2, &err) == PK_OK);
    CHECK(pk_scenario_inject_get(sc, 2)->state == PK_INJECT_FIRED);
    CHECK(pk_scenario_inject_get(sc, 2)->fired_day == 2 && pk_scenario_inject_get(sc, 2)->early);
    CHECK(pk_scenario_fire_inject(sc, 2, &err) == PK_ERR_INPUT);
    for (int d = 1; d < 10; d++) REQUIRE(pk_scenario_step(sc, &err) == PK_OK);
    w = pk_scenario_world(sc);
    char injects[2048], logs[2048];
    event_texts(w, PK_EV_INJECT, injects, sizeof injects);
    CHECK_STR(injects, "late news|IED near Jokovu|");
    event_texts(w, PK_EV_LOG, logs, sizeof logs);
    CHECK_STR(logs, "white cell: skipped inject 'riot' (scheduled for day 4)|"
                    "white cell: fired inject 'late' early (scheduled for day 9)|late action on 1|"
                    "ied action on 2|on_day 3|");
    size_t n;
    const pk_event *ev = pk_world_events(w, &n);
    for (size_t i = 0; i < n; i++) {
        if (ev[i].type == PK_EV_INJECT && !strcmp(ev[i].text, "late news")) CHECK(ev[i].day == 2);
        if (ev[i].type == PK_EV_INJECT && !strcmp(ev[i].text, "IED near Jokovu")) {
            CHECK(ev[i].day == 3);
            CHECK(ev[i].region == pk_map_find_region(pk_world_map(w), "jokovu"));
        }
    }
    CHECK(pk_scenario_inject_get(sc, 0)->state == PK_INJECT_FIRED && pk_scenario_inject_get(sc, 0)->fired_day == 3);
    CHECK(!pk_scenario_inject_get(sc, 0)->early);
    CHECK(pk_scenario_inject_get(sc, 1)->state == PK_INJECT_SKIPPED);
    /* the white cell's logs are in the command log, so a replay has them */
    size_t nlog;
    const pk_command *cl = pk_world_command_log(w, &nlog);
    int seen = 0;
    for (size_t i = 0; i < nlog; i++)
        if (cl[i].type == PK_CMD_LOG && strstr(cl[i].text, "white cell: fired inject 'late' early")) seen = 1;
    CHECK(seen);
    pk_scenario_free(sc);
}

/* The demo's injects are declared, and fire on days 20 and 30. */
static void test_demo_injects(void) {
    char path[512];
    pk_scenario *sc = load(SRC_PATH(path, "scenarios/demo.lua"), NULL, 0, &errs);
    REQUIRE(sc != NULL);
    REQUIRE(pk_scenario_inject_count(sc) == 2);
    CHECK_STR(pk_scenario_inject_get(sc, 0)->id, "ied_north");
    CHECK(pk_scenario_inject_get(sc, 0)->day == 20);
    CHECK(pk_scenario_inject_get(sc, 1)->day == 30);
    pk_scenario_free(sc);
}

/* An order from the white cell changes the unit's task and target the next day. */
static void test_order(void) {
    const char *src =
        "return {\n"
        "  map = { file = 'carana.geojson', cell_km = 5 },\n"
        "  scale = 100,\n"
        "  factions = { { id = 'un', kind = 'un' } },\n"
        "  groups = { { id = 'a', population = { lumeni = 20000 } } },\n"
        "  units = { { faction = 'un', type = 'infantry', region = 'lumeni', task = 'protect', name = 'Bn 1' } },\n"
        "}\n";
    pk_scenario *sc = load(write_scenario("order.lua", src), NULL, 0, &errs);
    REQUIRE(sc != NULL);
    pk_error err;
    REQUIRE(pk_scenario_start(sc, &err) == PK_OK);
    REQUIRE(pk_scenario_step(sc, &err) == PK_OK);
    pk_world *w = pk_scenario_world(sc);
    pk_unit_state u;
    REQUIRE(pk_world_units(w, &u, 1) == 1);
    int32_t jokovu = pk_map_find_region(pk_world_map(w), "jokovu");
    CHECK(pk_scenario_order(sc, u.id, PK_TASK_PATROL, jokovu, &err) == PK_OK);
    CHECK(pk_world_unit(w, u.id, &u) && u.task == PK_TASK_PROTECT); /* not yet */
    REQUIRE(pk_scenario_step(sc, &err) == PK_OK);
    CHECK(pk_world_unit(w, u.id, &u) && u.task == PK_TASK_PATROL && u.target_region == jokovu);
    char logs[1024];
    event_texts(w, PK_EV_LOG, logs, sizeof logs);
    CHECK_CONTAINS(logs, "white cell: ordered Bn 1 to patrol in Jokovu");
    pk_scenario_free(sc);
}

/* Bad injects entries: every problem, at its line. */
static void test_bad_injects(void) {
    const char *src =
        "return {\n"
        "  map = { file = 'carana.geojson', cell_km = 5 },\n"
        "  factions = { { id = 'un', kind = 'un' } },\n"
        "  injects = {\n"
        "    { id = 'a', day = 2, text = 'ok' },\n"
        "    { id = 'b', day = 0, text = 'day zero' },\n"
        "    { id = 'c', day = 3, txt = 'typo' },\n"
        "    { id = 'a', day = 4, text = 'again', region = 'atlantis' },\n"
        "    { id = 'e', day = 5, text = 'x', action = 'not a function' },\n"
        "  },\n"
        "}\n";
    pk_scenario *sc = load(write_scenario("badinj.lua", src), NULL, 0, &errs);
    CHECK(sc == NULL);
    char all[4096] = "", buf[1024];
    for (int i = 0; i < errs.count; i++) {
        strncat(all, pk_error_format(&errs.items[i], buf, sizeof buf), sizeof all - strlen(all) - 2);
        strncat(all, "\n", sizeof all - strlen(all) - 1);
    }
    CHECK_CONTAINS(all, "badinj.lua:6: injects[2].day: expected a value in [1, 36500], got 0");
    CHECK_CONTAINS(all, "badinj.lua:7: injects[3].txt: unknown key 'txt' (did you mean 'text'?)");
    CHECK_CONTAINS(all, "badinj.lua:7: injects[3]: missing 'text': expected a string");
    CHECK_CONTAINS(all, "badinj.lua:8: injects[4]: duplicate inject id 'a'");
    CHECK_CONTAINS(all, "badinj.lua:8: injects[4].region: no region 'atlantis'");
    CHECK_CONTAINS(all, "badinj.lua:9: injects[5].action: expected a function(sim), got string");
}

int main(void) {
    snprintf(tmpdir, sizeof tmpdir, "/tmp/pkosim-lua-XXXXXX");
    if (!mkdtemp(tmpdir)) return 2;
    RUN(test_demo_loads);
    RUN(test_set_changes_the_world);
    RUN(test_hooks_run_in_order);
    RUN(test_unit_handles_and_stale_access);
    RUN(test_all_problems_are_collected);
    RUN(test_problem_lines_follow_the_tables);
    RUN(test_pairs_order_and_random_are_deterministic);
    RUN(test_replay_from_command_log);
    RUN(test_save_restore_mid_run);
    RUN(test_injects_fire_skip_early);
    RUN(test_demo_injects);
    RUN(test_order);
    RUN(test_bad_injects);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmpdir);
    return test_summary();
}
