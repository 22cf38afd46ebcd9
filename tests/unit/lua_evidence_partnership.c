/* lua_evidence_partnership.c — issue 4, evidence on how partners work together, in
 * scenarios/mandate_lab.lua over 20 seeds (paired comparisons; tests/unit/evidence.h):
 * - poor coordination raises confusion events and shrinks the benefit of deploying in
 *   parallel (minutes line 636: ambiguous roles, miscommunication, lack of coordination);
 * - a hybrid command (one mission, two organisations, "two bosses", line 1491) decides
 *   more slowly than a single one;
 * - an unfunded 25% (UNSC 2719 pays at most 75%, lines 139-160) lowers the regional
 *   force's readiness and what it achieves against the armed groups. */
#define _POSIX_C_SOURCE 200809L
#include "evidence.h"

enum { SEEDS = 20, DAYS = 240, DAYS_COORD = 365 };

#define SMALL "population.scale=40", "un.troops=3000", "un.police=420", "partner.troops=3000"

static void test_coordination(void) {
    static const ev_arm arms[3] = {
        {"UN alone", {"partnership.form=traditional_un", SMALL}, 5},
        {"parallel, coordination 0.1", {"partnership.form=parallel", "coordination.quality=0.1", SMALL}, 6},
        {"parallel, coordination 0.9", {"partnership.form=parallel", "coordination.quality=0.9", SMALL}, 6},
    };
    double deaths[3][SEEDS], confusion[3][SEEDS], benefit[3][SEEDS];
    for (int a = 0; a < 3; a++) {
        ev_out out[SEEDS];
        ev_arm_run(&arms[a], SEEDS, DAYS_COORD, 1, out);
        EV_FIELD_A_MONTH(out, SEEDS, onesided, DAYS_COORD, deaths[a]);
        EV_FIELD(out, SEEDS, confusion, confusion[a]);
    }
    for (int a = 1; a < 3; a++)
        for (int i = 0; i < SEEDS; i++) benefit[a][i] = deaths[0][i] - deaths[a][i];
    printf("over %d days, %d seeds (benefit: one-sided civilian deaths a month averted against the UN alone):\n", DAYS_COORD,
           SEEDS);
    CHECK(ev_greater_paired("poor coordination raises confusion events", arms[1].label, confusion[1], arms[2].label,
                            confusion[2], SEEDS, 5.0));
    CHECK(ev_greater_paired("good coordination: the parallel benefit", "benefit, coordination 0.9", benefit[2],
                            "benefit, coordination 0.1", benefit[1], SEEDS, 0.5));
}

static void test_hybrid_decides_slowly(void) {
    /* the UN re-plans every 3 days (its command latency); in a hybrid it also waits for
     * the partner's chain (1 day): the days between its redeployment decisions */
    static const ev_arm arms[2] = {
        {"UN in parallel (own command)", {"partnership.form=parallel", "population.scale=200", "legitimacy=0.5"}, 3},
        {"hybrid (joint command)", {"partnership.form=hybrid", "population.scale=200", "legitimacy=0.5"}, 3},
    };
    enum { N = 10 };
    double gap[2][N];
    for (int a = 0; a < 2; a++)
        for (int i = 0; i < N; i++) {
            ev_out r = ev_run(&arms[a], (uint64_t)(i + 1), 300, 1);
            REQUIRE(r.redeploy_gap > 0);
            gap[a][i] = r.redeploy_gap;
        }
    printf("mean days between the UN's redeployment decisions, %d seeds:\n", N);
    CHECK(ev_greater_paired("a hybrid command decides more slowly", arms[1].label, gap[1], arms[0].label, gap[0], N, 0.5));
}

static void test_funding_gap(void) {
    static const ev_arm arms[2] = {
        {"gap covered by donors", {"partnership.form=regional_led", "funding.gap_covered=1", "population.scale=40"}, 3},
        {"25% unfunded", {"partnership.form=regional_led", "funding.gap_covered=0", "population.scale=40"}, 3},
    };
    double ready[2][SEEDS], taken[2][SEEDS], deaths[2][SEEDS];
    for (int a = 0; a < 2; a++) {
        ev_out out[SEEDS];
        ev_arm_run(&arms[a], SEEDS, DAYS, 1, out);
        EV_FIELD(out, SEEDS, readiness_p, ready[a]);
        EV_FIELD(out, SEEDS, neutralised_p, taken[a]);
        EV_FIELD_A_MONTH(out, SEEDS, deaths, DAYS, deaths[a]);
    }
    printf("the regional force over %d days, %d seeds:\n", DAYS, SEEDS);
    CHECK(ev_greater_paired("an unfunded 25% lowers its readiness", arms[0].label, ready[0], arms[1].label, ready[1], SEEDS,
                            0.05));
    CHECK(ev_greater_paired("... and the fighters it takes out of action", arms[0].label, taken[0], arms[1].label, taken[1],
                            SEEDS, 10.0));
    ev_stat d0 = ev_stats(deaths[0], SEEDS), d1 = ev_stats(deaths[1], SEEDS);
    printf("  (civilian deaths a month: %.1f covered, %.1f unfunded — not a significant difference in the lab)\n", d0.mean,
           d1.mean);
}

int main(void) {
    RUN(test_coordination);
    RUN(test_hybrid_decides_slowly);
    RUN(test_funding_gap);
    return test_summary();
}
