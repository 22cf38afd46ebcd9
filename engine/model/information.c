/* information.c — phase 9, information and trust. Trust of each civilian group in each
 * region toward each faction moves with what the faction does there: presence that
 * protects, aids or engages raises it; killing the group's members lowers it; violence a
 * present security force fails to stop lowers it a little. Trust falls faster than it
 * rises (DESIGN §3): gains scale with (1 - trust) and trust_gain, losses with trust and
 * the larger trust_loss. Later issues add misinformation and narratives here. */
#include "model.h"

void pk_phase_information(pk_world *w) {
    const int32_t R = w->n_regions, G = w->n_groups, F = w->n_factions;
    const double gain = w->params[PK_PARAM_TRUST_GAIN], loss = w->params[PK_PARAM_TRUST_LOSS];
    /* presence[f*R + r]: the faction has a unit there doing something for people */
    uint8_t presence[PK_MAX_FACTIONS * PK_MAX_REGIONS] = {0};
    for (int32_t s = 0; s < w->u_slots; s++) {
        if (w->u_slot[s] != PK_SLOT_LIVE) continue;
        pk_task t = (pk_task)w->u_task[s];
        if (t == PK_TASK_PATROL || t == PK_TASK_OFFENSIVE || t == PK_TASK_PROTECT || t == PK_TASK_AID || t == PK_TASK_ENGAGE ||
            t == PK_TASK_ESCORT || t == PK_TASK_REPAIR || t == PK_TASK_OBSERVE)
            presence[w->u_faction[s] * R + pk__cell_region(w, w->u_cell[s])] = 1;
    }
    for (int32_t g = 0; g < G; g++)
        for (int32_t r = 0; r < R; r++) {
            double persons = (double)w->alive_rg[r * G + g] * w->def.scale + 1.0;
            for (int32_t f = 0; f < F; f++) {
                float *t = &w->trust[pk__trust_index(w, g, r, f)];
                pk_faction_kind k = w->def.factions[f].kind;
                double delta = 0;
                if (presence[f * R + r]) delta += gain * (1.0 - *t);
                double killed = w->kills[((size_t)f * R + r) * G + g];
                /* losing 1% of the group here to this faction's hands costs trust_loss of the
                 * trust (5% at the default); losing 20% costs all of it */
                if (killed > 0) delta -= loss * 100.0 * killed / persons * *t;
                if (pk__is_security(k) && presence[f * R + r])
                    delta -= loss * 0.2 * w->insecurity[r] * *t;
                if (k == PK_FACTION_ARMED_GROUP && w->def.groups[g].sympathises_with == f) delta += gain * 0.5 * (1.0 - *t);
                *t = pk__clamp01((float)(*t + delta));
            }
        }
}
