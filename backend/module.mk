# backend/module.mk — the code generator's test driver (tests/backend/driver.c), used by
# tests/backend/run to compile single crates to objects without ws.
$(BUILD)/cg-driver: $(call objs,tests/backend/driver.c) $(BUILD)/libbackend.a $(BUILD)/libfrontend.a \
        $(BUILD)/libcommon.a
	$(CC) $(OPT) $(SAN) -o $@ $^ $(LDLIBS)

all: $(BUILD)/cg-driver
