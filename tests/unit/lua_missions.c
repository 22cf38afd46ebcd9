#define _POSIX_C_SOURCE 200809L
/* lua_missions.c — the mission side of scenarios (issue 4): the faction keys (roe,
 * mandate, deployment and exit days, partnership parameters), `links`, who can do what,
 * each bad value with its path and line, and the sim functions that change a mission
 * during a run (set_roe, set_mandate, set_exit_day, set_gap_covered, faction). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenario.h"
#include "test.h"

static char tmpdir[256];
static pk_errors errs;

static const char *write_scenario(const char *name, const char *text) {
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    REQUIRE(f != NULL);
    fputs(text, f);
    fclose(f);
    return path;
}

static pk_scenario *load(const char *path, const char *const *sets, int n_sets) {
    pk_scenario_options o = pk_scenario_options_default();
    o.sets = sets;
    o.n_sets = n_sets;
    return pk_scenario_load(path, &o, &errs);
}

/* The formatted problems, joined with '\n'. */
static const char *problems(void) {
    static char all[8192];
    all[0] = '\0';
    for (int i = 0; i < errs.count; i++) {
        char buf[1200];
        strncat(all, pk_error_format(&errs.items[i], buf, sizeof buf), sizeof all - strlen(all) - 2);
        strncat(all, "\n", sizeof all - strlen(all) - 1);
    }
    return all;
}

static const char *missions_src =
    "return {\n"
    "  map = { file = 'carana.geojson', cell_km = 5 },\n"
    "  scale = 100,\n"
    "  params = { ['un.mandate'] = { type = 'string', default = 'poc, political,ddr', description = 'UN mandate' } },\n"
    "  factions = function(p) return {\n"
    "    { id = 'un', kind = 'un', roe = 'self_defence', mandate = p['un.mandate'],\n"
    "      deploy_day = 3, exit_day = 200, command_latency = 4, context = 0.3, influence = 0.6,\n"
    "      standardisation = 0.9, heaviness = 0.2, high_handedness = 0.1, gap_covered = 0.25,\n"
    "      support = 0.4, hq_cost = 50000 },\n"
    "    { id = 'au', kind = 'regional', roe = 'offensive', mandate = { 'enforcement', 'protection_of_mission' } },\n"
    "    { id = 'hrpm', kind = 'hrpm' },\n"
    "    { id = 'reb', kind = 'armed_group' },\n"
    "  } end,\n"
    "  links = {\n"
    "    { a = 'un', b = 'au', relation = 'parallel', coordination = 0.4, role_clarity = 0.7, association = 0.2 },\n"
    "    { a = 'hrpm', b = 'un', relation = 'coordinates' },\n"
    "  },\n"
    "  groups = { { id = 'a', population = { lumeni = 20000 } } },\n"
    "  units = { { faction = 'un', type = 'observers', region = 'lumeni', task = 'observe' } },\n"
    "}\n";

static void test_faction_keys_and_links_load(void) {
    pk_scenario *sc = load(write_scenario("missions.lua", missions_src), NULL, 0);
    if (!sc) fprintf(stderr, "%s", problems());
    REQUIRE(sc != NULL);
    pk_world *w = pk_scenario_world(sc);
    const pk_faction_def *un = pk_world_faction(w, 0), *au = pk_world_faction(w, 1), *hr = pk_world_faction(w, 2);
    CHECK(un->roe == PK_ROE_SELF_DEFENCE);
    CHECK(un->mandate[PK_MANDATE_POC] == 1);
    CHECK(un->mandate[PK_MANDATE_POLITICAL] == 2);
    CHECK(un->mandate[PK_MANDATE_DDR] == 3);
    CHECK(un->mandate[PK_MANDATE_ENFORCEMENT] == 0);
    CHECK(un->deploy_day == 3);
    CHECK(un->exit_day == 200);
    CHECK(un->command_latency == 4);
    CHECK_NEAR(un->context, 0.3, 1e-6);
    CHECK_NEAR(un->influence, 0.6, 1e-6);
    CHECK_NEAR(un->standardisation, 0.9, 1e-6);
    CHECK_NEAR(un->heaviness, 0.2, 1e-6);
    CHECK_NEAR(un->high_handedness, 0.1, 1e-6);
    CHECK_NEAR(un->gap_covered, 0.25, 1e-6);
    CHECK_NEAR(un->support, 0.4, 1e-6);
    CHECK_NEAR(un->hq_cost, 50000, 1e-9);
    CHECK(au->roe == PK_ROE_OFFENSIVE);
    CHECK(au->mandate[PK_MANDATE_ENFORCEMENT] == 1 && au->mandate[PK_MANDATE_MISSION] == 2 && au->mandate[PK_MANDATE_POC] == 0);
    /* keys left out keep pk_faction_def_default's values */
    pk_faction_def d = pk_faction_def_default();
    CHECK(hr->roe == d.roe && hr->deploy_day == d.deploy_day && hr->exit_day == d.exit_day);
    CHECK(hr->command_latency == d.command_latency && hr->context == d.context && hr->hq_cost == d.hq_cost);
    CHECK(memcmp(hr->mandate, d.mandate, sizeof d.mandate) == 0);
    pk_scenario_free(sc);
}

static void test_string_and_list_mandates_agree(void) {
    static const char *src =
        "return {\n"
        "  map = { file = 'carana.geojson', cell_km = 5 },\n"
        "  scale = 100,\n"
        "  params = { m = { type = 'list', choices = { 'poc', 'political', 'ddr', 'elections' }, default = { 'ddr', 'poc' },\n"
        "                   description = 'mandate' },\n"
        "             s = { type = 'string', default = 'ddr,poc', description = 'the same as text' } },\n"
        "  factions = function(p) return {\n"
        "    { id = 'x', kind = 'un', mandate = p.m },\n"
        "    { id = 'y', kind = 'un', mandate = p.s },\n"
        "    { id = 'z', kind = 'un', mandate = { 'ddr', 'poc' } },\n"
        "  } end,\n"
        "  groups = { { id = 'a', population = { lumeni = 20000 } } },\n"
        "}\n";
    const char *path = write_scenario("mandates.lua", src);
    pk_scenario *sc = load(path, NULL, 0);
    if (!sc) fprintf(stderr, "%s", problems());
    REQUIRE(sc != NULL);
    pk_world *w = pk_scenario_world(sc);
    for (int f = 0; f < 3; f++) {
        const pk_faction_def *fd = pk_world_faction(w, f);
        CHECK(fd->mandate[PK_MANDATE_DDR] == 1 && fd->mandate[PK_MANDATE_POC] == 2 && fd->mandate[PK_MANDATE_POLITICAL] == 0);
    }
    pk_scenario_free(sc);
    /* --set passes a list or string parameter straight through */
    const char *sets[] = {"m=elections,political,poc", "s=elections, political ,poc,"};
    sc = load(path, sets, 2);
    REQUIRE(sc != NULL);
    w = pk_scenario_world(sc);
    for (int f = 0; f < 2; f++) {
        const pk_faction_def *fd = pk_world_faction(w, f);
        CHECK(fd->mandate[PK_MANDATE_ELECTIONS] == 1 && fd->mandate[PK_MANDATE_POLITICAL] == 2 &&
              fd->mandate[PK_MANDATE_POC] == 3 && fd->mandate[PK_MANDATE_DDR] == 0);
    }
    pk_scenario_free(sc);
}

/* Confusion events over `days` days between factions 0 and 1 of a scenario whose link
 * has the given relation and coordination (confusion_rate 1, role clarity 0, both
 * forces in Lumeni: every day is confused unless coordination or the relation says not). */
static int confusion_days(const char *relation, double coordination, int *a_first) {
    char src[2048];
    snprintf(src, sizeof src,
             "return {\n"
             "  map = { file = 'carana.geojson', cell_km = 5 },\n"
             "  scale = 100,\n"
             "  model = { confusion_rate = 1 },\n"
             "  factions = { { id = 'un', kind = 'un' }, { id = 'au', kind = 'regional' } },\n"
             "  links = function(p) return {\n"
             "    { a = 'au', b = 'un', relation = '%s', coordination = %g, role_clarity = 0 } } end,\n"
             "  groups = { { id = 'a', population = { lumeni = 20000 } } },\n"
             "  units = { { faction = 'un', type = 'infantry', region = 'lumeni' },\n"
             "            { faction = 'au', type = 'infantry', region = 'lumeni' } },\n"
             "}\n",
             relation, coordination);
    pk_scenario *sc = load(write_scenario("links.lua", src), NULL, 0);
    if (!sc) fprintf(stderr, "%s", problems());
    REQUIRE(sc != NULL);
    pk_error err;
    REQUIRE(pk_scenario_start(sc, &err) == PK_OK);
    for (int d = 0; d < 5; d++) REQUIRE(pk_scenario_step(sc, &err) == PK_OK);
    size_t n;
    const pk_event *ev = pk_world_events(pk_scenario_world(sc), &n);
    int count = 0;
    *a_first = 1;
    for (size_t i = 0; i < n; i++)
        if (ev[i].type == PK_EV_CONFUSION) {
            count++;
            if (ev[i].faction != 1 || ev[i].target_faction != 0) *a_first = 0; /* a = au (index 1), b = un */
        }
    pk_scenario_free(sc);
    return count;
}

/* The links reach the world: the core has no read access to them, so they are checked
 * through what they do (the confusion of partners working side by side). */
static void test_links_reach_the_world(void) {
    int a_first;
    CHECK(confusion_days("parallel", 0.0, &a_first) == 5);
    CHECK(a_first);
    CHECK(confusion_days("parallel", 1.0, &a_first) == 0); /* perfect coordination */
    CHECK(confusion_days("sequence", 0.0, &a_first) == 0); /* one after the other: never side by side */
    static const char *dup =
        "return {\n"
        "  map = { file = 'carana.geojson', cell_km = 5 },\n"
        "  factions = { { id = 'un', kind = 'un' }, { id = 'au', kind = 'regional' } },\n"
        "  links = {\n"
        "    { a = 'un', b = 'au', relation = 'parallel' },\n"
        "    { a = 'au', b = 'un', relation = 'support' },\n"
        "  },\n"
        "}\n";
    REQUIRE(load(write_scenario("links_dup.lua", dup), NULL, 0) == NULL);
    CHECK_CONTAINS(problems(), "links_dup.lua:6: links[2]: 'au' and 'un' are already linked by links[1]");
}

/* One bad value per line; every problem is reported with its line and path. */
static const char *bad_src =
    "return {\n"                                                                          /* 1 */
    "  map = { file = 'carana.geojson', cell_km = 5 },\n"                                 /* 2 */
    "  factions = {\n"                                                                    /* 3 */
    "    { id = 'un', kind = 'un', roe = 'self_defense' },\n"                              /* 4 */
    "    { id = 'au', kind = 'regional', mandate = { 'poc', 'pollitical' } },\n"           /* 5 */
    "    { id = 'eu', kind = 'regional', deploy_day = 30, exit_day = 10 },\n"              /* 6 */
    "    { id = 'hr', kind = 'hrpm', mandate = 'poc,poc', hq_cost = -1, support = 2 },\n"  /* 7 */
    "  },\n"                                                                              /* 8 */
    "  links = {\n"                                                                       /* 9 */
    "    { a = 'un', b = 'partner', relation = 'parallel' },\n"                            /* 10 */
    "    { a = 'un', b = 'un', relation = 'joint' },\n"                                    /* 11 */
    "    { a = 'un', b = 'au', relation = 'parallel', coordination = 1.5 },\n"             /* 12 */
    "    { a = 'un', b = 'eu', relation = 'paralel' },\n"                                  /* 13 */
    "  },\n"                                                                              /* 14 */
    "  units = {\n"                                                                       /* 15 */
    "    { faction = 'un', type = 'infantry', region = 'lumeni' },\n"                      /* 16 */
    "    { faction = 'un', type = 'observers', region = 'lumeni',\n"                       /* 17 */
    "      task = 'offensive' },\n"                                                        /* 18 */
    "  },\n"                                                                              /* 19 */
    "}\n";

static void test_bad_values_have_path_and_line(void) {
    REQUIRE(load(write_scenario("bad_missions.lua", bad_src), NULL, 0) == NULL);
    const char *all = problems();
    CHECK_CONTAINS(all, "bad_missions.lua:4: factions[1].roe: unknown roe 'self_defense' (did you mean 'self_defence'?); "
                        "expected one of: self_defence, defence_of_mandate, offensive");
    CHECK_CONTAINS(all, "bad_missions.lua:5: factions[2].mandate: mandate[2]: unknown mandate task 'pollitical' "
                        "(did you mean 'political'?); expected one of: poc, political,");
    CHECK_CONTAINS(all, "bad_missions.lua:6: factions[3].exit_day: exit_day 10 is before deploy_day 30");
    CHECK_CONTAINS(all, "bad_missions.lua:7: factions[4].mandate: 'poc' is listed twice");
    CHECK_CONTAINS(all, "bad_missions.lua:7: factions[4].hq_cost: expected a value in [0, 1e+09], got -1");
    CHECK_CONTAINS(all, "bad_missions.lua:7: factions[4].support: expected a value in [0, 1], got 2");
    CHECK_CONTAINS(all, "bad_missions.lua:10: links[1].b: no faction 'partner'");
    CHECK_CONTAINS(all, "bad_missions.lua:11: links[2].b: a link joins two different factions; a and b are both 'un'");
    CHECK_CONTAINS(all, "bad_missions.lua:12: links[3].coordination: expected a value in [0, 1], got 1.5");
    CHECK_CONTAINS(all, "bad_missions.lua:13: links[4].relation: unknown relation 'paralel' (did you mean 'parallel'?)");
    CHECK_CONTAINS(all, "bad_missions.lua:18: units[2].task: a unit of type observers cannot offensive; it can: idle, "
                        "patrol, engage, observe");
    CHECK(errs.count == 11);
}

static void test_bad_types_and_missing_keys(void) {
    static const char *src =
        "return {\n"
        "  map = { file = 'carana.geojson', cell_km = 5 },\n"
        "  factions = {\n"
        "    { id = 'un', kind = 'un', mandate = 3, roe = true, deploy_day = 1.5, command_latency = 0 },\n"
        "    { id = 'au', kind = 'regional', mandate = { 'poc', 7 } },\n"
        "  },\n"
        "  links = {\n"
        "    { a = 'un' },\n"
        "    'un-au',\n"
        "    { a = 'un', b = 'au', relation = 'parallel', colour = 'red' },\n"
        "  },\n"
        "}\n";
    REQUIRE(load(write_scenario("bad_types.lua", src), NULL, 0) == NULL);
    const char *all = problems();
    CHECK_CONTAINS(all, "bad_types.lua:4: factions[1].mandate: expected a list of mandated tasks in priority order");
    CHECK_CONTAINS(all, "bad_types.lua:4: factions[1].roe: expected a string, got boolean");
    CHECK_CONTAINS(all, "bad_types.lua:4: factions[1].deploy_day: expected a whole number, got 1.5");
    CHECK_CONTAINS(all, "bad_types.lua:4: factions[1].command_latency: expected a value in [1, 365], got 0");
    CHECK_CONTAINS(all, "bad_types.lua:5: factions[2].mandate: mandate[2]: expected the name of a mandated task, got number");
    CHECK_CONTAINS(all, "bad_types.lua:8: links[1]: missing 'b': expected a faction id");
    CHECK_CONTAINS(all, "bad_types.lua:8: links[1]: missing 'relation': expected one of: parallel, support, sequence, joint, coordinates");
    CHECK_CONTAINS(all, "bad_types.lua:9: links[2]: expected a table { a = ..., b = ..., relation = ... }, got string");
    CHECK_CONTAINS(all, "bad_types.lua:10: links[3].colour: unknown key 'colour'");
}

static void test_too_many_links(void) {
    char src[8192];
    int n = snprintf(src, sizeof src,
                     "local l = {}\n"
                     "for i = 1, 40 do l[i] = { a = 'f' .. i %% 9, b = 'f' .. (i %% 9 + 1), relation = 'parallel' } end\n"
                     "local f = {}\n"
                     "for i = 0, 9 do f[#f + 1] = { id = 'f' .. i, kind = 'un' } end\n"
                     "return { map = { file = 'carana.geojson', cell_km = 5 }, factions = f,\n"
                     "  links = l }\n");
    REQUIRE(n > 0 && (size_t)n < sizeof src);
    REQUIRE(load(write_scenario("many_links.lua", src), NULL, 0) == NULL);
    CHECK_CONTAINS(problems(), "links: at most 32 links, got 40");
}

/* The sim functions queue the right commands, and refuse bad input with a clear error. */
static const char *hooks_src =
    "local function try(f, ...)\n"
    "  local ok, msg = pcall(f, ...)\n"
    "  if not ok then log(msg) end\n"
    "end\n"
    "return {\n"
    "  map = { file = 'carana.geojson', cell_km = 5 },\n"
    "  scale = 100,\n"
    "  factions = { { id = 'un', kind = 'un', mandate = 'poc,ddr', deploy_day = 2 }, { id = 'reb', kind = 'armed_group' } },\n"
    "  groups = { { id = 'a', population = { lumeni = 20000 } } },\n"
    "  on_start = function(sim)\n"
    "    sim.set_roe('un', 'offensive')\n"
    "    sim.set_mandate('un', { 'political', 'poc' })\n"
    "    sim.set_exit_day('un', 40.0)\n"
    "    sim.set_gap_covered('un', 0.75)\n"
    "    try(sim.set_roe, 'un', 'shoot')\n"
    "    try(sim.set_roe, 'nobody', 'offensive')\n"
    "    try(sim.set_mandate, 'un', 'poc,pocc')\n"
    "    try(sim.set_mandate, 'un', { 'poc', 'poc' })\n"
    "    try(sim.set_mandate, 'un', 42)\n"
    "    try(sim.set_exit_day, 'un', 1)\n"
    "    try(sim.set_exit_day, 'un', 2.5)\n"
    "    try(sim.set_gap_covered, 'un', 1.5)\n"
    "  end,\n"
    "  on_day = function(sim, day)\n"
    "    if day == 3 then\n"
    "      local f = sim.faction('un')\n"
    "      log(string.format('%s %s %s %d %d %.2f %s', f.roe, table.concat(f.mandate, ','), f.kind, f.exit_day,\n"
    "                        f.deploy_day, f.gap_covered, tostring(f.operating)))\n"
    "      sim.set_mandate('un', 'elections')\n"
    "    end\n"
    "  end,\n"
    "}\n";

static void test_sim_functions_queue_commands(void) {
    pk_scenario *sc = load(write_scenario("sim_missions.lua", hooks_src), NULL, 0);
    if (!sc) fprintf(stderr, "%s", problems());
    REQUIRE(sc != NULL);
    pk_world *w = pk_scenario_world(sc);
    pk_error err;
    REQUIRE(pk_scenario_start(sc, &err) == PK_OK);
    /* roe, 11 mandate commands, exit day, gap covered; the refused calls queue nothing
     * (the failed set_mandate calls among them, though they are checked task by task) */
    size_t pending = pk_world_pending(w);
    CHECK(pending == 1 + PK_MANDATE_COUNT + 1 + 1 + 8 /* the 8 logs */);
    REQUIRE(pk_scenario_step(sc, &err) == PK_OK);
    const pk_faction_def *un = pk_world_faction(w, 0);
    CHECK(un->roe == PK_ROE_OFFENSIVE);
    CHECK(un->mandate[PK_MANDATE_POLITICAL] == 1 && un->mandate[PK_MANDATE_POC] == 2 && un->mandate[PK_MANDATE_DDR] == 0);
    CHECK(un->exit_day == 40);
    CHECK_NEAR(un->gap_covered, 0.75, 1e-6);
    size_t nc;
    const pk_command *log = pk_world_command_log(w, &nc);
    int mandate_cmds = 0;
    for (size_t i = 0; i < nc; i++)
        if (log[i].type == PK_CMD_SET_FACTION && log[i].key == PK_FACTION_MANDATE && log[i].faction == 0) {
            mandate_cmds++;
            CHECK(log[i].value == (log[i].task == PK_MANDATE_POLITICAL ? 1 : log[i].task == PK_MANDATE_POC ? 2 : 0));
        }
    CHECK(mandate_cmds == PK_MANDATE_COUNT);
    char logs[4096] = "";
    size_t ne;
    const pk_event *ev = pk_world_events(w, &ne);
    for (size_t i = 0; i < ne; i++)
        if (ev[i].type == PK_EV_LOG) {
            strncat(logs, ev[i].text, sizeof logs - strlen(logs) - 2);
            strncat(logs, "\n", sizeof logs - strlen(logs) - 1);
        }
    CHECK_CONTAINS(logs, "sim.set_roe: unknown roe 'shoot' (expected one of: self_defence, defence_of_mandate, offensive)");
    CHECK_CONTAINS(logs, "unknown faction 'nobody'");
    CHECK_CONTAINS(logs, "sim.set_mandate: unknown mandate task 'pocc' (expected any of: poc, political,");
    CHECK_CONTAINS(logs, "sim.set_mandate: 'poc' is listed twice");
    CHECK_CONTAINS(logs, "sim.set_mandate: expected a list of mandated tasks");
    CHECK_CONTAINS(logs, "sim.set_exit_day: day 1 is before 'un' deploys (day 2); 0 = the force stays");
    CHECK_CONTAINS(logs, "sim.set_exit_day: expected a whole day number, got 2.5");
    CHECK_CONTAINS(logs, "sim.set_gap_covered: expected a share in [0, 1], got 1.5");
    /* day 3: sim.faction reads the state after the commands; deployed on day 2, the
     * force operates */
    REQUIRE(pk_scenario_step(sc, &err) == PK_OK);
    REQUIRE(pk_scenario_step(sc, &err) == PK_OK);
    ev = pk_world_events(w, &ne);
    int seen = 0;
    for (size_t i = 0; i < ne; i++)
        if (ev[i].type == PK_EV_LOG && strcmp(ev[i].text, "offensive political,poc un 40 2 0.75 true") == 0) seen = 1;
    CHECK(seen);
    REQUIRE(pk_scenario_step(sc, &err) == PK_OK);
    CHECK(un->mandate[PK_MANDATE_ELECTIONS] == 1 && un->mandate[PK_MANDATE_POLITICAL] == 0 && un->mandate[PK_MANDATE_POC] == 0);
    pk_scenario_free(sc);
}

static void test_add_unit_checks_who_can_do_what(void) {
    static const char *src =
        "return {\n"
        "  map = { file = 'carana.geojson', cell_km = 5 },\n"
        "  scale = 100,\n"
        "  factions = { { id = 'un', kind = 'un' } },\n"
        "  groups = { { id = 'a', population = { lumeni = 20000 } } },\n"
        "  on_start = function(sim)\n"
        "    local ok, msg = pcall(sim.add_unit, { faction = 'un', type = 'medical', region = 'lumeni', task = 'patrol' })\n"
        "    log(msg)\n"
        "  end,\n"
        "}\n";
    pk_scenario *sc = load(write_scenario("add_unit_can.lua", src), NULL, 0);
    REQUIRE(sc != NULL);
    pk_error err;
    REQUIRE(pk_scenario_start(sc, &err) == PK_OK);
    REQUIRE(pk_scenario_step(sc, &err) == PK_OK);
    size_t ne;
    const pk_event *ev = pk_world_events(pk_scenario_world(sc), &ne);
    int seen = 0;
    for (size_t i = 0; i < ne; i++)
        if (ev[i].type == PK_EV_LOG && strstr(ev[i].text, "sim.add_unit.task: a unit of type medical cannot patrol; it can: idle, aid"))
            seen = 1;
    CHECK(seen);
    CHECK(pk_world_units(pk_scenario_world(sc), NULL, 0) == 0);
    pk_scenario_free(sc);
}

int main(void) {
    snprintf(tmpdir, sizeof tmpdir, "/tmp/pkosim-missions-XXXXXX");
    if (!mkdtemp(tmpdir)) return 2;
    RUN(test_faction_keys_and_links_load);
    RUN(test_string_and_list_mandates_agree);
    RUN(test_links_reach_the_world);
    RUN(test_bad_values_have_path_and_line);
    RUN(test_bad_types_and_missing_keys);
    RUN(test_too_many_links);
    RUN(test_sim_functions_queue_commands);
    RUN(test_add_unit_checks_who_can_do_what);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmpdir);
    return test_summary();
}
