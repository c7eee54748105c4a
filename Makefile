# relink — top-level build.
#
#   make            bin/ws and bin/relink (warnings are errors)
#   make test       every test suite (unit tests also under ASan+UBSan); see tests/run-all
#   make install    copies bin/ws and bin/relink to $(PREFIX)/bin
#
# Sources are picked up by folder: every frontend/*.c goes into libfrontend.a, and so
# on. A folder's module.mk, when present, adds rules of its own (the embedded runtime,
# extra objects). Build products go to $(BUILD); a sanitizer build uses its own BUILD.

PREFIX  ?= /usr/local
BUILD   ?= build
OPT     ?= -O2 -g
SAN     ?=
WARN    := -std=c11 -Wall -Wextra -Wshadow -Wmissing-prototypes -Werror
CPPFLAGS += -I. -D_GNU_SOURCE $(if $(SAN),-DCOMMON_LIBC_MALLOC)
ALL_CFLAGS = $(WARN) $(OPT) $(SAN) $(CPPFLAGS) -MMD -MP $(CFLAGS)
# libelf, zlib and xxHash are linked statically: loading shared libraries costs a
# millisecond at every start, a fifth of a no-op `ws build` (mimalloc has no static
# library in Debian).
LDLIBS  := -Wl,-Bstatic -lelf -lz -lxxhash -Wl,-Bdynamic -lmimalloc -lpthread -lm

COMMON_SRC    := $(wildcard common/*.c)
FRONTEND_SRC  := $(wildcard frontend/*.c)
BACKEND_SRC   := $(wildcard backend/*.c)
LINKER_SRC    := $(filter-out linker/main.c,$(wildcard linker/*.c))
WORKSPACE_SRC := $(filter-out workspace/main.c,$(wildcard workspace/*.c))
UNIT_SRC      := $(wildcard tests/unit/*.c)

# Objects that module.mk files add to a library (e.g. the embedded runtime).
BACKEND_EXTRA_OBJS :=

objs = $(patsubst %.c,$(BUILD)/%.o,$(1))

# A program is built once its main file exists (the tree grows subsystem by subsystem).
all: $(if $(wildcard workspace/main.c),bin/ws) $(if $(wildcard linker/main.c),bin/relink)

-include $(wildcard */module.mk */*/module.mk)

LIBS := $(BUILD)/libworkspace.a $(BUILD)/libbackend.a $(BUILD)/libfrontend.a \
        $(BUILD)/liblinker.a $(BUILD)/libcommon.a

$(BUILD)/libcommon.a: $(call objs,$(COMMON_SRC))
$(BUILD)/libfrontend.a: $(call objs,$(FRONTEND_SRC))
$(BUILD)/libbackend.a: $(call objs,$(BACKEND_SRC)) $(BACKEND_EXTRA_OBJS)
$(BUILD)/liblinker.a: $(call objs,$(LINKER_SRC))
$(BUILD)/libworkspace.a: $(call objs,$(WORKSPACE_SRC))

$(BUILD)/%.a:
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/bin/ws: $(call objs,workspace/main.c) $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(OPT) $(SAN) -o $@ $< -Wl,--start-group $(LIBS) -Wl,--end-group $(LDLIBS)

$(BUILD)/bin/relink: $(call objs,linker/main.c) $(BUILD)/liblinker.a $(BUILD)/libcommon.a
	@mkdir -p $(dir $@)
	$(CC) $(OPT) $(SAN) -o $@ $^ $(LDLIBS)

bin/%: $(BUILD)/bin/%
	@mkdir -p bin
	cp $< $@

# The suite list is generated: every `Suite *NAME_suite(void)` defined at the start of a
# line in tests/unit/*.c is run (no shared list to edit, so no merge conflicts on it).
$(BUILD)/tests/unit/suites.gen.h: $(UNIT_SRC)
	@mkdir -p $(dir $@)
	sed -n 's/^Suite \*\([a-z0-9_]*\)_suite(void)$$/SUITE(\1)/p' $(UNIT_SRC) > $@.tmp
	cmp -s $@.tmp $@ || mv $@.tmp $@; rm -f $@.tmp

$(call objs,$(UNIT_SRC)): $(BUILD)/tests/unit/suites.gen.h
$(call objs,$(UNIT_SRC)): CPPFLAGS += -I$(BUILD)/tests/unit

$(BUILD)/unit-tests: $(call objs,$(UNIT_SRC)) $(LIBS)
	$(CC) $(OPT) $(SAN) -o $@ $(call objs,$(UNIT_SRC)) -Wl,--start-group $(LIBS) -Wl,--end-group \
	    $(shell pkg-config --libs check) $(LDLIBS)

# The sanitizer variant of the unit tests, built in its own tree.
ASAN_BUILD := build/asan
ASAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer

unit-tests: $(BUILD)/unit-tests
unit-tests-asan:
	$(MAKE) --no-print-directory BUILD=$(ASAN_BUILD) SAN="$(ASAN_FLAGS)" OPT="-O1 -g" $(ASAN_BUILD)/unit-tests

test: all unit-tests unit-tests-asan
	tests/run-all

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 bin/ws bin/relink $(DESTDIR)$(PREFIX)/bin/

clean:
	rm -rf build bin

.PHONY: all test unit-tests unit-tests-asan install clean
.SECONDARY:
.DELETE_ON_ERROR:

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
