/* lua_evidence_exit.c — issue 4, the "test of time" (minutes lines 638 and 658): a
 * military-heavy regional force alone cuts violence while it is deployed, but after it
 * leaves violence returns more than after a UN mission leaves, over the ten years after
 * exit. scenarios/mandate_lab.lua, forces leave after day 180, runs go on for ten more
 * years; 20 seeds, paired comparisons (tests/unit/evidence.h); agents of 200 persons to
 * keep a decade quick. What differs after exit is what each force left behind: the UN's
 * civilian components built services and a political process; the partner fought. */
#define _POSIX_C_SOURCE 200809L
#include "evidence.h"

enum { SEEDS = 20, EXIT = 180, AFTER = 3650 };

static void test_partner_alone_does_not_last(void) {
    static const ev_arm none = {"no mission", {"partnership.form=none", "population.scale=200"}, 2};
    static const ev_arm partner = {"partner alone", {"partnership.form=partner_only", "population.scale=200", "exit.day=180"}, 3};
    static const ev_arm un = {"UN alone", {"partnership.form=traditional_un", "population.scale=200", "exit.day=180"}, 3};
    double d_none[SEEDS], d_partner[SEEDS], a_partner[SEEDS], a_un[SEEDS];
    for (int i = 0; i < SEEDS; i++) {
        d_none[i] = ev_run(&none, (uint64_t)(i + 1), EXIT, 1).deaths * 30.4 / EXIT;
        ev_out p = ev_run(&partner, (uint64_t)(i + 1), EXIT + AFTER, EXIT + 1);
        d_partner[i] = p.deaths_before * 30.4 / EXIT;
        a_partner[i] = p.deaths * 30.4 / AFTER;
        a_un[i] = ev_run(&un, (uint64_t)(i + 1), EXIT + AFTER, EXIT + 1).deaths * 30.4 / AFTER;
    }
    printf("civilian deaths a month, %d seeds:\n", SEEDS);
    CHECK(ev_greater_paired("while deployed the partner cuts violence", "no mission, days 1-180", d_none,
                            "partner, days 1-180", d_partner, SEEDS, 10.0));
    CHECK(ev_greater_paired("after it leaves, violence returns more", "partner, 10 years after", a_partner,
                            "UN, 10 years after", a_un, SEEDS, 10.0));
    ev_stat sp = ev_stats(d_partner, SEEDS), ap = ev_stats(a_partner, SEEDS);
    printf("  with the partner alone: %.1f a month while it is deployed, %.1f a month in the decade after it leaves\n", sp.mean,
           ap.mean);
}

int main(void) {
    RUN(test_partner_alone_does_not_last);
    return test_summary();
}
