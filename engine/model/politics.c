/* politics.c — phase 10, political process and consent. Political progress advances
 * when violence is low and falls back when it is high; the host government's consent to
 * each foreign mission erodes when that mission harms civilians and slowly recovers.
 * Later issues add phases of the peace process, spoilers, Security Council unity and the
 * withdrawal of consent (minutes line 1419). */
#include "model.h"

void pk_phase_politics(pk_world *w) {
    const int32_t R = w->n_regions, G = w->n_groups;
    double pop = 0, insec = 0;
    for (int32_t r = 0; r < R; r++) {
        pop += w->population[r];
        insec += w->population[r] * w->insecurity[r];
    }
    double mean_insec = pop > 0 ? insec / pop : 0;
    const double rate = w->params[PK_PARAM_PROGRESS_RATE];
    /* progress gains when mean insecurity is below 1/3 and loses above it (assumption) */
    double p = w->political_progress + rate * (1.0 - 3.0 * mean_insec);
    w->political_progress = p < 0 ? 0 : (p > 1 ? 1 : p);
    const double sens = w->params[PK_PARAM_CONSENT_SENSITIVITY];
    for (int32_t f = 0; f < w->n_factions; f++) {
        if (!pk_faction_is_mission(w->def.factions[f].kind)) continue;
        double harm = 0;
        for (int32_t r = 0; r < R; r++)
            for (int32_t g = 0; g < G; g++) harm += w->kills[((size_t)f * R + r) * G + g];
        double c = w->consent[f] - sens * harm / 10.0 + sens * 0.1 * (1.0 - w->consent[f]);
        w->consent[f] = pk__clamp01((float)c);
    }
}
