-- epstein_model1.lua — Epstein's civil-violence Model I (Epstein 2002, PNAS 99 suppl 3).
--
-- What it teaches: how a regime's legitimacy, the density of police and the length of
-- jail terms shape mass protest. Citizens on a torus turn active when grievance
-- (hardship x (1 - legitimacy)) minus their risk aversion x the estimated arrest
-- probability exceeds a threshold; cops arrest active citizens in sight. Watch the
-- `active` column of indicators.csv: long quiet spells broken by sudden outbursts
-- (punctuated equilibrium), and a sudden drop of legitimacy (`legitimacy_schedule=jump`)
-- igniting a revolt. Defaults are NetLogo's Rebellion; Mesa's settings are
--   --set neighbourhood=von_neumann --set arrest_rounding=round --set jail_draw=up_to_max
--   --set cop_density=0.074 --set legitimacy=0.8 --set max_jail=1000
-- Legitimacy paradox (Epstein 2002 Figs 9-10; the paper's unrounded arrest probability):
--   --set arrest_rounding=none --set max_jail=1000 --set legitimacy_schedule=jump
--   --set legitimacy_end=0.45 --set jump_day=50 --days 300   (a large outburst), against
--   --set legitimacy_schedule=gradual --set legitimacy_end=0.2  (a larger fall, no outburst)
-- Try:  pkosim run scenarios/epstein_model1.lua --days 500
--       pkosim bench scenarios/epstein_model1.lua --set grid=1200 --set activation=parallel --threads 2
return {
  name = "epstein_model1",
  description = "Epstein's civil violence, Model I: citizens and cops on a torus",
  days = 500,
  params = {
    grid = { type = "int", default = 40, min = 15, max = 20000, description = "cells per side of the torus" },
    citizen_density = { type = "number", default = 0.7, min = 0, max = 1, description = "citizens per cell" },
    cop_density = { type = "number", default = 0.04, min = 0, max = 1, description = "cops per cell" },
    vision = { type = "int", default = 7, min = 1, max = 20, description = "how far agents see, cells" },
    neighbourhood = { type = "choice", default = "moore", choices = { "moore", "von_neumann", "disc" },
      description = "shape of the vision (disc = NetLogo's in-radius)" },
    legitimacy = { type = "number", default = 0.82, min = 0, max = 1, description = "regime legitimacy L (first day)" },
    legitimacy_schedule = { type = "choice", default = "constant", choices = { "constant", "gradual", "jump" },
      description = "constant; gradual: linear to legitimacy_end on the last day; jump: at jump_day" },
    legitimacy_end = { type = "number", default = 0.82, min = 0, max = 1, description = "legitimacy at the end (gradual, jump)" },
    jump_day = { type = "int", default = 250, min = 1, max = 1000000, description = "day of the jump" },
    max_jail = { type = "int", default = 30, min = 0, max = 65535, description = "longest jail term, steps" },
    jail_draw = { type = "choice", default = "below_max", choices = { "below_max", "up_to_max" },
      description = "jail term 0..max_jail-1 (NetLogo) or 0..max_jail (Mesa)" },
    threshold = { type = "number", default = 0.1, min = -10, max = 10, description = "activation threshold T" },
    k = { type = "number", default = 2.3, min = 0, max = 1000, description = "arrest probability constant" },
    arrest_rounding = { type = "choice", default = "floor", choices = { "none", "floor", "round" },
      description = "C/A floored (NetLogo), rounded (Mesa) or exact (the paper)" },
    movement = { type = "bool", default = true, description = "agents move to a random empty cell in vision" },
    activation = { type = "choice", default = "random_sequential", choices = { "random_sequential", "parallel" },
      description = "Epstein's serial activation, or a synchronous thread-count-independent one" },
  },
  epstein = function(p)
    return {
      model = 1, width = p.grid, height = p.grid,
      citizen_density = p.citizen_density, cop_density = p.cop_density,
      vision = p.vision, neighbourhood = p.neighbourhood,
      legitimacy = p.legitimacy, legitimacy_end = p.legitimacy_end,
      legitimacy_schedule = p.legitimacy_schedule, jump_day = p.jump_day,
      max_jail = p.max_jail, jail_draw = p.jail_draw, threshold = p.threshold, k = p.k,
      arrest_rounding = p.arrest_rounding, movement = p.movement, activation = p.activation,
    }
  end,
}
