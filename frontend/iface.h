/*
 * frontend/iface.h — what the interface writer (iface.c) and loader (iface_load.c)
 * share: the payload's constants (the format is described at the top of iface.c).
 */
#ifndef FRONTEND_IFACE_H
#define FRONTEND_IFACE_H

#include "frontend/stages.h"

#define IFACE_MAGIC "wsiface"  /* 8 bytes with the NUL */
#define IFACE_VERSION 1u
#define IFACE_MAX_DEPTH 256    /* nesting of types and expressions a payload may have */

/* Kinds of diagnostic entries. */
enum { DIAG_ITEM = 1, DIAG_FIELD = 2, DIAG_METHOD = 3 };

/* The crate's FeExterns, made on first use. */
FeExterns *iface_externs(FeCrate *c);

#endif
