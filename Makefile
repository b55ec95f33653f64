# optiscope: `make run` starts it, `make test` checks it. Both install what is missing first.
CC      ?= cc
BUILD   ?= build
SAN     ?=
OPT     ?= -O2 -g
CFLAGS  += $(OPT) -std=c11 -Wall -Wextra -Werror -Wno-format-truncation -D_POSIX_C_SOURCE=200809L -MMD -MP $(SAN)
LDFLAGS += $(SAN)

BASE_PKGS := sdl2 SDL2_ttf freetype2 harfbuzz fontconfig libpng
PKGS      := $(BASE_PKGS) libavcodec libavformat libavfilter libswscale libavutil
DEB_BUILD := gcc make pkg-config libsdl2-dev libsdl2-ttf-dev libfreetype-dev libharfbuzz-dev libfontconfig-dev libpng-dev fonts-dejavu-core \
             libavcodec-dev libavformat-dev libavfilter-dev libswscale-dev libavutil-dev
DEB_TEST  := xvfb xdotool valgrind clang libclang-rt-dev ffmpeg desktop-file-utils man-db groff-base dpkg-dev lintian
DEB_BENCH := python3-matplotlib ffmpeg

# Installation: `make install PREFIX=... DESTDIR=...`; the version has one home, version.h.
VERSION := $(shell sed -n 's/^\#define OPTISCOPE_VERSION "\(.*\)"/\1/p' src/platform/version.h)
PREFIX  ?= /usr/local
DATADIR  = $(PREFIX)/share
ICON_SIZES := 48 128 256

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
MAN      := $(BUILD)/optiscope.1

.PHONY: all run test check bench golden clean deps deps-test deps-bench install uninstall icons deb FORCE

SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
all: $(BIN) $(MAN)

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

# The binary looks for shipped scenes first in the share folder PREFIX names; the file
# below changes (and shipped.o is compiled again) only when that folder does.
$(BUILD)/datadir: FORCE
	@mkdir -p $(@D)
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' > $@
$(BUILD)/src/platform/shipped.o: $(BUILD)/datadir
$(BUILD)/src/platform/shipped.o: CFLAGS += -DOPTISCOPE_DATADIR='"$(DATADIR)"'

# The manual page comes from the binary's own option and key tables (--man).
$(BUILD)/%.1: $(BUILD)/%
	$< --man > $@.tmp && mv $@.tmp $@

# For valgrind, which stops at an instruction in a library FFmpeg loads (tests/stub/encode_none.c
# says which): the program with an encoder that refuses to record, linked without FFmpeg.
$(VG_BIN): $(CORE_OBJ) $(filter-out %/encode.o,$(APP_OBJ)) $(BUILD)/tests/stub/encode_none.o
	$(CC) $(LDFLAGS) $^ -o $@ $(shell pkg-config --libs $(BASE_PKGS) 2>/dev/null) -lm -lpthread

# Preloaded by the recording tests: FFmpeg as if built without any encoder.
$(NO_ENC): tests/stub/no_encoders.c
	$(CC) -shared -fPIC -O2 $< -o $@

# The unit tests link the whole program but its main, to draw pictures and feed the
# window's input translation with events of their own.
TEST_APP_OBJ := $(filter-out %/main.o,$(APP_OBJ))

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
# blocks it can no longer see as reachable; tests/lsan.supp names the system libraries that
# keep memory until exit (libdbus) or lose it themselves (libX11, for a non-ASCII title).
# SAN and OPT reach the suite's own make calls (make install), so what they build is sanitized too.
check: deps deps-test
	@$(MAKE) --no-print-directory BUILD=build/asan SAN="$(SANITIZE)" OPT="-O1 -g" build/asan/optiscope build/asan/unit build/asan/no_encoders.so
	SDL_RENDER_DRIVER=software SAN="$(SANITIZE)" OPT="-O1 -g" \
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

# The program, the lessons, the menu entry, the icon and the manual page under $(1). Every
# path is quoted: a PREFIX or DESTDIR with spaces installs and uninstalls exactly its files.
define install_tree
	install -d "$(1)/bin" "$(1)/share/optiscope/scenes" "$(1)/share/optiscope/data" "$(1)/share/applications" "$(1)/share/man/man1"
	install -m 755 "$(2)" "$(1)/bin/optiscope"
	install -m 644 assets/scenes/*.scene assets/scenes/*.deck "$(1)/share/optiscope/scenes/"
	install -m 644 assets/data/*.csv "$(1)/share/optiscope/data/"
	install -m 644 assets/desktop/optiscope.desktop "$(1)/share/applications/"
	install -m 644 "$(3)" "$(1)/share/man/man1/optiscope.1"
	for s in $(ICON_SIZES); do \
	  install -D -m 644 "assets/icons/optiscope-$$s.png" "$(1)/share/icons/hicolor/$${s}x$$s/apps/optiscope.png" || exit 1; \
	done
	install -D -m 644 assets/icons/optiscope.svg "$(1)/share/icons/hicolor/scalable/apps/optiscope.svg"
endef

install: $(BIN) $(MAN)
	$(call install_tree,$(DESTDIR)$(PREFIX),$(BIN),$(MAN))

# What install put there, and the lessons' folders once empty (a user's own files stay).
INSTALLED = bin/optiscope share/applications/optiscope.desktop share/man/man1/optiscope.1 \
            share/icons/hicolor/scalable/apps/optiscope.svg \
            $(foreach s,$(ICON_SIZES),share/icons/hicolor/$(s)x$(s)/apps/optiscope.png) \
            $(addprefix share/optiscope/scenes/,$(notdir $(wildcard assets/scenes/*.scene assets/scenes/*.deck))) \
            $(addprefix share/optiscope/data/,$(notdir $(wildcard assets/data/*.csv)))

uninstall:
	for f in $(INSTALLED); do rm -f "$(DESTDIR)$(PREFIX)/$$f" || exit 1; done
	for d in share/optiscope/scenes share/optiscope/data share/optiscope; do \
	  if [ -d "$(DESTDIR)$(PREFIX)/$$d" ] && [ -z "$$(ls -A "$(DESTDIR)$(PREFIX)/$$d")" ]; then \
	    rmdir "$(DESTDIR)$(PREFIX)/$$d" || exit 1; \
	  fi; \
	done

# The icon is optiscope's own picture of assets/icons/icon.scene: drawn at 256 pixels, and at
# 240 for the 48-pixel one (the layout needs more room than 48), the smaller sizes shrunk
# from those by a box filter; the SVG holds the 256-pixel PNG. After changing the scene or
# the drawing: make icons, look at them, commit them.
ICON_SHOT = $(BIN) --no-config --headless --scene assets/icons/icon.scene --screenshot

$(BUILD)/shrink: assets/icons/shrink.c
	$(CC) $(CFLAGS) $(APP_CFLAGS) $< -o $@ $(APP_LIBS)

icons: $(BIN) $(BUILD)/shrink
	$(ICON_SHOT) assets/icons/optiscope-256.png --size 256x256
	$(BUILD)/shrink assets/icons/optiscope-256.png 2 assets/icons/optiscope-128.png
	$(ICON_SHOT) $(BUILD)/icon-240.png --size 240x240
	$(BUILD)/shrink $(BUILD)/icon-240.png 5 assets/icons/optiscope-48.png
	{ printf '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="256" height="256" viewBox="0 0 256 256">\n'; \
	  printf '<title>optiscope</title>\n<image width="256" height="256" xlink:href="data:image/png;base64,'; \
	  base64 -w 0 assets/icons/optiscope-256.png; printf '"/>\n</svg>\n'; } > assets/icons/optiscope.svg

# A Debian package of the install tree, for /usr: its binary looks in /usr/share first
# (only shipped.o differs from the build's), its dependencies come from dpkg-shlibdeps.
DEB_DIR  := $(BUILD)/deb
DEB_ARCH  = $(shell dpkg --print-architecture)
DEB       = $(BUILD)/optiscope_$(VERSION)_$(DEB_ARCH).deb

$(DEB_DIR)/shipped.o: src/platform/shipped.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(APP_CFLAGS) -DOPTISCOPE_DATADIR='"/usr/share"' -c $< -o $@

$(DEB_DIR)/optiscope: $(filter-out %/shipped.o,$(CORE_OBJ) $(APP_OBJ)) $(DEB_DIR)/shipped.o
	$(CC) $(LDFLAGS) $^ -o $@ $(APP_LIBS)

deb: deps
	$(call install_missing,dpkg-dev)
	@$(MAKE) --no-print-directory $(DEB_DIR)/optiscope $(DEB_DIR)/optiscope.1
	rm -rf $(DEB_DIR)/debian
	$(call install_tree,$(DEB_DIR)/debian/optiscope/usr,$(DEB_DIR)/optiscope,$(DEB_DIR)/optiscope.1)
	sh assets/debian/mkdeb.sh $(DEB_DIR)/debian/optiscope $(VERSION) $(DEB)

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

-include $(CORE_OBJ:.o=.d) $(APP_OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(BUILD)/tests/stub/encode_none.d $(DEB_DIR)/shipped.d
