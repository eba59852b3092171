# dutydesk build: plain GNU Make with pkg-config.
#
#   make              release build: build/dutydesk (the small front, libc
#                     only) and build/dutydesk-core (everything else)
#   make test-build   sanitizer build: build/test/dutydesk(-core) and tests
#   make check        test-build, then run every test (scripts/test does the
#                     set-up: packages, a throwaway PostgreSQL, both engines)
#   make format       clang-format every C file in place
#
# Sources are found by wildcard, so a new file in src/ or tests/ needs no
# edit here.

PKGS := libmicrohttpd sqlite3 libpq jansson libsodium libcurl libical gmime-3.0
TEST_PKGS := cmocka libcurl yaml-0.1

CC ?= cc
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-unused-parameter
CSTD := -std=c11 -D_GNU_SOURCE
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS := $(shell pkg-config --libs $(PKGS)) -lpthread -lm

RELEASE_CFLAGS := $(CSTD) $(WARN) -O2 -g -Isrc $(PKG_CFLAGS)
TEST_CFLAGS := $(CSTD) $(WARN) -O1 -g -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-Isrc -Itests $(PKG_CFLAGS) $(shell pkg-config --cflags $(TEST_PKGS))
TEST_LDFLAGS := -fsanitize=address,undefined

# src/front/ is the small `dutydesk` executable (src/front/main.c): the
# mailgate over plain HTTP with libc alone, everything else exec'd in
# dutydesk-core. It links only the few objects below.
FRONT_DIR_SRC := $(sort $(wildcard src/front/*.c))
FRONT_SHARED := src/cli/mailgate.c src/base/http_post.c src/base/buf.c
SRC := $(sort $(filter-out src/front/%,$(wildcard src/*/*.c)))
MAIN_SRC := src/cli/main.c
LIB_SRC := $(filter-out $(MAIN_SRC),$(SRC))

UNIT_SRC := $(sort $(wildcard tests/unit/*/test_*.c tests/unit/test_*.c))
API_SRC := $(sort $(wildcard tests/api/test_*.c))
API_HARNESS := $(filter-out $(API_SRC),$(sort $(wildcard tests/api/*.c)))
# Shared fixture code of the unit tests (not test_*.c: no binaries).
UNIT_SUPPORT := $(sort $(wildcard tests/unit/support/*.c))
# Test helpers both kinds share: real peers on loopback (HTTP receiver,
# Postfix).
SHARED_SUPPORT := $(sort $(wildcard tests/support/*.c))

REL_OBJ := $(patsubst src/%.c,build/obj/%.o,$(SRC))
FRONT_OBJ := $(patsubst src/%.c,build/obj/%.o,$(FRONT_DIR_SRC) $(FRONT_SHARED))
TEST_FRONT_OBJ := $(patsubst src/%.c,build/test/obj/%.o,$(FRONT_DIR_SRC) \
	$(FRONT_SHARED))
TEST_OBJ := $(patsubst src/%.c,build/test/obj/%.o,$(LIB_SRC))
TEST_MAIN_OBJ := build/test/obj/cli/main.o
HARNESS_OBJ := $(patsubst tests/%.c,build/test/obj/tests/%.o,$(API_HARNESS) \
	$(SHARED_SUPPORT))
SUPPORT_OBJ := $(patsubst tests/%.c,build/test/obj/tests/%.o,$(UNIT_SUPPORT) \
	$(SHARED_SUPPORT))

UNIT_BIN := $(patsubst tests/unit/%.c,build/test/unit/%,$(UNIT_SRC))
API_BIN := $(patsubst tests/api/%.c,build/test/api/%,$(API_SRC))
# Tests against real mail servers on loopback (Postfix, Dovecot), built
# like the API tests.
MAIL_TEST_SRC := $(sort $(wildcard tests/mail/test_*.c))
MAIL_TEST_BIN := $(patsubst tests/mail/%.c,build/test/mail/%,$(MAIL_TEST_SRC))

.PHONY: all test-build check format clean
all: build/dutydesk build/dutydesk-core

# Only libc: nothing to load and relocate but the program itself.
build/dutydesk: $(FRONT_OBJ) | build/dutydesk-core
	$(CC) -Wl,-O1 -Wl,--as-needed -o $@ $(FRONT_OBJ)

build/dutydesk-core: $(REL_OBJ)
	$(CC) -Wl,-O1 -Wl,--as-needed -o $@ $^ $(PKG_LIBS)

build/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(RELEASE_CFLAGS) -MMD -MP -c -o $@ $<

build/test/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -MMD -MP -c -o $@ $<

build/test/obj/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -MMD -MP -c -o $@ $<

build/test/dutydesk: $(TEST_FRONT_OBJ) | build/test/dutydesk-core
	$(CC) $(TEST_LDFLAGS) -o $@ $(TEST_FRONT_OBJ)

build/test/dutydesk-core: $(TEST_OBJ) $(TEST_MAIN_OBJ)
	$(CC) $(TEST_LDFLAGS) -o $@ $^ $(PKG_LIBS)

build/test/unit/%: tests/unit/%.c $(SUPPORT_OBJ) $(TEST_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -MMD -MP -o $@ $< $(SUPPORT_OBJ) $(TEST_OBJ) \
		$(TEST_LDFLAGS) $(PKG_LIBS) $(shell pkg-config --libs $(TEST_PKGS))

build/test/api/%: tests/api/%.c $(HARNESS_OBJ) $(TEST_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -MMD -MP -o $@ $< $(HARNESS_OBJ) $(TEST_OBJ) \
		$(TEST_LDFLAGS) $(PKG_LIBS) $(shell pkg-config --libs $(TEST_PKGS))

build/test/mail/%: tests/mail/%.c $(HARNESS_OBJ) $(TEST_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -MMD -MP -o $@ $< $(HARNESS_OBJ) $(TEST_OBJ) \
		$(TEST_LDFLAGS) $(PKG_LIBS) $(shell pkg-config --libs $(TEST_PKGS))

test-build: build/test/dutydesk $(UNIT_BIN) $(API_BIN)
test-build: $(MAIL_TEST_BIN)

# libFuzzer over mail parsing and threading (clang; scripts/test runs it
# for 30 s). Only the pure mail code and base/ go in.
FUZZ_SRC := src/mail/parse.c src/mail/clean.c src/mail/html_text.c \
	src/mail/loop.c src/mail/thread.c src/mail/message_id.c \
	src/mail/personal.c src/base/arena.c src/base/buf.c src/base/utf8.c \
	src/base/err.c
build/fuzz/fuzz_mail: tests/fuzz/fuzz_mail.c $(FUZZ_SRC)
	@mkdir -p $(dir $@)
	clang $(CSTD) -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
		$(PKG_CFLAGS) -o $@ $^ $(PKG_LIBS)

check: test-build
	scripts/run-tests

format:
	clang-format -i $(SRC) $(FRONT_DIR_SRC) $(wildcard src/*/*.h) \
		$(shell find tests bench -name '*.[ch]' -not -path '*/node_modules/*')

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
