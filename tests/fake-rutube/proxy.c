/* The proxy listener: absolute-form requests, answered as the listener their URL names. */
#include "fake.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * Length of "<scheme>://<host>:<port>" at the start of target, with *role the listener of that
 * port; 0 when target is not such an address or names no listener that answers. The host must
 * be this machine's loopback name: the fake is the only server behind this proxy.
 */
static size_t authority(const struct fake_server *server, const char *target, enum fake_role *role)
{
    size_t scheme_len = strlen(server->scheme);
    if (strncasecmp(target, server->scheme, scheme_len) != 0 ||
        strncmp(target + scheme_len, "://", 3) != 0)
        return 0;
    const char *host = target + scheme_len + 3;
    size_t host_len = strncasecmp(host, "127.0.0.1:", 10) == 0   ? 9
                      : strncasecmp(host, "localhost:", 10) == 0 ? 9
                                                                 : 0;
    if (host_len == 0)
        return 0;
    const char *digits = host + host_len + 1;
    size_t digit_len = strspn(digits, "0123456789");
    if (digit_len == 0 || digit_len > 5)
        return 0;
    unsigned port = 0;
    for (size_t i = 0; i < digit_len; i++)
        port = port * 10 + (unsigned)(digits[i] - '0');
    /* The proxy itself and a --mirror-refused port cannot be reached: nothing answers there. */
    for (int r = FAKE_ROLE_MIRROR0; r <= FAKE_ROLE_API; r++) {
        bool is_refused = r <= FAKE_ROLE_MIRROR1 && server->config.mirror_refused[r];
        if (server->port[r] == port && !is_refused) {
            *role = (enum fake_role)r;
            return (size_t)(digits + digit_len - target);
        }
    }
    return 0;
}

bool fake_proxy_resolve(const struct fake_server *server, const char *method, const char *url,
                        const char *uri, struct fake_proxy_target *target)
{
    /* No tunnels: the proxy only relays requests it can read. */
    if (strcmp(method, "CONNECT") == 0)
        return false;
    enum fake_role role, url_role;
    size_t uri_skip = authority(server, uri, &role);
    size_t url_skip = authority(server, url, &url_role);
    if (uri_skip == 0 || url_skip == 0 || role != url_role)
        return false;
    const char *path = url + url_skip, *rest = uri + uri_skip;
    if ((*path && *path != '/') || (*rest && *rest != '/' && *rest != '?'))
        return false; /* "127.0.0.1:80x/": not a port followed by a path */
    target->role = role;
    target->url = *path ? path : "/";
    target->uri = rest;
    if (*rest != '/') {
        /* http://127.0.0.1:PORT or http://127.0.0.1:PORT?query: the path is "/". */
        size_t len = strlen(rest);
        target->owned = malloc(len + 2);
        if (!target->owned)
            return false;
        target->owned[0] = '/';
        memcpy(target->owned + 1, rest, len + 1);
        target->uri = target->owned;
    }
    return true;
}

void fake_proxy_bad_gateway(struct fake_reply *reply)
{
    static const char body[] = "<html><body><h1>502 Bad Gateway</h1></body></html>\n";
    fake_reply_copy(reply, MHD_HTTP_BAD_GATEWAY, "text/html", body, sizeof body - 1);
}
