/* The monotonic clock, for deadlines that wall-clock jumps cannot stretch. */
#ifndef LUCID_CLOCK_H
#define LUCID_CLOCK_H

#include <stdint.h>

uint64_t clock_now_us(void);
static inline uint64_t clock_now_ms(void)
{
	return clock_now_us() / 1000;
}

#endif
