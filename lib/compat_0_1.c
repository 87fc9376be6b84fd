/*
 * The 0.1 entry points, for programs built against 0.1's header: its option structs had no
 * size field, so the calls that take them keep their own symbols (name@LIBRUTUBE_0), which
 * turn 0.1's structs into today's and call today's functions. Programs built since get the
 * current symbols (name@@LIBRUTUBE_0.2) from the same names. tests/abi/ builds
 * examples/fetch_info.c against 0.1's header (tests/abi/0.1.0/) and runs it on this library.
 */
#include "rutube/rutube.h"

#include "base/abi.h"
#include "base/errors.h"
#include "base/i18n.h"

/* 0.1's structs, frozen: never change a field here. Each is named once in its X list, which
 * makes the struct and both copies between it and today's struct of the same names. */
#define CLIENT_FIELDS_0_1(X)                                                                       \
    X(const char *, api_base)                                                                      \
    X(const char *, user_agent)                                                                    \
    X(const char *, proxy)                                                                         \
    X(int, jobs)                                                                                   \
    X(int, retries)                                                                                \
    X(int, timeout)                                                                                \
    X(bool, insecure)                                                                              \
    X(rt_log_fn, log)                                                                              \
    X(void *, log_data)

#define COLLECTION_FIELDS_0_1(X)                                                                   \
    X(size_t, max_entries)                                                                         \
    X(size_t, max_pages)

#define DOWNLOAD_FIELDS_0_1(X)                                                                     \
    X(const char *, output_dir)                                                                    \
    X(const char *, output_template)                                                               \
    X(bool, restrict_filenames)                                                                    \
    X(enum rt_container, container)                                                                \
    X(bool, overwrite)                                                                             \
    X(bool, no_continue)                                                                           \
    X(bool, embed_thumbnail)                                                                       \
    X(bool, write_thumbnail)                                                                       \
    X(bool, embed_subs)                                                                            \
    X(bool, write_subs)                                                                            \
    X(const char *, sub_langs)                                                                     \
    X(bool, write_info_json)                                                                       \
    X(rt_progress_fn, progress)                                                                    \
    X(void *, progress_data)

#define FIELD(type, name)      type name;
#define COPY_FIELD(type, name) to->name = from->name;

struct client_options_0_1 {
    CLIENT_FIELDS_0_1(FIELD)
};
struct collection_options_0_1 {
    COLLECTION_FIELDS_0_1(FIELD)
};
struct download_options_0_1 {
    DOWNLOAD_FIELDS_0_1(FIELD)
};

/* Today's options from 0.1's: the fields it had, today's defaults for the rest (so a 0.1
 * program's downloads get chapters, embed_chapters being on by default); and back. */
static void client_from_0_1(const struct client_options_0_1 *from, struct rt_client_options *to)
{
    CLIENT_FIELDS_0_1(COPY_FIELD)
}
static void client_to_0_1(const struct rt_client_options *from, struct client_options_0_1 *to)
{
    CLIENT_FIELDS_0_1(COPY_FIELD)
}
static void collection_from_0_1(const struct collection_options_0_1 *from,
                                struct rt_collection_options *to)
{
    COLLECTION_FIELDS_0_1(COPY_FIELD)
}
static void download_from_0_1(const struct download_options_0_1 *from,
                              struct rt_download_options *to)
{
    DOWNLOAD_FIELDS_0_1(COPY_FIELD)
}
static void download_to_0_1(const struct rt_download_options *from,
                            struct download_options_0_1 *to){DOWNLOAD_FIELDS_0_1(COPY_FIELD)}

/* The prototypes keep -Wmissing-prototypes quiet: these are reached only by their symbols. */
RT__EXPORTED void rt__client_options_init_0_1(struct client_options_0_1 *opts);
RT__EXPORTED enum rt_code rt__client_new_0_1(const struct client_options_0_1 *opts,
                                             struct rt_client **out, struct rt_error *err);
RT__EXPORTED enum rt_code rt__collection_fetch_0_1(struct rt_client *client,
                                                   const struct rt_target *target,
                                                   const struct collection_options_0_1 *opts,
                                                   struct rt_collection **out,
                                                   struct rt_error *err);
RT__EXPORTED void rt__download_options_init_0_1(struct download_options_0_1 *opts);
RT__EXPORTED enum rt_code rt__download_new_0_1(struct rt_client *client,
                                               const struct rt_video *video, size_t format_index,
                                               const struct download_options_0_1 *opts,
                                               struct rt_download **out, struct rt_error *err);

RT__OLD_SYMBOL(rt__client_options_init_0_1, rt_client_options_init, "LIBRUTUBE_0");
void rt__client_options_init_0_1(struct client_options_0_1 *opts)
{
    struct rt_client_options now;
    rt_client_options_init(&now);
    client_to_0_1(&now, opts);
}

RT__OLD_SYMBOL(rt__client_new_0_1, rt_client_new, "LIBRUTUBE_0");
enum rt_code rt__client_new_0_1(const struct client_options_0_1 *opts, struct rt_client **out,
                                struct rt_error *err)
{
    struct rt_client_options now;
    rt_client_options_init(&now);
    if (opts)
        client_from_0_1(opts, &now);
    return rt_client_new(&now, out, err);
}

RT__OLD_SYMBOL(rt__collection_fetch_0_1, rt_collection_fetch, "LIBRUTUBE_0");
enum rt_code rt__collection_fetch_0_1(struct rt_client *client, const struct rt_target *target,
                                      const struct collection_options_0_1 *opts,
                                      struct rt_collection **out, struct rt_error *err)
{
    struct rt_collection_options now;
    rt_collection_options_init(&now);
    if (opts)
        collection_from_0_1(opts, &now);
    return rt_collection_fetch(client, target, &now, out, err);
}

RT__OLD_SYMBOL(rt__download_options_init_0_1, rt_download_options_init, "LIBRUTUBE_0");
void rt__download_options_init_0_1(struct download_options_0_1 *opts)
{
    struct rt_download_options now;
    rt_download_options_init(&now);
    download_to_0_1(&now, opts);
}

RT__OLD_SYMBOL(rt__download_new_0_1, rt_download_new, "LIBRUTUBE_0");
enum rt_code rt__download_new_0_1(struct rt_client *client, const struct rt_video *video,
                                  size_t format_index, const struct download_options_0_1 *opts,
                                  struct rt_download **out, struct rt_error *err)
{
    struct rt_download_options now;
    rt_download_options_init(&now);
    if (opts)
        download_from_0_1(opts, &now);
    /* 0.1 refused a stream on the air, and its programs have no rt_download_stop(): a
     * recording would only end by a cancel, its file never made. */
    if (video && video->on_air) {
        if (out)
            *out = NULL;
        return rt__fail(err, RT_E_UNSUPPORTED,
                        _("a live stream on the air, and recording live streams is not "
                          "supported yet (its recording can be downloaded once the stream "
                          "has ended)"));
    }
    return rt_download_new(client, video, format_index, &now, out, err);
}
