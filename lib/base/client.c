/* What every module does with the client: log through it, and share its transfer slots. */
#include "base/client.h"

#include <stdarg.h>
#include <stdio.h>

void rt__log(const struct rt_client *client, enum rt_log_level level, const char *fmt, ...)
{
    if (!client || !client->log)
        return;
    char message[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    client->log(level, message, client->log_data);
}

void rt__client_slots_enter(struct rt_client *client, struct rt__slot_user *user)
{
    user->held = 0;
    user->starved = false;
    pthread_mutex_lock(&client->slots_lock);
    client->users++;
    pthread_mutex_unlock(&client->slots_lock);
}

void rt__client_slots_leave(struct rt_client *client, struct rt__slot_user *user)
{
    pthread_mutex_lock(&client->slots_lock);
    client->users--;
    if (user->starved)
        client->starved--;
    user->starved = false;
    pthread_mutex_unlock(&client->slots_lock);
}

bool rt__client_take_slot(struct rt_client *client, struct rt__slot_user *user)
{
    pthread_mutex_lock(&client->slots_lock);
    int users = client->users > 0 ? client->users : 1;
    int share = (client->jobs + users - 1) / users;
    bool below = user->held < share;
    /* Others waiting below their share count only when this one is not below its own. */
    int others = client->starved - (user->starved ? 1 : 0);
    bool taken = client->slots_free > 0 && (below || others == 0);
    if (taken) {
        client->slots_free--;
        user->held++;
    }
    bool starved = !taken && below;
    if (starved != user->starved) {
        client->starved += starved ? 1 : -1;
        user->starved = starved;
    }
    pthread_mutex_unlock(&client->slots_lock);
    return taken;
}

void rt__client_give_slot(struct rt_client *client, struct rt__slot_user *user)
{
    pthread_mutex_lock(&client->slots_lock);
    client->slots_free++;
    user->held--;
    pthread_mutex_unlock(&client->slots_lock);
}

bool rt__client_slots_alone(struct rt_client *client)
{
    pthread_mutex_lock(&client->slots_lock);
    bool alone = client->users <= 1;
    pthread_mutex_unlock(&client->slots_lock);
    return alone;
}
