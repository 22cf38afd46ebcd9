/* humanitarian.c — phase 8, humanitarian delivery. Needs met in each region relax toward
 * what government services and aid provide; aid reaches people in proportion to access,
 * which insecurity lowers and escorts restore. Later issues add each armed group's view
 * of the deliverer's neutrality (DESIGN §3, phase 8). */
#include "model.h"

void pk_phase_humanitarian(pk_world *w) {
    const int32_t R = w->n_regions;
    double aid[PK_MAX_REGIONS] = {0}, escort[PK_MAX_REGIONS] = {0};
    int32_t aid_faction[PK_MAX_REGIONS];
    for (int32_t r = 0; r < R; r++) aid_faction[r] = -1;
    for (int32_t s = 0; s < w->u_slots; s++) {
        if (w->u_slot[s] != PK_SLOT_LIVE) continue;
        int32_t r = pk__cell_region(w, w->u_cell[s]);
        double eff = (double)w->u_strength[s] * w->u_readiness[s];
        if (w->u_task[s] == PK_TASK_AID) {
            aid[r] += eff;
            if (aid_faction[r] < 0) aid_faction[r] = w->u_faction[s];
        }
        if (w->u_task[s] == PK_TASK_ESCORT || w->u_task[s] == PK_TASK_PROTECT) escort[r] += eff;
    }
    const double reach = w->params[PK_PARAM_AID_REACH]; /* persons one aid worker serves a day */
    for (int32_t r = 0; r < R; r++) {
        /* escorts win back part of the access insecurity takes: a quarter with 200
         * escorting persons, at most half (assumption) */
        double cover = escort[r] / (escort[r] + 200.0);
        double access = 1.0 - w->insecurity[r] * (1.0 - 0.5 * cover);
        w->access[r] = pk__clamp01((float)access);
        /* persons whose needs the deliverers meet today, at the access there */
        double reached = aid[r] * reach * access;
        if (reached > w->population[r]) reached = w->population[r];
        double target = w->services[r] + (w->population[r] > 0 ? reached / w->population[r] : 0.0);
        if (target > 1) target = 1;
        /* needs move a tenth of the way to the target each day (assumption) */
        w->needs_met[r] = pk__clamp01((float)(w->needs_met[r] + (target - w->needs_met[r]) * 0.1));
        /* a weekly report of the aid that got through: persons reached */
        if (aid[r] > 0 && w->day % 7 == 0) {
            pk__event(w, PK_EV_AID, r, w->region_centre[r], aid_faction[r], -1, -1, (int32_t)reached, (pk_unit_id){0, 0}, NULL);
        }
    }
}
