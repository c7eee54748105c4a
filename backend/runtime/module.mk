# backend/runtime/module.mk — the freestanding runtime (rt.h), embedded in ws.
#
# Each backend/runtime/*.c becomes a relocatable object under $(BUILD)/backend/runtime/rt/,
# compiled without libc or libgcc; embed-objects turns them into a C table
# (rt_objects(), rt_objects.h) whose object joins libbackend.a. `make` builds them
# (tests/runtime links test programs against them directly).

RT_SRC := $(wildcard backend/runtime/*.c)
RT_OBJS := $(patsubst backend/runtime/%.c,$(BUILD)/backend/runtime/rt/%.o,$(RT_SRC))
RT_CFLAGS := -std=c11 -Wall -Wextra -Wshadow -Wmissing-prototypes -Werror -O2 \
    -ffreestanding -fno-builtin -nostdlib -fno-stack-protector -fno-pic -fno-pie \
    -fno-asynchronous-unwind-tables -fno-unwind-tables -fcf-protection=none \
    -fno-tree-loop-distribute-patterns -ffunction-sections -fdata-sections -fno-ident \
    -MMD -MP

$(BUILD)/backend/runtime/rt/%.o: backend/runtime/%.c
	@mkdir -p $(dir $@)
	$(CC) $(RT_CFLAGS) -c $< -o $@

$(BUILD)/backend/runtime/rt_objects.c: $(RT_OBJS) backend/runtime/embed-objects
	sh backend/runtime/embed-objects $@ $(RT_OBJS)

$(BUILD)/backend/runtime/rt_objects.o: $(BUILD)/backend/runtime/rt_objects.c backend/runtime/rt_objects.h
	$(CC) $(ALL_CFLAGS) -c $< -o $@

BACKEND_EXTRA_OBJS += $(BUILD)/backend/runtime/rt_objects.o

runtime: $(RT_OBJS)
all: runtime
.PHONY: runtime
