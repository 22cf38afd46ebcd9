/* lua_evidence_protection.c — issue 4, evidence on protection of civilians, in
 * scenarios/mandate_lab.lua over 20 seeds (paired comparisons of means over the same
 * seeds, with a stated margin and twice the standard error; tests/unit/evidence.h):
 * a UN mission alone lowers civilian deaths against no mission; the UN and a regional
 * partner in parallel lower them more than either alone (minutes line 135). Forces of
 * 3 000 each, so that neither saturates protection on its own, both under defence-of-
 * mandate rules (the partner's mandate still puts half its companies on offensives), so
 * that the comparison is about the partnership rather than the rules of engagement; agents
 * of 40 persons and 240 days to keep the test quick. With the lab's default offensive
 * rules for the partner, parallel is lower than the UN alone on average too (about 16 vs
 * 21 a month) but not by twice the standard error over 30 seeds: the partner then hunts
 * bands rather than holding the districts where people are. */
#define _POSIX_C_SOURCE 200809L
#include "evidence.h"

enum { SEEDS = 20, DAYS = 240 };

#define SMALL "population.scale=40", "un.troops=3000", "un.police=420", "partner.troops=3000", "partner.roe=defence_of_mandate"

static void test_parallel_deployment_protects_most(void) {
    static const ev_arm arms[4] = {
        {"no mission", {"partnership.form=none", SMALL}, 6},
        {"UN alone", {"partnership.form=traditional_un", SMALL}, 6},
        {"partner alone", {"partnership.form=partner_only", SMALL}, 6},
        {"UN + partner in parallel", {"partnership.form=parallel", SMALL}, 6},
    };
    double deaths[4][SEEDS];
    for (int a = 0; a < 4; a++) {
        ev_out out[SEEDS];
        ev_arm_run(&arms[a], SEEDS, DAYS, 1, out);
        EV_FIELD_A_MONTH(out, SEEDS, deaths, DAYS, deaths[a]);
    }
    printf("civilian deaths a month over %d days, %d seeds:\n", DAYS, SEEDS);
    CHECK(ev_greater_paired("a UN mission alone lowers civilian deaths", arms[0].label, deaths[0], arms[1].label, deaths[1],
                            SEEDS, 20.0));
    /* (a partner alone against no mission: lua_evidence_exit.c, with its own offensive rules) */
    CHECK(ev_greater_paired("parallel lowers them more than the UN alone", arms[1].label, deaths[1], arms[3].label,
                            deaths[3], SEEDS, 2.0));
    CHECK(ev_greater_paired("... and more than the partner alone", arms[2].label, deaths[2], arms[3].label, deaths[3], SEEDS,
                            10.0));
}

int main(void) {
    RUN(test_parallel_deployment_protects_most);
    return test_summary();
}
