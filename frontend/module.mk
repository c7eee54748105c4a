# frontend/module.mk — the frontend's test driver (tests/frontend/driver.c), used by the
# frontend golden tests, the fuzz harness and scripts/bench-frontend until `ws check`.
$(BUILD)/fe-driver: $(call objs,tests/frontend/driver.c) $(BUILD)/libfrontend.a $(BUILD)/libcommon.a
	$(CC) $(OPT) $(SAN) -o $@ $^ $(LDLIBS)

all: $(BUILD)/fe-driver

# The driver under ASan+UBSan for the hostile-input tests (tests/frontend/run), built
# after the unit tests: both sub-makes write the same build/asan libraries.
fe-driver-asan: unit-tests-asan
	$(MAKE) --no-print-directory BUILD=$(ASAN_BUILD) SAN="$(ASAN_FLAGS)" OPT="-O1 -g" $(ASAN_BUILD)/fe-driver

test: fe-driver-asan
.PHONY: fe-driver-asan
