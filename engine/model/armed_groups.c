/* armed_groups.c — phase 5, armed-group decisions: recruits who joined (phase 7 of the
 * day before) reinforce the faction's weakest band; a faction with recruits but no band
 * keeps them waiting in its pool (forming new bands comes with issue #3). Attacks are
 * resolved in phase 6. */
#include "model.h"

void pk_phase_armed_groups(pk_world *w) {
    for (int32_t f = 0; f < w->n_factions; f++) {
        if (w->def.factions[f].kind != PK_FACTION_ARMED_GROUP) continue;
        int32_t recruits = (int32_t)w->recruit_pool[f];
        if (recruits <= 0) continue;
        int32_t weakest = -1;
        for (int32_t s = 0; s < w->u_slots; s++) {
            if (w->u_slot[s] != PK_SLOT_LIVE || w->u_faction[s] != f) continue;
            if (weakest < 0 || w->u_strength[s] < w->u_strength[weakest]) weakest = s;
        }
        if (weakest < 0) continue; /* no band to join: recruits wait (a later issue forms new bands) */
        w->u_strength[weakest] += recruits;
        w->recruit_pool[f] -= (float)recruits;
    }
}
