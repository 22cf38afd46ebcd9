/* story.c — the event ticker: each event of the world told as one sentence in plain
 * language, with the names a class knows ("Day 34 — ambush near Jokovu: 3 AU soldiers
 * killed"; "AU Force in Carana sends AU battalion 2 to Lumeni"). Routine events (arrests,
 * returns, recruitment) are left out of the ticker; the same incident repeated on a day is
 * one line ("3 clashes between AU and CLF near Jokovu: 24 killed"); what is told is kept in
 * a ring for the ticker, the console and the district details. */
#include <stdio.h>
#include <string.h>

#include "view_internal.h"

int pv_faction_short(const pv_view *v, int32_t f, char *out, size_t n) {
    if (f < 0 || f >= v->d.n_factions) return snprintf(out, n, "unknown forces");
    const pk_faction_def *fd = &v->d.factions[f];
    if (fd->kind == PK_FACTION_HOST_GOV) return snprintf(out, n, "government");
    if (fd->kind == PK_FACTION_HUMANITARIAN) return snprintf(out, n, "humanitarian");
    /* the first word when it is an acronym ("UN Mission..." -> UN, "AU Force..." -> AU) */
    size_t len = strcspn(fd->name, " ");
    int caps = len >= 2 && len <= 6;
    for (size_t i = 0; i < len && caps; i++) caps = fd->name[i] >= 'A' && fd->name[i] <= 'Z';
    if (caps) return snprintf(out, n, "%.*s", (int)len, fd->name);
    size_t k = 0;
    for (const char *p = fd->id; *p && k + 1 < n; p++) out[k++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    out[k] = '\0';
    return (int)k;
}

/* "near Jokovu" when a town or camp is within 5 cells, else "in <district>". */
static void where(const pv_view *v, const pk_event *e, char *out, size_t n) {
    const pk_map *m = v->map;
    if (e->cell >= 0) {
        int ex = e->cell % m->width, ey = e->cell / m->width, best = -1, bd = 26;
        for (int s = 0; s < m->n_sites; s++) {
            const pk_site *st = &m->sites[s];
            if (st->kind != PK_SITE_TOWN && st->kind != PK_SITE_CAMP && st->kind != PK_SITE_PROTECTION_SITE &&
                st->kind != PK_SITE_VILLAGE)
                continue;
            int dx = st->cell % m->width - ex, dy = st->cell / m->width - ey, d2 = dx * dx + dy * dy;
            if (d2 < bd) {
                bd = d2;
                best = s;
            }
        }
        if (best >= 0) {
            snprintf(out, n, "near %s", m->sites[best].name);
            return;
        }
    }
    if (e->region >= 0 && e->region < m->n_regions) snprintf(out, n, "in %s", m->regions[e->region].name);
    else snprintf(out, n, "in the mission area");
}

static const char *persons(int c) { return c == 1 ? "person" : "people"; }

/* "a" or "an" before a name as it is read aloud. An acronym read letter by letter takes
 * the sound of its first letter ("an AU post", "an HRPM post", "a UN post"); one read as
 * a word (four letters or more with a vowel second: NATO, MINUSCA, SADC) and any other
 * word take their first letter's ("a NATO post", "an ECOWAS post", "a government post"). */
const char *pv_article(const char *name) {
    if (!name[0]) return "a";
    size_t n = 0;
    int caps = 1;
    for (; name[n] && name[n] != ' '; n++)
        if (name[n] < 'A' || name[n] > 'Z') caps = 0;
    int spelled = n >= 2 && caps && !(n >= 4 && strchr("AEIOU", name[1]));
    if (spelled) return strchr("AEFHILMNORSX", name[0]) ? "an" : "a";
    return strchr("aeioAEIO", name[0]) ? "an" : "a"; /* "a UNAMID", "a union": U reads "you" */
}

/* A force as the subject of a sentence: its full name ("AU Force in Carana") for missions,
 * forces and the government, the short name ("CLF") for armed groups as elsewhere. */
static void actor(const pv_view *v, int32_t f, char *out, size_t n) {
    if (f >= 0 && f < v->d.n_factions && v->d.factions[f].kind != PK_FACTION_ARMED_GROUP && v->d.factions[f].name[0])
        snprintf(out, n, "%s", v->d.factions[f].name);
    else
        pv_faction_short(v, f, out, n);
}

/* The district of an event that concerns a whole district (the cell is its centre). */
static const char *district(const pv_view *v, const pk_event *e) {
    return e->region >= 0 && e->region < v->map->n_regions ? v->map->regions[e->region].name : "the mission area";
}

/* 12345 -> "12,345" */
static const char *num(char *buf, size_t n, int x) {
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%d", x < 0 ? -x : x);
    size_t len = strlen(tmp), k = 0;
    if (x < 0) buf[k++] = '-';
    for (size_t i = 0; i < len && k + 2 < n; i++) {
        buf[k++] = tmp[i];
        if ((len - i - 1) % 3 == 0 && i + 1 < len) buf[k++] = ',';
    }
    buf[k] = '\0';
    return buf;
}

int pv_event_sentence(const pv_view *v, const pk_event *e, char *out, size_t n) { return pv_events_sentence(v, e, 1, out, n); }

/* Whether two told events of a day are one line of the ticker: the same kind of incident
 * by the same hands against the same people at the same place (pv_story_from_events). */
int pv_events_alike(const pv_view *v, const pk_event *a, const pk_event *b) {
    switch (a->type) {
    case PK_EV_ATTACK_CIVILIANS: case PK_EV_CLASH: case PK_EV_AMBUSH: case PK_EV_COMMUNAL: case PK_EV_DISPLACEMENT:
    case PK_EV_REFUGEES: case PK_EV_EXCESS_DEATHS: case PK_EV_BASE_RAID: case PK_EV_CONVOY_ATTACK: case PK_EV_DDR:
    case PK_EV_COLLATERAL: case PK_EV_AID:
        break;
    default: /* injects, notes, exits, decisions: each its own line */
        return 0;
    }
    if (a->type != b->type || a->day != b->day || a->faction != b->faction || a->target_faction != b->target_faction ||
        a->group != b->group || a->region != b->region || (a->count > 0) != (b->count > 0))
        return 0;
    char wa[96], wb[96];
    where(v, a, wa, sizeof wa);
    where(v, b, wb, sizeof wb);
    return strcmp(wa, wb) == 0;
}

int pv_events_sentence(const pv_view *v, const pk_event *e, int times, char *out, size_t n) {
    char at[96], fa[64], tg[64], grp[PK_NAME_MAX + 16] = "";
    where(v, e, at, sizeof at);
    pv_faction_short(v, e->faction, fa, sizeof fa);
    pv_faction_short(v, e->target_faction, tg, sizeof tg);
    if (e->group >= 0 && e->group < v->d.n_groups && !strstr(v->d.group_name[e->group], "ivilian"))
        snprintf(grp, sizeof grp, "%s ", v->d.group_name[e->group]);
    char body[640], cnt[32];
    num(cnt, sizeof cnt, e->count);
    int sev = 1;
    switch (e->type) {
    case PK_EV_INJECT:
        snprintf(body, sizeof body, "%s", e->text);
        sev = 2;
        break;
    case PK_EV_LOG:
        snprintf(body, sizeof body, "note: %s", e->text);
        sev = 1;
        break;
    case PK_EV_ATTACK_CIVILIANS:
        if (e->count <= 0) return -1;
        if (times > 1) snprintf(body, sizeof body, "%s attack %scivilians %s %d times: %s killed", fa, grp, at, times, cnt);
        else snprintf(body, sizeof body, "%s attack %scivilians %s: %s killed", fa, grp, at, cnt);
        sev = 2;
        break;
    case PK_EV_CLASH:
        if (times > 1 && e->count > 0) snprintf(body, sizeof body, "%d clashes between %s and %s %s: %s killed", times, fa, tg, at, cnt);
        else if (times > 1) snprintf(body, sizeof body, "%d clashes between %s and %s %s, no casualties", times, fa, tg, at);
        else if (e->count > 0) snprintf(body, sizeof body, "clash between %s and %s %s: %s killed", fa, tg, at, cnt);
        else snprintf(body, sizeof body, "clash between %s and %s %s, no casualties", fa, tg, at);
        sev = e->count > 0 ? 2 : 1;
        break;
    case PK_EV_AMBUSH:
        if (times > 1) snprintf(body, sizeof body, "%d ambushes %s: %s %s soldiers killed", times, at, cnt, tg);
        else snprintf(body, sizeof body, "ambush %s: %s %s soldiers killed", at, cnt, tg);
        sev = 2;
        break;
    case PK_EV_COMMUNAL:
        if (times > 1) snprintf(body, sizeof body, "communal violence %s, %d incidents: %s killed", at, times, cnt);
        else snprintf(body, sizeof body, "communal violence %s: %s killed", at, cnt);
        sev = 2;
        break;
    case PK_EV_DISPLACEMENT:
        snprintf(body, sizeof body, "%s %s flee their homes %s", cnt, persons(e->count), at);
        break;
    case PK_EV_REFUGEES:
        snprintf(body, sizeof body, "%s refugees cross the border from %s", cnt,
                 e->region >= 0 ? v->map->regions[e->region].name : "the area");
        break;
    case PK_EV_EXCESS_DEATHS:
        snprintf(body, sizeof body, "%s displaced %s of hunger and disease %s", cnt, e->count == 1 ? "person dies" : "people die", at);
        sev = 2;
        break;
    case PK_EV_UNIT_DESTROYED:
        snprintf(body, sizeof body, "%s %s unit is destroyed %s", pv_article(fa), fa, at);
        sev = 2;
        break;
    case PK_EV_BASE_RAID:
        if (times > 1) snprintf(body, sizeof body, "%s raid %s posts %s %d times: %s killed", fa, tg, at, times, cnt);
        else snprintf(body, sizeof body, "%s raid %s %s post %s: %s killed", fa, pv_article(tg), tg, at, cnt);
        sev = 2;
        break;
    case PK_EV_CONVOY_ATTACK:
        if (times > 1) snprintf(body, sizeof body, "%s attack and loot %d aid convoys %s", fa, times, at);
        else snprintf(body, sizeof body, "%s attack and loot an aid convoy %s", fa, at);
        break;
    case PK_EV_MISINFORMATION:
        if (e->text[0]) snprintf(body, sizeof body, "misinformation: %s", e->text);
        else snprintf(body, sizeof body, "%s spread misinformation against the %s %s", fa, tg, at);
        break;
    case PK_EV_CONSENT_WITHDRAWN:
        snprintf(body, sizeof body, "the government withdraws its consent to the %s: it must leave", tg);
        sev = 2;
        break;
    case PK_EV_CONFUSION: {
        char a[PK_NAME_MAX], b[PK_NAME_MAX];
        actor(v, e->faction, a, sizeof a);
        actor(v, e->target_faction, b, sizeof b);
        snprintf(body, sizeof body, "%s and %s get in each other's way in %s (poor coordination)", a, b, district(v, e));
        break;
    }
    case PK_EV_MISSION_EXIT: {
        char a[PK_NAME_MAX];
        actor(v, e->faction, a, sizeof a);
        if (strstr(e->text, "consent"))
            snprintf(body, sizeof body, "%s leaves the mission area: the government withdrew its consent", a);
        else snprintf(body, sizeof body, "%s leaves the mission area at the end of its deployment", a);
        sev = 2;
        break;
    }
    case PK_EV_DDR: {
        if (e->count <= 0) return -1;
        int32_t ag = -1; /* the armed group whose fighters these were, when the event says */
        if (e->target_faction >= 0 && e->target_faction < v->d.n_factions &&
            v->d.factions[e->target_faction].kind == PK_FACTION_ARMED_GROUP)
            ag = e->target_faction;
        else if (e->faction >= 0 && e->faction < v->d.n_factions && v->d.factions[e->faction].kind == PK_FACTION_ARMED_GROUP)
            ag = e->faction;
        char g[64] = "";
        if (ag >= 0) {
            pv_faction_short(v, ag, g, sizeof g - 1);
            strcat(g, " ");
        }
        snprintf(body, sizeof body, "%s %s%s demobilised in %s", cnt, g, e->count == 1 ? "fighter" : "fighters", district(v, e));
        sev = 0;
        break;
    }
    case PK_EV_BAND_FORMED:
        snprintf(body, sizeof body, "%s forms a new band in %s", fa, district(v, e));
        break;
    case PK_EV_REDEPLOY: {
        char a[PK_NAME_MAX], u[PK_NAME_MAX + 8] = "a unit";
        actor(v, e->faction, a, sizeof a);
        pk_unit_state st;
        if (e->unit.index1 && pk_world_unit(pk_scenario_world(v->sc), e->unit, &st) && st.name[0])
            snprintf(u, sizeof u, "%s", st.name);
        snprintf(body, sizeof body, "%s sends %s to %s", a, u, district(v, e));
        sev = 0;
        break;
    }
    case PK_EV_COLLATERAL: {
        if (e->count <= 0) return -1;
        char a[PK_NAME_MAX], against[80] = "";
        actor(v, e->faction, a, sizeof a);
        if (e->target_faction >= 0 && e->target_faction < v->d.n_factions)
            snprintf(against, sizeof against, " against %s", tg);
        if (times > 1)
            snprintf(body, sizeof body, "%s %s killed in %d operations by %s%s in %s", cnt,
                     e->count == 1 ? "civilian" : "civilians", times, a, against, district(v, e));
        else
            snprintf(body, sizeof body, "%s %s killed in an operation by %s%s in %s", cnt,
                     e->count == 1 ? "civilian" : "civilians", a, against, district(v, e));
        sev = 2;
        break;
    }
    case PK_EV_AID:
        if (e->count <= 0) return -1;
        snprintf(body, sizeof body, "aid reaches %s %s %s", cnt, persons(e->count), at);
        sev = 0;
        break;
    default: /* arrests, returns, recruitment, units added or removed: routine */
        return -1;
    }
    /* capitalise the first letter of the body */
    if (body[0] >= 'a' && body[0] <= 'z') body[0] = (char)(body[0] - 32);
    snprintf(out, n, "Day %d \xE2\x80\x94 %s", e->day, body);
    return sev;
}

void pv_story_from_events(pv_view *v) {
    size_t n;
    const pk_event *ev = pk_world_events(pk_scenario_world(v->sc), &n);
    if (v->events_read > n) v->events_read = 0; /* a restored world */
    for (size_t i = v->events_read; i < n; i++) {
        const pk_event *e = &ev[i];
        if (e->cell >= 0 && (e->type == PK_EV_ATTACK_CIVILIANS || e->type == PK_EV_CLASH || e->type == PK_EV_AMBUSH ||
                             e->type == PK_EV_COMMUNAL || e->type == PK_EV_BASE_RAID || e->type == PK_EV_CONVOY_ATTACK ||
                             e->type == PK_EV_UNIT_DESTROYED || e->type == PK_EV_COLLATERAL)) {
            /* incidents flash where they happen: keep the newest */
            if (v->d.n_flash == PV_FLASH_MAX) {
                memmove(v->d.flash, v->d.flash + 1, sizeof v->d.flash[0] * (PV_FLASH_MAX - 1));
                v->d.n_flash--;
            }
            v->d.flash[v->d.n_flash++] = (pv_flash){e->day, e->cell, e->count, e->type};
        }
        char text[256];
        int sev = pv_event_sentence(v, e, text, sizeof text);
        if (sev < 0) continue;
        /* the same incident again the same day (three clashes in one district): one line
         * that counts them and adds up the dead, not three lines that push the rest out */
        pv_story *same = NULL;
        for (int k = v->n_story - 1; k >= 0 && !same; k--) {
            pv_story *o = &v->story[(v->story_head + k) % PV_STORY_MAX];
            if (o->day != e->day) break;
            if (pv_events_alike(v, &o->ev, e)) same = o;
        }
        if (same) {
            same->ev.count += e->count;
            same->times++;
            sev = pv_events_sentence(v, &same->ev, same->times, text, sizeof text);
            if (sev > same->severity) same->severity = sev;
            snprintf(same->text, sizeof same->text, "%s", text);
            continue;
        }
        pv_story *s = &v->story[(v->story_head + v->n_story) % PV_STORY_MAX];
        if (v->n_story == PV_STORY_MAX) v->story_head = (v->story_head + 1) % PV_STORY_MAX;
        else v->n_story++;
        s->day = e->day;
        s->region = e->region;
        s->severity = sev;
        s->type = e->type;
        s->ev = *e;
        s->times = 1;
        snprintf(s->text, sizeof s->text, "%s", text);
    }
    v->events_read = n;
    /* drop flashes older than three days */
    int k = 0;
    for (int i = 0; i < v->d.n_flash; i++)
        if (v->d.day - v->d.flash[i].day <= 2) v->d.flash[k++] = v->d.flash[i];
    v->d.n_flash = k;
}
