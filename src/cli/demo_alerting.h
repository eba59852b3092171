/*
 * demo_alerting.h - the demo's alerting set-up: the seed's priority-1
 * policy as data (the emergency duty now, after 10 minutes the
 * coordinator's substitute, after 20 the coordinator), the
 * support-management queue as the core-hours target while the duty's
 * window is closed, and a verified e-mail contact method for every demo
 * person (the demo addresses are invented, so no test message is sent).
 * Called by "dutydesk demo" after the rota and the queues exist.
 */
#ifndef DD_CLI_DEMO_ALERTING_H
#define DD_CLI_DEMO_ALERTING_H

#include "cli/cli.h"

/* DD_EXIT_OK, or DD_EXIT_FAIL after printing why. */
int dd_demo_alerting(struct dd_cli *cli);

#endif
