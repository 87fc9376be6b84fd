/* The shutdown flag, and sleeps (latency, rate limit, stall) that end as soon as it is raised. */
#include "fake.h"

#include <errno.h>
#include <pthread.h>
#include <time.h>

/*
 * Connection threads sleep inside MHD callbacks; MHD_stop_daemon() joins those threads, so a
 * plain nanosleep() would hold shutdown hostage for up to --stall-ms. A condition variable on
 * the monotonic clock lets fake_stop_raise() wake every sleeper at once.
 */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake;
static pthread_once_t wake_once = PTHREAD_ONCE_INIT;
static bool raised;

static void init_wake(void)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&wake, &attr);
    pthread_condattr_destroy(&attr);
}

uint64_t fake_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t fake_now_ms(void)
{
    return fake_now_ns() / 1000000u;
}

void fake_stop_raise(void)
{
    pthread_once(&wake_once, init_wake);
    pthread_mutex_lock(&lock);
    raised = true;
    pthread_cond_broadcast(&wake);
    pthread_mutex_unlock(&lock);
}

bool fake_stop_raised(void)
{
    pthread_mutex_lock(&lock);
    bool result = raised;
    pthread_mutex_unlock(&lock);
    return result;
}

bool fake_stop_sleep_until_ns(uint64_t deadline_ns)
{
    pthread_once(&wake_once, init_wake);
    /* An absolute deadline: the pacing clocks sleep many short times, and relative sleeps
       would add each wake-up's lateness to the next. */
    struct timespec until = {.tv_sec = (time_t)(deadline_ns / 1000000000u),
                             .tv_nsec = (long)(deadline_ns % 1000000000u)};

    pthread_mutex_lock(&lock);
    while (!raised) {
        if (pthread_cond_timedwait(&wake, &lock, &until) == ETIMEDOUT)
            break;
    }
    bool result = !raised;
    pthread_mutex_unlock(&lock);
    return result;
}

bool fake_stop_sleep_ms(uint64_t ms)
{
    return fake_stop_sleep_until_ns(fake_now_ns() + ms * 1000000u);
}
