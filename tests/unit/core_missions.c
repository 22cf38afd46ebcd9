/* core_missions.c — the mission and partnership mechanics of issue 4 on small worlds:
 * deployment and exit, mandates turned into tasks, who can do what, rules of engagement,
 * collateral harm, enmity and impartiality, association between partners, confusion,
 * decision latency, funding and support, DDR, new bands, armed groups' misinformation,
 * engineers' and medical works, capacity building, and the neutrality behind
 * humanitarian access. */
#include "test.h"
#include "world_fixture.h"
#include "../../engine/core/world_internal.h"


/* The standard fixture definition with a calm baseline (nobody aggrieved) unless
 * `tense`; the caller may edit it before create. */
static pk_world_def base_def(pk_map **m, uint64_t seed, int tense) {
    *m = fx_map(FX_ALL);
    pk_world_def d = fx_def(*m, seed);
    d.params[PK_PARAM_LEGITIMACY] = tense ? 0.4 : 1.0;
    d.params[PK_PARAM_SERVICE_LEVEL] = tense ? 0.3 : 1.0;
    return d;
}
static pk_world *make(pk_world_def *d, pk_map *m) {
    pk_world *w = fx_create(d);
    pk_map_free(m);
    return w;
}

static pk_task task_of(const pk_world *w, pk_unit_id id) {
    pk_unit_state st;
    REQUIRE(pk_world_unit(w, id, &st));
    return st.task;
}

static void test_names_and_capabilities(void) {
    CHECK_STR(pk_roe_name(PK_ROE_OFFENSIVE), "offensive");
    CHECK(pk_roe_from_name("self_defence") == PK_ROE_SELF_DEFENCE);
    CHECK(pk_mandate_task_from_name("poc") == PK_MANDATE_POC);
    CHECK(pk_mandate_task_from_name("ddr") == PK_MANDATE_DDR);
    CHECK(pk_mandate_task_from_name("nonsense") == -1);
    CHECK(pk_relation_from_name("joint") == PK_REL_JOINT);
    for (int m = 0; m < PK_MANDATE_COUNT; m++) CHECK(pk_mandate_task_from_name(pk_mandate_task_name((pk_mandate_task)m)) == m);
    /* observers are unarmed: they observe, never fight; police do not run offensives */
    CHECK(pk_unit_can(PK_UNIT_OBSERVERS, PK_TASK_OBSERVE));
    CHECK(!pk_unit_can(PK_UNIT_OBSERVERS, PK_TASK_OFFENSIVE));
    CHECK(!pk_unit_can(PK_UNIT_FPU, PK_TASK_OFFENSIVE));
    CHECK(pk_unit_can(PK_UNIT_FPU, PK_TASK_PATROL));
    CHECK(pk_unit_can(PK_UNIT_INFANTRY, PK_TASK_OFFENSIVE));
    CHECK(!pk_unit_can(PK_UNIT_MEDICAL, PK_TASK_PATROL));
    CHECK(!pk_unit_can(PK_UNIT_INFANTRY, PK_TASK_COUNT));
    /* every type can idle */
    for (int t = 0; t < PK_UNIT_TYPE_COUNT; t++) CHECK(pk_unit_can((pk_unit_type)t, PK_TASK_IDLE));
    /* the core refuses a unit given a task it cannot do */
    pk_world *w = fx_world(1);
    pk_command c = fx_cmd(PK_CMD_ADD_UNIT);
    c.unit_def = fx_unit_def(FX_UN, PK_UNIT_OBSERVERS, 40, FX_SW, -1, PK_TASK_OFFENSIVE, -1);
    pk_error err;
    CHECK(pk_world_command(w, &c, NULL, &err) == PK_ERR_INPUT);
    CHECK_CONTAINS(err.msg, "observers cannot offensive");
    pk_world_destroy(w);
}

static void test_definition_validation(void) {
    pk_map *m;
    pk_world_def d = base_def(&m, 2, 0);
    pk_error err;
    d.factions[FX_UN].exit_day = 5;
    d.factions[FX_UN].deploy_day = 10;
    CHECK(pk_world_create(&d, &err) == NULL);
    CHECK_CONTAINS(err.msg, "exit_day");
    d.factions[FX_UN].exit_day = 0;
    d.factions[FX_UN].heaviness = 1.5f;
    CHECK(pk_world_create(&d, &err) == NULL);
    d.factions[FX_UN].heaviness = 0.5f;
    d.n_links = 1;
    d.links[0] = pk_link_def_default();
    d.links[0].a = FX_UN;
    d.links[0].b = FX_UN;
    CHECK(pk_world_create(&d, &err) == NULL);
    CHECK_CONTAINS(err.msg, "two different factions");
    d.links[0].b = FX_PARTNER;
    d.links[0].coordination = 2.f;
    CHECK(pk_world_create(&d, &err) == NULL);
    d.links[0].coordination = 0.5f;
    pk_world *w = pk_world_create(&d, &err);
    CHECK(w != NULL);
    pk_world_destroy(w);
    pk_map_free(m);
}

/* A force deploys on its deploy day: before it, its units are off the map (no presence,
 * not deployed); after its exit day they leave, with one mission_exit event. */
static void test_deployment_and_exit(void) {
    pk_map *m;
    pk_world_def d = base_def(&m, 3, 0);
    d.factions[FX_PARTNER].deploy_day = 5;
    d.factions[FX_PARTNER].exit_day = 12;
    pk_world *w = make(&d, m);
    pk_unit_id u = fx_add_unit(w, FX_PARTNER, PK_UNIT_INFANTRY, 500, FX_SE, PK_TASK_PROTECT, -1);
    fx_run(w, 4);
    pk_unit_state st;
    REQUIRE(pk_world_unit(w, u, &st));
    CHECK(st.deployed == 0);
    CHECK(!pk_world_faction_operating(w, FX_PARTNER));
    pk__aggregate_regions(w);
    CHECK(w->security[FX_SE] == 0.f);
    CHECK(fx_ind(w, "cost") == 0); /* not paid before it deploys */
    fx_run(w, 1); /* day 5 */
    REQUIRE(pk_world_unit(w, u, &st));
    CHECK(st.deployed == 1);
    pk__aggregate_regions(w);
    CHECK(w->security[FX_SE] > 0.f);
    CHECK(fx_ind(w, "cost") > 0);
    fx_run(w, 7); /* day 12: still there */
    CHECK(pk_world_unit(w, u, &st));
    CHECK(fx_count_events(w, PK_EV_MISSION_EXIT) == 0);
    fx_run(w, 1); /* day 13: gone */
    CHECK(!pk_world_unit(w, u, &st));
    CHECK(fx_count_events(w, PK_EV_MISSION_EXIT) == 1);
    fx_run(w, 5);
    CHECK(fx_count_events(w, PK_EV_MISSION_EXIT) == 1);
    CHECK(fx_ind(w, "cost") == 0);
    pk_world_destroy(w);
}

/* Idle units of a mission take tasks from its mandate by priority and by what they can
 * do; a Human Rights Protection Mission never takes offensive operations. */
static void test_mandate_allocation(void) {
    pk_map *m;
    pk_world_def d = base_def(&m, 4, 0);
    d.factions[FX_UN].mandate[PK_MANDATE_POC] = 1;
    d.factions[FX_UN].mandate[PK_MANDATE_HUMANITARIAN] = 2;
    d.factions[FX_UN].mandate[PK_MANDATE_DDR] = 3;
    d.factions[FX_PARTNER].kind = PK_FACTION_HRPM;
    d.factions[FX_PARTNER].mandate[PK_MANDATE_ENFORCEMENT] = 1;
    d.factions[FX_PARTNER].mandate[PK_MANDATE_HUMANITARIAN] = 2;
    pk_world *w = make(&d, m);
    pk_unit_id inf[3], ca, med, hr;
    for (int i = 0; i < 3; i++) inf[i] = fx_add_unit(w, FX_UN, PK_UNIT_INFANTRY, 300, FX_SE, PK_TASK_IDLE, -1);
    ca = fx_add_unit(w, FX_UN, PK_UNIT_CIVIL_AFFAIRS, 30, FX_SE, PK_TASK_IDLE, -1);
    med = fx_add_unit(w, FX_UN, PK_UNIT_MEDICAL, 60, FX_SE, PK_TASK_IDLE, -1);
    hr = fx_add_unit(w, FX_PARTNER, PK_UNIT_INFANTRY, 300, FX_NE, PK_TASK_IDLE, -1);
    pk_unit_id ordered = fx_add_unit(w, FX_UN, PK_UNIT_INFANTRY, 300, FX_SW, PK_TASK_PROTECT, -1);
    pk_world_step(w);
    /* priority 1 (poc) gets two of three infantry, priority 2 (escort) the third */
    int patrol = 0, escort = 0;
    for (int i = 0; i < 3; i++) {
        patrol += task_of(w, inf[i]) == PK_TASK_PATROL;
        escort += task_of(w, inf[i]) == PK_TASK_ESCORT;
    }
    CHECK(patrol == 2 && escort == 1);
    CHECK(task_of(w, ca) == PK_TASK_DDR); /* civil affairs: the DDR site */
    CHECK(task_of(w, med) == PK_TASK_AID);
    CHECK(task_of(w, hr) == PK_TASK_ESCORT); /* never offensive */
    CHECK(task_of(w, ordered) == PK_TASK_PROTECT); /* an explicit order stands */
    pk_world_destroy(w);
}

/* A band in a district with a force on patrol for n days: the force's clash events. */
static int clashes_under(pk_roe roe, double *band_lost) {
    pk_map *m;
    pk_world_def d = base_def(&m, 5, 0);
    d.factions[FX_UN].roe = roe;
    pk_world *w = make(&d, m);
    fx_add_unit(w, FX_UN, PK_UNIT_INFANTRY, 800, FX_SE, PK_TASK_PATROL, FX_SE);
    pk_unit_id band = fx_add_unit(w, FX_REBELS, PK_UNIT_ARMED_BAND, 1000, FX_SE, PK_TASK_PROTECT, FX_SE);
    fx_run(w, 60);
    int n = fx_count_events(w, PK_EV_CLASH);
    pk_unit_state st;
    *band_lost = pk_world_unit(w, band, &st) ? 1000 - st.strength : 1000;
    pk_world_destroy(w);
    return n;
}

static void test_rules_of_engagement(void) {
    double lost_sd, lost_dom, lost_off;
    int sd = clashes_under(PK_ROE_SELF_DEFENCE, &lost_sd);
    int dom = clashes_under(PK_ROE_DEFENCE_OF_MANDATE, &lost_dom);
    int off = clashes_under(PK_ROE_OFFENSIVE, &lost_off);
    printf("  ROE clashes in 60 days: self_defence %d, defence_of_mandate %d, offensive %d; band losses %.0f %.0f %.0f\n", sd,
           dom, off, lost_sd, lost_dom, lost_off);
    CHECK(sd == 0 && lost_sd == 0);
    CHECK(dom > 0);
    CHECK(off > dom);
    CHECK(lost_off > 2 * lost_dom);
    /* self-defence halves a force's weight as protection */
    pk_map *m;
    pk_world_def d = base_def(&m, 5, 0);
    pk_world *w = make(&d, m);
    pk_unit_id u = fx_add_unit(w, FX_UN, PK_UNIT_INFANTRY, 800, FX_SE, PK_TASK_PROTECT, -1);
    pk_world_step(w);
    pk__aggregate_regions(w);
    double full = w->security[FX_SE];
    w->def.factions[FX_UN].roe = PK_ROE_SELF_DEFENCE;
    pk__aggregate_regions(w);
    CHECK_NEAR(w->security[FX_SE], 0.5 * full, 1e-3 * full);
    (void)u;
    pk_world_destroy(w);
}

/* Offensive operations by a heavy force with no feel for the place kill civilians; a
 * force that knows the ground does not. Each clash builds the band's enmity. */
static void test_collateral_and_enmity(void) {
    double deaths[2], enmity[2];
    for (int k = 0; k < 2; k++) {
        pk_map *m;
        pk_world_def d = base_def(&m, 6, 0);
        /* the fixture's districts are small (a few thousand persons): collateral harm,
         * which grows with how crowded a district is, is raised to show at all */
        d.scale = 10;
        d.params[PK_PARAM_COLLATERAL] = 10.0;
        d.params[PK_PARAM_FLIGHT_THRESHOLD] = 1.0; /* people stay (they would flee the fighting) */
        d.factions[FX_PARTNER].heaviness = 1.0f;
        d.factions[FX_PARTNER].context = k ? 1.0f : 0.0f;
        d.factions[FX_PARTNER].roe = PK_ROE_OFFENSIVE;
        pk_world *w = make(&d, m);
        fx_add_unit(w, FX_PARTNER, PK_UNIT_INFANTRY, 850, FX_SE, PK_TASK_OFFENSIVE, FX_SE);
        fx_add_unit(w, FX_REBELS, PK_UNIT_ARMED_BAND, 2000, FX_SE, PK_TASK_PROTECT, FX_SE);
        fx_run(w, 60);
        deaths[k] = fx_ind_total(w, "civilian_deaths.by_missions");
        enmity[k] = pk_world_enmity(w, FX_REBELS, FX_PARTNER);
        CHECK(pk_world_enmity(w, FX_REBELS, FX_UN) == 0);
        CHECK((fx_count_events(w, PK_EV_COLLATERAL) > 0) == (deaths[k] > 0));
        pk_world_destroy(w);
    }
    printf("  collateral deaths in 60 days: context 0 %.0f, context 1 %.0f; enmity %.2f %.2f\n", deaths[0], deaths[1],
           enmity[0], enmity[1]);
    CHECK(deaths[0] > 0);
    CHECK(deaths[1] == 0);
    CHECK(enmity[0] > 0.3 && enmity[1] > 0.3);
}

/* Enmity fades when the fighting stops. */
static void test_enmity_fades(void) {
    pk_world *w = fx_world(7);
    pk_world_step(w);
    w->enmity[FX_REBELS * w->n_factions + FX_UN] = 0.8f;
    fx_run(w, 100);
    double e = pk_world_enmity(w, FX_REBELS, FX_UN);
    CHECK(e < 0.8 * 0.7 && e > 0.1);
    pk_world_destroy(w);
}

/* Association: civilians blame the UN for its partner's harm in proportion to the link's
 * association; with none, the UN's trust does not move for it. Impartiality: a force
 * enforcing against the armed group a community supports loses that community's trust. */
static void test_association_and_impartiality(void) {
    double trust_un[2];
    for (int k = 0; k < 2; k++) {
        pk_map *m;
        pk_world_def d = base_def(&m, 8, 0);
        d.scale = 50;
        d.factions[FX_PARTNER].heaviness = 1.0f;
        d.factions[FX_PARTNER].context = 0.0f;
        d.factions[FX_PARTNER].roe = PK_ROE_OFFENSIVE;
        d.n_links = 1;
        d.links[0] = pk_link_def_default();
        d.links[0].a = FX_UN;
        d.links[0].b = FX_PARTNER;
        d.links[0].association = k ? 0.8f : 0.0f;
        pk_world *w = make(&d, m);
        fx_add_unit(w, FX_PARTNER, PK_UNIT_INFANTRY, 850, FX_SE, PK_TASK_OFFENSIVE, FX_SE);
        fx_add_unit(w, FX_REBELS, PK_UNIT_ARMED_BAND, 2000, FX_SE, PK_TASK_PROTECT, FX_SE);
        fx_run(w, 60);
        trust_un[k] = pk_world_trust(w, FX_GA, FX_SE, FX_UN);
        size_t n;
        const pk_cause *c = pk_world_causes(w, &n);
        int assoc = 0, impart = 0;
        for (size_t i = 0; i < n; i++) {
            if (c[i].indicator != PK_CI_TRUST) continue;
            if (c[i].cause == PK_CAUSE_ASSOCIATION && c[i].faction == FX_UN) assoc++;
            if (c[i].cause == PK_CAUSE_IMPARTIALITY && c[i].faction == FX_PARTNER) {
                impart++;
                CHECK(c[i].group == FX_GA); /* group a sympathises with the rebels */
                CHECK(c[i].amount < 0);
            }
        }
        CHECK(k ? assoc > 0 : assoc == 0);
        CHECK(impart > 0);
        /* trust of the rebels' supporters in the partner has fallen more than others' */
        CHECK(pk_world_trust(w, FX_GA, FX_SW, FX_PARTNER) < pk_world_trust(w, FX_GB, FX_SW, FX_PARTNER));
        pk_world_destroy(w);
    }
    printf("  trust in the UN of group a in SE after its partner's offensive: association 0 %.3f, 0.8 %.3f\n", trust_un[0],
           trust_un[1]);
    CHECK(trust_un[0] == 0.5);
    CHECK(trust_un[1] < trust_un[0] - 0.01);
}

/* Confusion: partners in the same district with no coordination and unclear roles get
 * in each other's way; with full coordination they never do, and a sequence link (one
 * after the other) has none either. */
static int confusion_with(float coordination, pk_relation rel) {
    pk_map *m;
    pk_world_def d = base_def(&m, 9, 0);
    d.n_links = 1;
    d.links[0] = pk_link_def_default();
    d.links[0].a = FX_UN;
    d.links[0].b = FX_PARTNER;
    d.links[0].relation = rel;
    d.links[0].coordination = coordination;
    d.links[0].role_clarity = 0.0f;
    pk_world *w = make(&d, m);
    fx_add_unit(w, FX_UN, PK_UNIT_INFANTRY, 500, FX_SE, PK_TASK_PROTECT, -1);
    fx_add_unit(w, FX_PARTNER, PK_UNIT_INFANTRY, 500, FX_SE, PK_TASK_PROTECT, -1);
    fx_add_unit(w, FX_PARTNER, PK_UNIT_INFANTRY, 500, FX_NW, PK_TASK_PROTECT, -1);
    fx_run(w, 100);
    int n = fx_count_events(w, PK_EV_CONFUSION);
    CHECK(fx_ind_total(w, "confusion_events") == n);
    size_t ne;
    const pk_event *ev = pk_world_events(w, &ne);
    for (size_t i = 0; i < ne; i++)
        if (ev[i].type == PK_EV_CONFUSION) CHECK(ev[i].region == FX_SE); /* only where both are */
    pk_world_destroy(w);
    return n;
}

static void test_confusion(void) {
    int none = confusion_with(0.f, PK_REL_PARALLEL), full = confusion_with(1.f, PK_REL_PARALLEL);
    int joint = confusion_with(0.f, PK_REL_JOINT), seq = confusion_with(0.f, PK_REL_SEQUENCE);
    printf("  confusion events in 100 days: coordination 0 %d, 1 %d; joint command %d; sequence %d\n", none, full, joint, seq);
    /* expected 100 x confusion_rate 0.5 = 50 with no coordination, half under a joint command */
    CHECK(none >= 35 && none <= 65);
    CHECK(full == 0 && seq == 0);
    CHECK(joint < none);
}

/* Decision latency: a force re-plans its patrols every command_latency days; a joint
 * command adds its partner's latency. */
static void test_decision_latency(void) {
    pk_map *m;
    pk_world_def d = base_def(&m, 10, 0);
    d.factions[FX_UN].command_latency = 3;
    d.factions[FX_PARTNER].command_latency = 4;
    pk_world *w = make(&d, m);
    CHECK(pk__latency(w, FX_UN) == 3);
    w->def.n_links = 1;
    w->def.links[0] = pk_link_def_default();
    w->def.links[0].a = FX_UN;
    w->def.links[0].b = FX_PARTNER;
    w->def.links[0].relation = PK_REL_JOINT;
    CHECK(pk__latency(w, FX_UN) == 7);
    CHECK(pk__latency(w, FX_PARTNER) == 7);
    w->def.links[0].relation = PK_REL_PARALLEL;
    CHECK(pk__latency(w, FX_UN) == 3);
    /* redeployments only on planning days: violence moves around, the UN follows at
     * its own pace */
    fx_add_unit(w, FX_UN, PK_UNIT_INFANTRY, 300, FX_SE, PK_TASK_PATROL, -1);
    for (int day = 1; day <= 30; day++) {
        fx_set_region(w, (day / 2) % 2 ? FX_SE : FX_SW, PK_REGION_VIOLENCE, 50.0);
        pk_world_step(w);
    }
    size_t n;
    const pk_event *ev = pk_world_events(w, &n);
    int redeploys = 0;
    for (size_t i = 0; i < n; i++)
        if (ev[i].type == PK_EV_REDEPLOY) {
            redeploys++;
            CHECK((ev[i].day - 1) % 3 == 0);
        }
    CHECK(redeploys > 0);
    pk_world_destroy(w);
}

/* Funding: the unfunded share lowers readiness unless donors cover it; a support package
 * lifts it; a headquarters costs money. */
static void test_funding_support_and_hq(void) {
    double ready[3], cost[2];
    for (int k = 0; k < 3; k++) {
        pk_map *m;
        pk_world_def d = base_def(&m, 11, 0);
        d.factions[FX_PARTNER].funding_share = 0.75;
        d.factions[FX_PARTNER].gap_covered = k == 1 ? 1.0f : 0.0f;
        d.factions[FX_PARTNER].support = k == 2 ? 1.0f : 0.0f;
        d.factions[FX_PARTNER].hq_cost = k == 1 ? 50000.0 : 0.0;
        pk_world *w = make(&d, m);
        fx_add_unit(w, FX_PARTNER, PK_UNIT_INFANTRY, 1000, FX_SE, PK_TASK_PROTECT, -1);
        fx_run(w, 200);
        ready[k] = fx_ind(w, "readiness.partner");
        if (k < 2) cost[k] = fx_ind(w, "cost");
        if (k == 1) CHECK(fx_ind(w, "funding_gap") == 0);
        if (k == 0) CHECK_NEAR(fx_ind(w, "funding_gap"), 0.25 * cost[0], 1e-6 * cost[0]);
        pk_world_destroy(w);
    }
    printf("  readiness.partner after 200 days: 25%% unfunded %.3f, covered by donors %.3f, with a support package %.3f\n",
           ready[0], ready[1], ready[2]);
    CHECK(ready[0] < 0.9);
    CHECK(ready[1] > 0.99);
    CHECK(ready[2] > ready[0] + 0.04); /* the package adds up to 0.05 */
    CHECK_NEAR(cost[1] - cost[0], 50000.0, 1e-6);
}

/* DDR: a DDR site next to a band demobilises fighters, and recruits go home. */
static void test_ddr(void) {
    pk_map *m;
    pk_world_def d = base_def(&m, 12, 1);
    d.params[PK_PARAM_RECRUIT_RATE] = 0.2;
    pk_world *w = make(&d, m);
    pk_unit_id band = fx_add_unit(w, FX_REBELS, PK_UNIT_ARMED_BAND, 400, FX_SW, PK_TASK_PROTECT, FX_SW);
    fx_run(w, 30);
    int32_t recruited = fx_count_agents(w, FX_GA, PK_AGENT_RECRUITED);
    REQUIRE(recruited > 0);
    fx_set_param(w, PK_PARAM_RECRUIT_RATE, 0.0);
    pk_unit_state st;
    REQUIRE(pk_world_unit(w, band, &st));
    int32_t before = st.strength;
    w->willingness[FX_REBELS] = 1.0f;
    fx_add_unit(w, FX_UN, PK_UNIT_CIVIL_AFFAIRS, 100, FX_SW, PK_TASK_DDR, -1);
    fx_run(w, 30);
    double demob = fx_ind_total(w, "demobilised");
    printf("  DDR: %.0f demobilised in 30 days; recruited agents %d -> %d\n", demob, recruited,
           fx_count_agents(w, FX_GA, PK_AGENT_RECRUITED));
    CHECK(demob > 0);
    CHECK(fx_count_events(w, PK_EV_DDR) > 0);
    CHECK(fx_count_agents(w, FX_GA, PK_AGENT_RECRUITED) < recruited);
    if (pk_world_unit(w, band, &st)) CHECK(st.strength < before);
    pk_world_destroy(w);
}

/* With no band left, recruits gather and form a new one. */
static void test_new_band(void) {
    pk_world *w = fx_world(13);
    pk_world_step(w);
    w->recruit_pool[FX_REBELS] = 150.f;
    pk_world_step(w);
    CHECK(fx_count_events(w, PK_EV_BAND_FORMED) == 1);
    int bands = 0;
    pk_unit_state st[64];
    int32_t n = pk_world_units(w, st, 64);
    for (int32_t i = 0; i < n && i < 64; i++)
        if (st[i].faction == FX_REBELS) {
            bands++;
            CHECK(st[i].strength == 150);
            /* where its sympathisers (group a) live */
            CHECK(fx_agents[FX_GA][pk_world_map(w)->region[st[i].cell]] > 0);
        }
    CHECK(bands == 1);
    CHECK(w->recruit_pool[FX_REBELS] < 1.f);
    pk_world_destroy(w);
}

/* An armed group's own misinformation: once a force has fought it, it campaigns against
 * that force, and trust in it falls where the group's bands are; engagement there limits
 * the damage. */
static void test_armed_misinformation(void) {
    double trust[3];
    for (int k = 0; k < 3; k++) {
        pk_map *m;
        pk_world_def d = base_def(&m, 14, 0);
        d.params[PK_PARAM_MISINFO_LEVEL] = k ? 0.8 : 0.0;
        pk_world *w = make(&d, m);
        fx_add_unit(w, FX_REBELS, PK_UNIT_ARMED_BAND, 300, FX_NE, PK_TASK_PROTECT, FX_NE);
        fx_add_unit(w, FX_UN, PK_UNIT_INFANTRY, 300, FX_NE, k == 2 ? PK_TASK_ENGAGE : PK_TASK_PROTECT, -1);
        pk_world_step(w);
        w->enmity[FX_REBELS * w->n_factions + FX_UN] = 0.5f; /* it has been fought */
        fx_run(w, 90);
        trust[k] = pk_world_trust(w, FX_GB, FX_NE, FX_UN);
        int campaigns = 0;
        size_t n;
        const pk_event *ev = pk_world_events(w, &n);
        for (size_t i = 0; i < n; i++)
            if (ev[i].type == PK_EV_MISINFORMATION && ev[i].faction == FX_REBELS && ev[i].target_faction == FX_UN) campaigns++;
        CHECK(k ? campaigns >= 1 : campaigns == 0);
        pk_world_destroy(w);
    }
    printf("  trust in the UN in NE after 90 days: no campaign %.3f, campaign %.3f, campaign + engagement %.3f\n", trust[0],
           trust[1], trust[2]);
    CHECK(trust[1] < trust[0] - 0.05);
    CHECK(trust[2] > trust[1] + 0.05);
}

/* Engineers repairing raise water and shelter; medical units raise health. */
static void test_works(void) {
    double water[2], health[2];
    for (int k = 0; k < 2; k++) {
        pk_map *m;
        pk_world_def d = base_def(&m, 15, 0);
        d.params[PK_PARAM_SERVICE_LEVEL] = 0.3;
        pk_world *w = make(&d, m);
        if (k) {
            fx_add_unit(w, FX_UN, PK_UNIT_ENGINEERS, 200, FX_SE, PK_TASK_REPAIR, -1);
            fx_add_unit(w, FX_UN, PK_UNIT_MEDICAL, 200, FX_SE, PK_TASK_AID, -1);
        }
        fx_run(w, 40);
        water[k] = pk_world_region_need(w, FX_SE, PK_NEED_WATER);
        health[k] = pk_world_region_need(w, FX_SE, PK_NEED_HEALTH);
        CHECK(pk_world_region_need(w, FX_SE, PK_NEED_FOOD) < 0.31);
        if (k) CHECK(pk_world_region_need(w, FX_NW, PK_NEED_WATER) < 0.31);
        pk_world_destroy(w);
    }
    CHECK(water[1] > water[0] + 0.15);
    CHECK(health[1] > health[0] + 0.15);
}

/* Capacity building: civil affairs at work raise the state's services, which stay after
 * they leave; violence erodes them. */
static void test_capacity_building(void) {
    pk_map *m;
    pk_world_def d = base_def(&m, 16, 0);
    d.params[PK_PARAM_SERVICE_LEVEL] = 0.3;
    d.factions[FX_UN].exit_day = 200;
    pk_world *w = make(&d, m);
    fx_add_unit(w, FX_UN, PK_UNIT_CIVIL_AFFAIRS, 100, FX_SE, PK_TASK_ENGAGE, -1);
    fx_run(w, 200);
    double built = pk_world_region_services(w, FX_SE);
    CHECK(built > 0.45);
    CHECK_NEAR(pk_world_region_services(w, FX_NW), 0.3, 1e-6);
    fx_run(w, 100);
    CHECK_NEAR(pk_world_region_services(w, FX_SE), built, 1e-6); /* calm: it stays */
    fx_set_region(w, FX_SE, PK_REGION_VIOLENCE, 50.0);
    fx_run(w, 10);
    CHECK(pk_world_region_services(w, FX_SE) < built);
    pk_world_destroy(w);
}

/* Humanitarian access: agencies seen with a force that fights the armed groups lose
 * access where those groups' bands are; unlinked agencies keep it. */
static void test_access_and_neutrality(void) {
    double access[2];
    for (int k = 0; k < 2; k++) {
        pk_map *m;
        pk_world_def d = base_def(&m, 17, 0);
        d.factions[FX_GOV].kind = PK_FACTION_HUMANITARIAN; /* the fixture's gov stands in for the agencies */
        d.n_links = 1;
        d.links[0] = pk_link_def_default();
        d.links[0].a = FX_UN;
        d.links[0].b = FX_GOV;
        d.links[0].relation = PK_REL_COORDINATES;
        d.links[0].association = k ? 0.8f : 0.0f;
        pk_world *w = make(&d, m);
        fx_add_unit(w, FX_REBELS, PK_UNIT_ARMED_BAND, 300, FX_NE, PK_TASK_PROTECT, FX_NE);
        fx_add_unit(w, FX_GOV, PK_UNIT_HUMANITARIAN, 80, FX_NE, PK_TASK_AID, -1);
        pk_world_step(w);
        w->enmity[FX_REBELS * w->n_factions + FX_UN] = 0.9f;
        pk_world_step(w);
        access[k] = w->access[FX_NE];
        CHECK_NEAR(w->access[FX_SW], 1.0, 1e-6); /* no band there */
        pk_world_destroy(w);
    }
    printf("  access in NE: agencies not seen with the force %.3f, seen with it %.3f\n", access[0], access[1]);
    CHECK(access[0] > 0.95);
    CHECK(access[1] < access[0] - 0.4);
}

/* Everything above survives save and restore: the same hash after continuing. */
static void test_save_restore_with_missions(void) {
    pk_map *m;
    pk_world_def d = base_def(&m, 18, 1);
    d.factions[FX_UN].mandate[PK_MANDATE_POC] = 1;
    d.factions[FX_UN].mandate[PK_MANDATE_DDR] = 2;
    d.factions[FX_UN].command_latency = 3;
    d.factions[FX_PARTNER].roe = PK_ROE_OFFENSIVE;
    d.factions[FX_PARTNER].exit_day = 25;
    d.params[PK_PARAM_MISINFO_LEVEL] = 0.5;
    d.n_links = 1;
    d.links[0] = pk_link_def_default();
    d.links[0].a = FX_UN;
    d.links[0].b = FX_PARTNER;
    d.links[0].coordination = 0.1f;
    pk_world *w = make(&d, m);
    fx_add_forces(w);
    fx_add_unit(w, FX_UN, PK_UNIT_CIVIL_AFFAIRS, 50, FX_SW, PK_TASK_IDLE, -1);
    fx_run(w, 20);
    void *buf = NULL;
    size_t size = 0;
    REQUIRE(pk_world_save(w, &buf, &size) == PK_OK);
    pk_error err;
    pk_world *r = pk_world_restore(buf, size, &err);
    REQUIRE(r != NULL);
    CHECK(pk_world_hash(r) == pk_world_hash(w));
    fx_run(w, 40);
    fx_run(r, 40);
    CHECK(pk_world_hash(r) == pk_world_hash(w));
    CHECK(fx_count_events(w, PK_EV_MISSION_EXIT) == 1);
    pk_world_destroy(r);
    pk_world_destroy(w);
    free(buf);
}

int main(void) {
    RUN(test_names_and_capabilities);
    RUN(test_definition_validation);
    RUN(test_deployment_and_exit);
    RUN(test_mandate_allocation);
    RUN(test_rules_of_engagement);
    RUN(test_collateral_and_enmity);
    RUN(test_enmity_fades);
    RUN(test_association_and_impartiality);
    RUN(test_confusion);
    RUN(test_decision_latency);
    RUN(test_funding_support_and_hq);
    RUN(test_ddr);
    RUN(test_new_band);
    RUN(test_armed_misinformation);
    RUN(test_works);
    RUN(test_capacity_building);
    RUN(test_access_and_neutrality);
    RUN(test_save_restore_with_missions);
    return test_summary();
}
