/* lua_evidence_troops.c — issue 4: more UN troops and police lower civilian deaths, with
 * diminishing returns (the shape Hultman, Kathman & Shannon 2013 report), in
 * scenarios/mandate_lab.lua with a UN mission alone of 0, 2 000, 4 000 and 8 000 troops
 * (police in proportion, one to six) over 20 seeds (tests/unit/evidence.h). */
#define _POSIX_C_SOURCE 200809L
#include "evidence.h"

enum { SEEDS = 20, DAYS = 180 };

static void test_more_troops_diminishing_returns(void) {
    static const int troops[4] = {0, 2000, 4000, 8000};
    double deaths[4][SEEDS];
    char label[4][64];
    for (int k = 0; k < 4; k++) {
        ev_arm arm = {"", {"partnership.form=traditional_un", "population.scale=40"}, 2};
        char t[64], p[64];
        snprintf(t, sizeof t, "un.troops=%d", troops[k]);
        snprintf(p, sizeof p, "un.police=%d", troops[k] / 6);
        snprintf(label[k], sizeof label[k], "%d troops + %d police", troops[k], troops[k] / 6);
        arm.label = label[k];
        arm.sets[arm.n_sets++] = t;
        arm.sets[arm.n_sets++] = p;
        ev_out out[SEEDS];
        ev_arm_run(&arm, SEEDS, DAYS, 1, out);
        EV_FIELD_A_MONTH(out, SEEDS, deaths, DAYS, deaths[k]);
    }
    printf("civilian deaths a month over %d days, %d seeds:\n", DAYS, SEEDS);
    CHECK(ev_greater_paired("2 000 troops lower deaths", label[0], deaths[0], label[1], deaths[1], SEEDS, 10.0));
    CHECK(ev_greater_paired("4 000 lower them further", label[1], deaths[1], label[2], deaths[2], SEEDS, 2.0));
    CHECK(ev_greater_paired("8 000 lower them further", label[2], deaths[2], label[3], deaths[3], SEEDS, 1.0));
    /* diminishing returns: deaths averted per 1 000 troops fall with each step */
    double m[4];
    for (int k = 0; k < 4; k++) m[k] = ev_stats(deaths[k], SEEDS).mean;
    double per1 = (m[0] - m[1]) / 2.0, per2 = (m[1] - m[2]) / 2.0, per3 = (m[2] - m[3]) / 4.0;
    printf("  deaths averted a month per 1 000 troops: 0 -> 2 000: %.2f, 2 000 -> 4 000: %.2f, 4 000 -> 8 000: %.2f\n", per1,
           per2, per3);
    CHECK(per1 > 1.5 * per2 && per2 > 1.5 * per3);
}

int main(void) {
    RUN(test_more_troops_diminishing_returns);
    return test_summary();
}
