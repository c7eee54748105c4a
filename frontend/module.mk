# frontend/module.mk — the frontend's test driver (tests/frontend/driver.c), used by the
# frontend golden tests, the fuzz harness and scripts/bench-frontend until `ws check`.
$(BUILD)/fe-driver: $(call objs,tests/frontend/driver.c) $(BUILD)/libfrontend.a $(BUILD)/libcommon.a
	$(CC) $(OPT) $(SAN) -o $@ $^ $(LDLIBS)

all: $(BUILD)/fe-driver
