/*
 * demo_customers.h - the demo's ticket set-up: the three queues of the
 * seed (support management, service management, the customer's project
 * manager), invented customer organisations with contacts, and two
 * assignment rules. Called by "dutydesk demo" after the people exist.
 */
#ifndef DD_CLI_DEMO_CUSTOMERS_H
#define DD_CLI_DEMO_CUSTOMERS_H

#include "cli/cli.h"

/* DD_EXIT_OK, or DD_EXIT_FAIL after printing why. */
int dd_demo_customers(struct dd_cli *cli);

#endif
