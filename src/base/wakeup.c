#include "base/wakeup.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

int dd_wakeup_init(struct dd_wakeup *w, struct dd_err *err)
{
	w->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (w->fd < 0)
		return dd_err_set(err, 500, DD_PROBLEM_INTERNAL,
				  "cannot make an eventfd: %s",
				  strerror(errno));
	return 0;
}

void dd_wakeup_release(struct dd_wakeup *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
}

void dd_wakeup_signal(const struct dd_wakeup *w)
{
	if (!w || w->fd < 0)
		return;
	uint64_t one = 1;
	/* EAGAIN only when the counter is near 2^64: rung already. */
	ssize_t n = write(w->fd, &one, sizeof(one));
	(void)n;
}

void dd_wakeup_clear(const struct dd_wakeup *w)
{
	if (!w || w->fd < 0)
		return;
	uint64_t count;
	ssize_t n = read(w->fd, &count, sizeof(count));
	(void)n;
}

int dd_wakeup_wait(const struct dd_wakeup *w, int timeout_ms)
{
	if (!w || w->fd < 0) {
		poll(NULL, 0, timeout_ms);
		return 0;
	}
	struct pollfd p = {w->fd, POLLIN, 0};
	int rc = poll(&p, 1, timeout_ms);
	if (rc <= 0)
		return 0;
	dd_wakeup_clear(w);
	return 1;
}

int dd_wakeup_fd(const struct dd_wakeup *w)
{
	return w ? w->fd : -1;
}
