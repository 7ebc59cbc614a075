/* Shared by the fuzz targets (tests/fuzz/fuzz_*.c) and the plain replay driver
 * (tests/bin/fuzzreplay.c).  Each target file defines one static fuzz_NAME(data, size);
 * it adds the libFuzzer entry point only when built alone (without FUZZ_NO_ENTRY), so
 * the replay driver can include every target into one gcc-built program.
 *
 * FUZZ_CHECK states an invariant of the code under test: a violation aborts, which
 * libFuzzer and the replay driver both report as a crash with the message. */
#ifndef SALESDESK_FUZZ_H
#define SALESDESK_FUZZ_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define FUZZ_CHECK(cond) do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
			abort(); \
		} \
	} while (0)

/* The libFuzzer entry point calling target FN, when the target is built alone. */
#ifdef FUZZ_NO_ENTRY
#define FUZZ_ENTRY(fn)
#else
#define FUZZ_ENTRY(fn) \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size); \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) \
	{ \
		return fn(data, size); \
	}
#endif

/* The fuzz input as a file the core can open by path: one memfd per slot, reused, named
 * "/dev/fd/N" (opening it gives a fresh offset, as a real file would). */
static inline const char *fuzz_file(int slot, const void *data, size_t size)
{
	static int fds[4] = { -1, -1, -1, -1 };
	static char paths[4][32];

	if (fds[slot] < 0) {
		fds[slot] = memfd_create("salesdesk-fuzz", 0);
		FUZZ_CHECK(fds[slot] >= 0);
		snprintf(paths[slot], sizeof paths[slot], "/dev/fd/%d", fds[slot]);
	}
	FUZZ_CHECK(ftruncate(fds[slot], 0) == 0);
	FUZZ_CHECK(size == 0 || pwrite(fds[slot], data, size, 0) == (ssize_t)size);
	return paths[slot];
}

/* An exact-size heap copy without a terminating NUL, so that reading one byte past the
 * given length is caught by ASan (and valgrind) instead of hitting the next byte. */
static inline char *fuzz_copy(const uint8_t *data, size_t size)
{
	char *p = malloc(size ? size : 1);
	FUZZ_CHECK(p != NULL);
	if (size)
		memcpy(p, data, size);
	return p;
}
#endif
