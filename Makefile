# optiscope: `make run` starts it, `make test` checks it. Both install what is missing first.
CC      ?= cc
BUILD   ?= build
SAN     ?=
OPT     ?= -O2 -g
CFLAGS  += $(OPT) -std=c11 -Wall -Wextra -Werror -Wno-format-truncation -D_POSIX_C_SOURCE=200809L -MMD -MP $(SAN)
LDFLAGS += $(SAN)

BASE_PKGS := sdl2 SDL2_ttf fontconfig libpng
PKGS      := $(BASE_PKGS) libavcodec libavformat libavfilter libswscale libavutil
DEB_BUILD := gcc make pkg-config libsdl2-dev libsdl2-ttf-dev libfontconfig-dev libpng-dev fonts-dejavu-core \
             libavcodec-dev libavformat-dev libavfilter-dev libswscale-dev libavutil-dev
DEB_TEST  := xvfb xdotool valgrind clang libclang-rt-dev ffmpeg
DEB_BENCH := python3-matplotlib ffmpeg

# The layers, bottom up: core and session are plain C and are compiled without SDL's
# headers on the include path, so neither can reach them; render and platform may.
CORE_SRC := $(wildcard src/core/*.c) $(wildcard src/session/*.c)
APP_SRC  := $(wildcard src/render/*.c) $(wildcard src/platform/*.c)
TEST_SRC := $(filter-out tests/fuzz_%.c,$(wildcard tests/*.c))
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
APP_OBJ  := $(APP_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)

BIN      := $(BUILD)/optiscope
VG_BIN   := $(BUILD)/optiscope-novideo
NO_ENC   := $(BUILD)/no_encoders.so
UNIT     := $(BUILD)/unit

.PHONY: all run test check bench golden clean deps deps-test deps-bench

SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
all: $(BIN)

# pkg-config is asked only once the packages are there.
APP_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
APP_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -lpthread

$(BUILD)/src/core/%.o: src/core/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/src/session/%.o: src/session/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/src/render/%.o: src/render/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(APP_CFLAGS) -c $< -o $@

$(BUILD)/src/platform/%.o: src/platform/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(APP_CFLAGS) -c $< -o $@

$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(APP_CFLAGS) -c $< -o $@

$(BIN): $(CORE_OBJ) $(APP_OBJ)
	$(CC) $(LDFLAGS) $^ -o $@ $(APP_LIBS)

# For valgrind, which stops at an instruction in a library FFmpeg loads (tests/stub/encode_none.c
# says which): the program with an encoder that refuses to record, linked without FFmpeg.
$(VG_BIN): $(CORE_OBJ) $(filter-out %/encode.o,$(APP_OBJ)) $(BUILD)/tests/stub/encode_none.o
	$(CC) $(LDFLAGS) $^ -o $@ $(shell pkg-config --libs $(BASE_PKGS) 2>/dev/null) -lm -lpthread

# Preloaded by the recording tests: FFmpeg as if built without any encoder.
$(NO_ENC): tests/stub/no_encoders.c
	$(CC) -shared -fPIC -O2 $< -o $@

# canvas.c, shot.c, theme.c and output.c use no SDL, so the unit tests link them too.
TEST_APP_OBJ := $(BUILD)/src/render/canvas.o $(BUILD)/src/render/shot.o $(BUILD)/src/render/theme.o \
                $(BUILD)/src/platform/output.o

$(UNIT): $(CORE_OBJ) $(TEST_APP_OBJ) $(TEST_OBJ)
	$(CC) $(LDFLAGS) $^ -o $@ $(APP_LIBS)

run: deps
	@$(MAKE) --no-print-directory $(BIN)
	$(BIN) $(ARGS)

test: deps deps-test
	@$(MAKE) --no-print-directory $(BIN) $(UNIT) $(NO_ENC)
	sh tests/run.sh $(BUILD)

# Robustness: the whole suite again under AddressSanitizer and UBSan, valgrind on headless
# runs, and the fuzz targets for a bounded time. The sanitized window's texture goes through
# SDL's software renderer, not OpenGL: Mesa unloads itself at exit and leaves LeakSanitizer
# blocks it can no longer see as reachable; tests/lsan.supp names the one system library
# that keeps memory until exit.
check: deps deps-test
	@$(MAKE) --no-print-directory BUILD=build/asan SAN="$(SANITIZE)" OPT="-O1 -g" build/asan/optiscope build/asan/unit build/asan/no_encoders.so
	SDL_RENDER_DRIVER=software \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp sh tests/run.sh build/asan
	@$(MAKE) --no-print-directory $(VG_BIN)
	sh tests/valgrind.sh $(BUILD)
	sh tests/fuzz.sh

# Frame times at 1920x1080 and 3840x2160 against matplotlib drawing the same scene (when
# python3-matplotlib is there), as a table; see the README's Performance section.
bench: deps deps-bench
	@$(MAKE) --no-print-directory $(BIN)
	sh tests/bench/run.sh $(BUILD)

# After a deliberate change to how the picture looks: record tests/data/golden/ again, then
# look at the new pictures before committing them.
golden: deps
	@$(MAKE) --no-print-directory $(BIN) $(UNIT)
	OPTISCOPE_GOLDEN_UPDATE=1 $(UNIT) $(BIN) golden

clean:
	rm -rf build

# Installs the Debian packages that are missing (sudo when not root); elsewhere names them.
define install_missing
	@missing=""; \
	if command -v dpkg-query >/dev/null 2>&1; then \
	  for p in $(1); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	  done; \
	  if [ -n "$$missing" ]; then \
	    echo "installing:$$missing"; \
	    sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	    $$sudo apt-get update -q && \
	    DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q --no-install-recommends $$missing || exit 1; \
	  fi; \
	else \
	  pkg-config --exists $(PKGS) 2>/dev/null || { \
	    echo "optiscope needs: a C11 compiler, make, pkg-config, SDL2, SDL2_ttf, fontconfig, libpng, FFmpeg's libraries and a sans font (DejaVu)."; \
	    echo "Install them with your package manager (Debian names: $(1)) and run make again."; exit 1; }; \
	fi
endef

deps:
	$(call install_missing,$(DEB_BUILD))

deps-test:
	$(call install_missing,$(DEB_TEST))

deps-bench:
	$(call install_missing,$(DEB_BENCH))

-include $(CORE_OBJ:.o=.d) $(APP_OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(BUILD)/tests/stub/encode_none.d
