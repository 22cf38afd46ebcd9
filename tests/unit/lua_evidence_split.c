/* lua_evidence_split.c — issue 4, evidence on MATSUMURA's split mission and on
 * misinformation, in scenarios/mandate_lab.lua over 20 seeds (paired comparisons;
 * tests/unit/evidence.h):
 * - under a forceful PKO mandate (offensive rules of engagement, enforcement first), a
 *   split mission (PKO + a neutral Human Rights Protection Mission that coordinates the
 *   humanitarian agencies) keeps more humanitarian access and more trust in humanitarian
 *   work than a unified mission, at a higher cost (minutes lines 1340-1400, 1603-1625);
 * - misinformation lowers trust in and freedom of movement of its target; community
 *   engagement limits the damage (line 510; UN DPO survey 2025). */
#define _POSIX_C_SOURCE 200809L
#include "evidence.h"

enum { SEEDS = 20, DAYS = 240 };

#define FORCEFUL "population.scale=40", "un.roe=offensive", "un.mandate=enforcement,poc,humanitarian_access,human_rights,political"

static void test_split_mission(void) {
    static const ev_arm arms[2] = {
        {"unified mission", {"partnership.form=traditional_un", FORCEFUL}, 4},
        {"split mission", {"partnership.form=split", FORCEFUL}, 4},
    };
    double access[2][SEEDS], trust[2][SEEDS], cost[2][SEEDS];
    for (int a = 0; a < 2; a++) {
        ev_out out[SEEDS];
        ev_arm_run(&arms[a], SEEDS, DAYS, 1, out);
        EV_FIELD(out, SEEDS, access, access[a]);
        EV_FIELD(out, SEEDS, trust_hum, trust[a]);
        EV_FIELD(out, SEEDS, cost, cost[a]);
    }
    printf("under a forceful PKO mandate, means over %d days, %d seeds:\n", DAYS, SEEDS);
    CHECK(ev_greater_paired("the split keeps more humanitarian access", arms[1].label, access[1], arms[0].label, access[0],
                            SEEDS, 0.02));
    CHECK(ev_greater_paired("... and more trust in humanitarian work", arms[1].label, trust[1], arms[0].label, trust[0], SEEDS,
                            0.005));
    CHECK(ev_greater_paired("... at a higher cost (USD a day)", arms[1].label, cost[1], arms[0].label, cost[0], SEEDS,
                            100000.0));
}

static void test_misinformation(void) {
    static const ev_arm arms[3] = {
        {"no misinformation", {"partnership.form=traditional_un", "population.scale=40", "misinformation.level=0"}, 3},
        {"misinformation", {"partnership.form=traditional_un", "population.scale=40", "misinformation.level=0.8"}, 3},
        {"misinformation, engagement first",
         {"partnership.form=traditional_un", "population.scale=40", "misinformation.level=0.8",
          "un.mandate=engagement,poc,political,humanitarian_access,human_rights"},
         4},
    };
    double trust[3][SEEDS], fom[3][SEEDS];
    for (int a = 0; a < 3; a++) {
        ev_out out[SEEDS];
        ev_arm_run(&arms[a], SEEDS, DAYS, 1, out);
        EV_FIELD(out, SEEDS, trust_un, trust[a]);
        EV_FIELD(out, SEEDS, fom_un, fom[a]);
    }
    printf("the UN mission, means over %d days, %d seeds:\n", DAYS, SEEDS);
    CHECK(ev_greater_paired("misinformation lowers trust in its target", arms[0].label, trust[0], arms[1].label, trust[1],
                            SEEDS, 0.02));
    CHECK(ev_greater_paired("... and its freedom of movement", arms[0].label, fom[0], arms[1].label, fom[1], SEEDS, 0.005));
    CHECK(ev_greater_paired("community engagement limits the damage", arms[2].label, trust[2], arms[1].label, trust[1], SEEDS,
                            0.02));
}

int main(void) {
    RUN(test_split_mission);
    RUN(test_misinformation);
    return test_summary();
}
