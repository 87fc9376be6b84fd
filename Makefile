# The two commands a new machine needs:
#   make run URL=<address> [ARGS="-q 720 -o ~/Videos"]   install what is missing, build, run
#   make test                                             install what is missing, build, test
#   make gui                                              the same build, then the window
#   make demo                                             the tool at work, offline: a fake
#                                                         RuTube on 127.0.0.1, one video to ./demo/
BUILD ?= build
SANITIZE_BUILD ?= build-sanitize
MESON_FLAGS ?= -Dwerror=true
# Tests at once. Twice the cores: the integration tests mostly wait on the fake's timing
# (stalls, drips, timeouts), so on two cores four of them keep both busy (CI: 4.5 -> 2.3 min).
TEST_JOBS ?= $(shell expr 2 \* $$(nproc 2>/dev/null || echo 2))

.PHONY: all deps build run gui demo test test-sanitize format format-check clean

all: build

$(BUILD)/build.ninja:
	meson setup $(BUILD) $(MESON_FLAGS)

build:
	scripts/install-deps.sh build
	$(MAKE) $(BUILD)/build.ninja
	ninja -C $(BUILD)

# The command speaks the locale's language (LANGUAGE=ru for Russian): the build's catalog.
run: build
	@test -n "$(URL)" || { echo 'usage: make run URL=<RuTube address> [ARGS="..."]' >&2; exit 2; }
	RUTUBE_DL_LOCALEDIR=$(CURDIR)/$(BUILD)/po $(BUILD)/cli/rutube-dl $(ARGS) "$(URL)"

# No network needed: the bundled fake RuTube (tests/fake-rutube/) serves one video, which is
# downloaded to ./demo/ with the progress bar (scripts/demo.sh).
demo:
	scripts/install-deps.sh demo
	$(MAKE) $(BUILD)/build.ninja
	meson configure $(BUILD) -Dtests=enabled
	ninja -C $(BUILD) cli/rutube-dl tests/fake-rutube/fake-rutube tests/fake-rutube/fake-media.stamp
	scripts/demo.sh $(BUILD)

# The window, with its translations from the build folder (LANGUAGE=ru for Russian).
gui: build
	RUTUBE_DL_LOCALEDIR=$(CURDIR)/$(BUILD)/po $(BUILD)/gui/rutube-dl-gtk $(ARGS)

test:
	scripts/install-deps.sh test
	$(MAKE) $(BUILD)/build.ninja
	meson configure $(BUILD) -Dtests=enabled -Dgui=enabled
	ninja -C $(BUILD)
	meson test -C $(BUILD) --print-errorlogs --num-processes $(TEST_JOBS)

# The same tests with AddressSanitizer and UndefinedBehaviorSanitizer; any report fails.
test-sanitize:
	scripts/install-deps.sh test
	test -f $(SANITIZE_BUILD)/build.ninja || meson setup $(SANITIZE_BUILD) $(MESON_FLAGS) \
		-Dtests=enabled -Dgui=enabled -Dbuildtype=debug -Db_sanitize=address,undefined -Db_lundef=false
	ninja -C $(SANITIZE_BUILD)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1 \
		meson test -C $(SANITIZE_BUILD) --print-errorlogs --timeout-multiplier 3 --num-processes $(TEST_JOBS)

# The benchmark: rutube-dl against aria2c, yt-dlp, ffmpeg and curl on the fake RuTube, shaped
# and unshaped; writes bench/RESULTS.md (see bench/README.md). BENCH_ARGS="--quick" for a short run.
.PHONY: bench
bench:
	bench/setup.sh $(BUILD) && BUILD=$(BUILD) bench/run.sh $(BENCH_ARGS)

# The Debian packages (rutube-dl, rutube-dl-gtk, librutube0, librutube-dev), built with
# dpkg-buildpackage from the committed tree and checked; DEB_OUT=DIR keeps the .deb files.
.PHONY: deb
deb:
	scripts/check-deb.sh $(DEB_OUT)

# The parsers under libFuzzer (clang, ASan, UBSan), 60 s each; any finding fails.
.PHONY: fuzz
fuzz:
	bash fuzz/run.sh 60

SOURCES = $(shell git ls-files '*.c' '*.h')

# The house style (.clang-format), applied, or checked (CI runs the check).
format:
	scripts/install-deps.sh format
	clang-format -i $(SOURCES)

format-check:
	@scripts/install-deps.sh format
	@clang-format --dry-run --Werror $(SOURCES) && echo "format-check: $(words $(SOURCES)) files in the house style"

clean:
	rm -rf $(BUILD) $(SANITIZE_BUILD)
