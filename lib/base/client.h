/* The client's settings as the library's modules see them. */
#ifndef RT_LIB_CLIENT_H
#define RT_LIB_CLIENT_H

#include "rutube/rutube.h"

#include "base/rate.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>

struct rt_client {
    char *api_base; /* without a trailing slash */
    char *user_agent;
    char *proxy;     /* NULL: libcurl's own rules (environment variables) */
    char *api_proxy; /* for RuTube's API calls alone (rt__http_setup_api()); NULL: as `proxy` */
    int jobs, retries, timeout;
    bool insecure; /* TLS certificates not checked: only when the user said so */
    rt_log_fn log;
    void *log_data;
    /* Browser-like headers sent with every request; lives as long as the client because
     * libcurl keeps only the pointer. */
    struct curl_slist *headers;
    /* DNS answers, TLS sessions and connections shared by the API calls and the segment
     * transfers, so the CDN connection opened for the playlist is reused for segments. */
    CURLSH *share;
    atomic_bool cancel; /* rt_client_cancel(): every request stops */
    /* The share is used by several threads when downloads run side by side: one lock per
     * kind of data libcurl shares (CURL_LOCK_DATA_LAST kinds). */
    pthread_mutex_t share_locks[CURL_LOCK_DATA_LAST];
    /* Segment transfers that may still start, over all downloads of this client, and how
     * they are shared out (see rt__client_take_slot()). */
    pthread_mutex_t slots_lock;
    int slots_free;
    int users;   /* downloads fetching now */
    int starved; /* of those, how many want a slot and hold less than their share */
    /* The speed limit over every transfer of the client (rt_client_set_limit_rate()): segment
     * transfers are held back by it (hls/fetch*.c), the other requests charged to it
     * (base/http.c). */
    struct rt__rate rate;
};

/* One download's claim on the client's transfer slots. */
struct rt__slot_user {
    int held;     /* slots it holds */
    bool starved; /* counted in the client's `starved` */
};

/* A download starts or stops taking slots (it must hold none when it leaves). */
void rt__client_slots_enter(struct rt_client *client, struct rt__slot_user *user);
void rt__client_slots_leave(struct rt_client *client, struct rt__slot_user *user);

/*
 * Take one of the client's `jobs` transfer slots; false when none may be had. Downloads
 * share them fairly: one holding its share (jobs ÷ downloads, rounded up) or more gets
 * another only while no other download is waiting below its share, so a download whose
 * transfers finish first cannot keep every slot to itself. Thread-safe.
 */
bool rt__client_take_slot(struct rt_client *client, struct rt__slot_user *user);
/* Give a slot back. */
void rt__client_give_slot(struct rt_client *client, struct rt__slot_user *user);
/* Whether one download alone is taking slots: a connection it does not need is idle, not
 * another's. Thread-safe. */
bool rt__client_slots_alone(struct rt_client *client);

/* Whether work should stop: the client was cancelled, or `other` (a download's own flag,
 * may be NULL) was set. */
static inline bool rt__cancelled(const struct rt_client *client, const atomic_bool *other)
{
    return (client && atomic_load(&client->cancel)) || (other && atomic_load(other));
}

void rt__log(const struct rt_client *client, enum rt_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
