/* pkosim/pkosim.h — the public API of the pkosim core in one include. */
#ifndef PKOSIM_PKOSIM_H
#define PKOSIM_PKOSIM_H
#include "pkosim/types.h"
#include "pkosim/rng.h"
#include "pkosim/map.h"
#include "pkosim/world.h"
#include "pkosim/epstein.h"
#define PKOSIM_VERSION "0.1.0"
#endif
