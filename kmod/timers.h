/* SPDX-License-Identifier: GPL-2.0 */
/*
 * timers.h - once-a-second housekeeping of a device.
 */
#ifndef _ZEQ_TIMERS_H
#define _ZEQ_TIMERS_H

struct zeq_device;

void zeq_timers_init(struct zeq_device *zeq);
void zeq_timers_start(struct zeq_device *zeq);
void zeq_timers_stop(struct zeq_device *zeq);

#endif /* _ZEQ_TIMERS_H */
