/* tests/unit/fake_fe.h — a stand-in frontend for the ws driver's tests, so that they run
 * without the real one. Its "language", line by line:
 *
 *   mod NAME          reads NAME.rs beside the root file (a module file)
 *   pub sig TEXT      an interface item named by TEXT's first word: its hash is the line
 *   pub use DEP       re-exports every item of dependency DEP's interface
 *   use DEP           needs dependency DEP (an error when it was not given)
 *   error TEXT        a compile error
 *   ...unsupported... a code generation error (ws build)
 *   ...linkfail...    a link error (ws build): the object holding it fails the link
 *   anything else     a body: never part of the interface
 *
 * An interface payload is "iface\n" then "crate::item HASH" lines (HASH a decimal
 * number), and fake_interface_items reads it back. Code generation writes an object
 * per source file ("crate.o", "NAME.o": the crate's name, the file's path, its text);
 * linking concatenates the objects into the program. */
#ifndef FAKE_FE_H
#define FAKE_FE_H

#include "workspace/workspace.h"

/* The fake's entry points, in ws's table. */
extern const WsToolchain fake_toolchain;
/* fe_interface_items for fake payloads. */
bool fake_interface_items(const void *meta, size_t len, void (*fn)(void *, const char *, Hash128), void *ctx);
/* How many times check_crate, codegen and link ran (and links with verify), in all
 * (reset by the test). */
extern _Atomic int fake_compiles, fake_codegens, fake_links, fake_verified_links;

#endif
