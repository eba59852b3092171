/*
 * clockfile.h - the time of the servers under test: a file whose
 * content (milliseconds since the epoch) every dutydesk process started
 * with DUTYDESK_TEST_CLOCK_FILE reads as "now" (base/clock.h). A test
 * sets it before the servers start and moves it while they run: all the
 * servers and CLI commands of the binary see the same instant.
 */
#ifndef DD_TESTS_API_CLOCKFILE_H
#define DD_TESTS_API_CLOCKFILE_H

#include <stdint.h>

/* Make the clock file, set it to ms and export DUTYDESK_TEST_CLOCK_FILE
 * (call before api_run). 0, or -1 with the reason printed. */
int api_clock_use(int64_t ms);
/* Remove the file (at the end of main). */
void api_clock_done(void);

void api_clock_set(int64_t ms);
void api_clock_advance(int64_t delta_ms);
int64_t api_clock_now(void);

#endif
