# workspace/module.mk — the compiler build id and the runtime objects' content hashes
# (see workspace/tools/build_id_gen.c).
#
# $(BUILD)/gen/build_id.c defines ws_build_id(): XXH3-128 of every file under the
# compiler, runtime, linker and driver folders and of the build flags. It is remade
# whenever one of those files changes, and whenever the flags or the list of files do
# (build-flags is rewritten only when its text differs, so it changes only then).
# Every fingerprint and interface file records the id, so a rebuilt compiler never
# trusts what an older one wrote.

WS_GEN := $(BUILD)/gen
WS_BUILD_ID_INPUTS := $(shell find common frontend backend linker workspace -type f \
                        -not -name '*.o' -not -name '*~' -not -name '.*' 2>/dev/null | LC_ALL=C sort) Makefile
WS_BUILD_FLAGS := $(CC) $(shell $(CC) --version 2>/dev/null | head -n 1) | $(ALL_CFLAGS) $(OPT) $(SAN) | \
                  $(LDLIBS) | $(WS_BUILD_ID_INPUTS)

$(WS_GEN)/build-flags: FORCE
	@mkdir -p $(@D)
	@printf '%s\n' '$(subst ','\'',$(WS_BUILD_FLAGS))' | cmp -s - $@ || \
	    printf '%s\n' '$(subst ','\'',$(WS_BUILD_FLAGS))' >$@

$(WS_GEN)/build-id-gen: workspace/tools/build_id_gen.c
	@mkdir -p $(@D)
	$(CC) $(WARN) -O1 -o $@ $< -lxxhash

$(WS_GEN)/build_id.c: $(WS_GEN)/build-id-gen $(WS_GEN)/build-flags $(WS_BUILD_ID_INPUTS)
	$(WS_GEN)/build-id-gen $@ $(WS_GEN)/build-flags $(WS_BUILD_ID_INPUTS)

# $(BUILD)/gen/rt_hashes.c defines ws_runtime_hash(): each embedded runtime object's
# XXH3-128, made from the same objects as backend/runtime/module.mk's table (this file
# is read before that one, hence the list spelled out again).
WS_RT_OBJS := $(patsubst backend/runtime/%.c,$(BUILD)/backend/runtime/rt/%.o,$(wildcard backend/runtime/*.c))

$(WS_GEN)/rt_hashes.c: $(WS_GEN)/build-id-gen $(WS_RT_OBJS)
	$(WS_GEN)/build-id-gen --runtime-hashes $@ $(WS_RT_OBJS)

$(WS_GEN)/%.o: $(WS_GEN)/%.c
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libworkspace.a: $(WS_GEN)/build_id.o $(WS_GEN)/rt_hashes.o

.PHONY: FORCE
FORCE:
