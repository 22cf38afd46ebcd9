/* output.h — the run's result files (DESIGN §5): DIR/summary.json, DIR/indicators.csv
 * (one row per day), DIR/events.jsonl (one JSON object per event) and DIR/causes.csv (the
 * cause log: every change of trust, legitimacy and needs met with its causes). Everything is
 * written into a temporary folder beside DIR and moved into place only when the run has
 * finished, so a failed run leaves no half-written output and never destroys the
 * results of an earlier run. */
#ifndef PK_OUTPUT_H
#define PK_OUTPUT_H

#include "pkosim/pkosim.h"

typedef struct pk_output pk_output;

/* A parameter in force, recorded in summary.json. */
typedef struct pk_output_param {
    const char *name;
    const char *value;
} pk_output_param;

typedef struct pk_run_info {
    const char *scenario;      /* the scenario's name */
    const char *scenario_file; /* the path it was loaded from */
    uint64_t seed;
    int32_t days;
    int n_params;
    const pk_output_param *params;
} pk_run_info;

/* Start writing results for `dir` (created when the run finishes). */
pk_output *pk_output_open(const char *dir, const pk_world *w, pk_error *err);
/* Append the day just stepped: one indicators row and the day's new events. */
pk_status pk_output_day(pk_output *out, const pk_world *w, pk_error *err);
/* Write summary.json, close the files and move the folder into place (replacing an
 * earlier run's folder only now). Frees out in every case. */
pk_status pk_output_finish(pk_output *out, const pk_world *w, const pk_run_info *info, pk_error *err);
/* Give up: remove the temporary folder. Frees out; NULL is allowed. */
void pk_output_abort(pk_output *out);

/* One event as a JSON object (no trailing newline) into buf; returns buf. Also used by
 * the view's ticker and by tests. */
char *pk_output_event_json(const pk_world *w, const pk_event *e);

#endif
