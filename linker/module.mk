# linker/module.mk — the incremental state records which build of the linker wrote it
# (a state written by another build is not trusted): incremental.c gets a checksum of
# every linker source, and is rebuilt when any of them changes.

LINKER_SOURCES := $(wildcard linker/*.c linker/*.h)
LINKER_SOURCE_ID := $(shell cat $(LINKER_SOURCES) | cksum | cut -d' ' -f1)

$(BUILD)/linker/incremental.o: CPPFLAGS += -DLINKER_SOURCE_ID='"$(LINKER_SOURCE_ID)"'
$(BUILD)/linker/incremental.o: $(LINKER_SOURCES)
