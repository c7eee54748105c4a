/*
 * backend/runtime/rt_objects.h — the runtime's objects, embedded in ws.
 *
 * Owns: nothing at run time; the table is generated at build time by
 * backend/runtime/module.mk from the freestanding runtime (the .c files beside it,
 * whose ABI is rt.h). ws hands these objects to the linker as in-memory inputs of
 * every bin crate, beside the crate's own objects.
 */
#ifndef RT_OBJECTS_H
#define RT_OBJECTS_H

#include <stddef.h>

/* One ELF64 x86-64 relocatable object (ET_REL) of the runtime. */
typedef struct RtObject {
    const char *name;            /* e.g. "rt/start.o", for diagnostics */
    const unsigned char *data;   /* the object file's bytes (16-byte aligned) */
    size_t size;                 /* in bytes */
} RtObject;

/* Returns the runtime objects (static storage, never NULL) and sets *count. */
const RtObject *rt_objects(size_t *count);

#endif
