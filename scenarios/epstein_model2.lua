-- epstein_model2.lua — Epstein's civil-violence Model II (Epstein 2002, PNAS 99 suppl 3):
-- two groups, inter-group killing, and peacekeepers.
--
-- What it teaches: what peacekeepers do and do not achieve in communal violence. When
-- the legitimacy each group accords the other is low, active members of one group kill
-- members of the other within sight; peacekeepers hold their posts, arrest the violent
-- and deter them (nobody kills or is killed with a peacekeeper in sight), and threatened
-- civilians flee toward them, so safe havens form. Compare `alive.blue`,
-- `alive.green` and `killings` with peacekeeper_density 0, 0.01 and 0.03, and watch the
-- killing resume after withdraw_day. Rules read from the paper as documented in
-- docs/MODEL.md ("Epstein models"), some of them assumptions.
-- Try:  pkosim run scenarios/epstein_model2.lua --set peacekeeper_density=0.03 --set withdraw_day=150
return {
  name = "epstein_model2",
  description = "Epstein's civil violence, Model II: two groups and peacekeepers",
  days = 300,
  params = {
    grid = { type = "int", default = 40, min = 7, max = 20000, description = "cells per side of the torus" },
    citizen_density = { type = "number", default = 0.7, min = 0, max = 1, description = "citizens per cell" },
    group_share = { type = "number", default = 0.5, min = 0.01, max = 0.99, description = "share of the blue group" },
    peacekeeper_density = { type = "number", default = 0.0, min = 0, max = 1, description = "peacekeepers per cell" },
    withdraw_day = { type = "int", default = 0, min = 0, max = 1000000, description = "peacekeepers leave on this day (0 never)" },
    legitimacy = { type = "number", default = 0.7, min = 0, max = 1, description = "legitimacy each group accords the other" },
    vision = { type = "int", default = 3, min = 1, max = 20, description = "how far agents see, cells" },
    neighbourhood = { type = "choice", default = "moore", choices = { "moore", "von_neumann", "disc" },
      description = "shape of the vision" },
    max_jail = { type = "int", default = 30, min = 0, max = 65535, description = "longest jail term, steps" },
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
      model = 2, width = p.grid, height = p.grid, citizen_density = p.citizen_density,
      group_share = p.group_share, peacekeeper_density = p.peacekeeper_density, withdraw_day = p.withdraw_day,
      legitimacy = p.legitimacy, vision = p.vision, neighbourhood = p.neighbourhood, max_jail = p.max_jail,
      threshold = p.threshold, k = p.k, arrest_rounding = p.arrest_rounding, movement = p.movement,
      activation = p.activation,
    }
  end,
}
