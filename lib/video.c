/* Finding out about a video: play options and video info, then the master playlist. */
#include "site/api.h"
#include "base/i18n.h"
#include "base/buf.h"
#include "base/errors.h"
#include "format.h"
#include "hls/hls.h"
#include "base/http.h"
#include "site/yappy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The recorded master playlist is 3 KB; a megabyte is already absurd. */
#define MASTER_MAX_BYTES (1u << 20)

/* One API call of the set-up: where it goes and what came back. */
struct api_call {
    char *url;
    const char *urls[1];
    struct rt__request request;
    struct rt__buf body;
};

/* Takes `url` (NULL: out of memory) and makes `job` ask for it, failures into `err`. */
static enum rt_code call_init(struct api_call *call, struct rt__http_job *job, char *url,
                              const char *what, struct rt_error *err)
{
    memset(call, 0, sizeof *call);
    rt__buf_init(&call->body, RT_API_MAX_BYTES);
    if (!url)
        return rt__fail(err, RT_E_NOMEM, NULL);
    call->url = url;
    call->urls[0] = url;
    /* The API explains a missing or private video in the body of a 4xx. */
    call->request = (struct rt__request){
        .urls = call->urls, .url_count = 1, .what = what, .pass_client_errors = true, .api = true};
    *job = (struct rt__http_job){.request = &call->request, .body = &call->body, .err = err};
    return RT_OK;
}

static void call_cleanup(struct api_call *call)
{
    rt__buf_cleanup(&call->body);
    free(call->url);
}

/* The play options answer, once in: the video, or why there is none. */
static enum rt_code take_options(const struct rt__http_job *job, const struct rt_target *target,
                                 struct rt_video *video, struct rt_error *err)
{
    if (job->result != RT_OK)
        return job->result;
    return rt__api_parse_options(job->body->data ? job->body->data : "", job->body->len,
                                 job->status, target, video, err);
}

/*
 * The video info call adds the publication date, views and tags. A video is downloadable
 * without them, so its failure is a warning in the log, never an error (except out of memory).
 * `job->err` is the call's own.
 */
static enum rt_code take_info(struct rt_client *client, const struct rt__http_job *job,
                              struct rt_video *video, struct rt_error *err)
{
    enum rt_code result = job->result;
    if (result == RT_OK && job->status != 200)
        result = rt__fail(job->err, rt__http_judge(job->status).code, _("%s: HTTP %ld"),
                          job->request->what, job->status);
    if (result == RT_OK)
        result = rt__api_parse_info(job->body->data ? job->body->data : "", job->body->len, video,
                                    job->err);
    if (result == RT_E_NOMEM)
        return rt__fail(err, RT_E_NOMEM, NULL);
    if (result != RT_OK)
        rt__log(client, RT_LOG_WARN, _("video %s: %s; going on without the publication date"),
                video->id, job->err->message);
    return RT_OK;
}

/* The info of the video the options named, asked for after them. */
static enum rt_code fetch_info(struct rt_client *client, const struct rt_target *target,
                               struct rt_video *video, struct rt_error *err)
{
    struct rt_error problem = {0};
    struct rt_target own = *target;
    snprintf(own.id, sizeof own.id, "%s", video->id); /* the hex id, also for numeric embeds */
    struct api_call info;
    struct rt__http_job job;
    enum rt_code result =
        call_init(&info, &job, rt__api_info_url(client->api_base, &own), _("video info"), err);
    if (result == RT_OK) {
        job.err = &problem;
        rt__http_get_many(client, &job, 1, NULL, NULL);
        result = take_info(client, &job, video, err);
    }
    call_cleanup(&info);
    return result;
}

/* What the options and info calls share while both are under way. */
struct setup {
    const struct rt__http_job *options;
    const struct rt_target *target;
    struct rt_video *video;
    struct rt_error *err;
    bool options_taken;
    enum rt_code options_result;
};

/* The options answer is read as soon as it is in: when it says there is no video (private,
 * not found, blocked...), the info call still under way is abandoned, not waited for. */
static bool on_call_done(const struct rt__http_job *job, void *data)
{
    struct setup *s = data;
    if (job != s->options)
        return true;
    s->options_taken = true;
    s->options_result = take_options(job, s->target, s->video, s->err);
    return s->options_result == RT_OK;
}

/*
 * Play options, and the video info beside them. An address with the hex id lets both be asked
 * at once: one round trip instead of two. A numeric embed has the hex id only in the options'
 * answer, so its info waits for them, as it does when the options name another video than the
 * address did (the info to have is of the video they name).
 */
static enum rt_code fetch_options_and_info(struct rt_client *client, const struct rt_target *target,
                                           struct rt_video *video, struct rt_error *err)
{
    struct api_call options, info = {0};
    struct rt__http_job jobs[2];
    struct rt_error problem = {0};
    bool at_once = target->kind != RT_TARGET_EMBED;
    enum rt_code result = call_init(
        &options, &jobs[0], rt__api_options_url(client->api_base, target), _("play options"), err);
    if (result == RT_OK && at_once)
        result = call_init(&info, &jobs[1], rt__api_info_url(client->api_base, target),
                           _("video info"), err);
    if (result != RT_OK)
        goto out;
    jobs[1].err = &problem;
    struct setup s = {&jobs[0], target, video, err, false, RT_OK};
    rt__http_get_many(client, jobs, at_once ? 2 : 1, on_call_done, &s);
    result = s.options_taken ? s.options_result : take_options(&jobs[0], target, video, err);
    if (result != RT_OK)
        goto out;
    if (at_once && strcasecmp(video->id, target->id) == 0)
        result = take_info(client, &jobs[1], video, err);
    else
        result = fetch_info(client, target, video, err);
out:
    call_cleanup(&options);
    call_cleanup(&info);
    return result;
}

static enum rt_code fetch_master(struct rt_client *client, struct rt_video *video,
                                 struct rt_error *err)
{
    const char *what = _("master playlist");
    struct rt__buf body;
    struct rt__master master = {0};
    long status = 0;
    rt__buf_init(&body, MASTER_MAX_BYTES);
    const char *urls[] = {video->master_url};
    struct rt__request request = {.urls = urls, .url_count = 1, .what = what};
    enum rt_code result = rt__http_get(client, &request, &body, &status, err);
    /* A live address may be its media playlist itself: one format of unknown size, the
     * stream at that address. */
    bool media =
        result == RT_OK && video->on_air && body.data && !strstr(body.data, "#EXT-X-STREAM-INF");
    struct rt__variant itself = {.codecs = "", .url = video->master_url};
    struct rt__master direct = {&itself, 1};
    if (media)
        result = rt__formats_from_master(&direct, video, err);
    else if (result == RT_OK)
        result = rt__hls_parse_master(body.data ? body.data : "", body.len, video->master_url,
                                      &master, err);
    if (result == RT_OK && !media)
        result = rt__formats_from_master(&master, video, err);
    rt__master_cleanup(&master);
    rt__buf_cleanup(&body);
    return result;
}

/* A Yappy clip: one call gives the file's address; there is no playlist. */
static enum rt_code fetch_yappy(struct rt_client *client, const struct rt_target *target,
                                struct rt_video *video, struct rt_error *err)
{
    const char *what = _("the Yappy feed");
    struct rt__buf body;
    long status = 0;
    char *url = rt__yappy_url(client->api_base, target->id);
    if (!url)
        return rt__fail(err, RT_E_NOMEM, NULL);
    rt__buf_init(&body, RT_API_MAX_BYTES);
    const char *urls[] = {url};
    struct rt__request request = {
        .urls = urls, .url_count = 1, .what = what, .pass_client_errors = true, .api = true};
    enum rt_code result = rt__http_get(client, &request, &body, &status, err);
    if (result == RT_OK && status != 200)
        result = rt__fail(err, rt__http_judge(status).code, _("%s: HTTP %ld"), what, status);
    if (result == RT_OK)
        result = rt__yappy_parse(body.data ? body.data : "", body.len, target->id, video, err);
    rt__buf_cleanup(&body);
    free(url);
    return result;
}

/* The description's chapters, once both calls have said what the description and the
 * duration are. */
static enum rt_code find_chapters(struct rt_client *client, struct rt_video *video,
                                  struct rt_error *err)
{
    struct rt_chapter *chapters;
    size_t count;
    if (rt_chapters_from_description(video->description, video->duration, &chapters, &count) !=
        RT_OK)
        return rt__fail(err, RT_E_NOMEM, NULL);
    video->chapters = chapters;
    video->chapter_count = count;
    if (count > 0)
        rt__log(client, RT_LOG_INFO, "video %s: %zu chapters in the description", video->id, count);
    return RT_OK;
}

/* What a failure of rt_video_fetch() is about, as the address named it. */
static void name_video(const struct rt_target *target, struct rt_error *err)
{
    if (target->kind == RT_TARGET_EMBED)
        rt__error_about(err, _("embed %s"), target->id);
    else if (target->kind == RT_TARGET_YAPPY)
        rt__error_about(err, _("Yappy clip %s"), target->id);
    else
        rt__error_about(err, _("video %s"), target->id);
}

enum rt_code rt_video_fetch(struct rt_client *client, const struct rt_target *target,
                            struct rt_video **out, struct rt_error *err)
{
    if (!client || !target || !out)
        return rt__fail(err, RT_E_USAGE, _("rt_video_fetch needs a client, a target and a result"));
    *out = NULL;
    if (rt_target_is_collection(target))
        return rt__fail(
            err, RT_E_USAGE,
            _("the address names a list of videos: read it with rt_collection_fetch()"));
    struct rt_video *video = calloc(1, sizeof *video);
    if (!video)
        return rt__fail(err, RT_E_NOMEM, NULL);
    enum rt_code result;
    if (target->kind == RT_TARGET_YAPPY) {
        result = fetch_yappy(client, target, video, err);
    } else {
        result = fetch_options_and_info(client, target, video, err);
        if (result == RT_OK)
            result = fetch_master(client, video, err);
    }
    if (result == RT_OK)
        result = find_chapters(client, video, err);
    if (result == RT_OK) {
        rt__log(client, RT_LOG_DEBUG, "video %s: %zu formats, %.1f s", video->id,
                video->format_count, video->duration);
        *out = video;
    } else {
        rt_video_free(video);
        name_video(target, err);
    }
    return result;
}

void rt_video_free(struct rt_video *video)
{
    if (!video)
        return;
    rt__video_cleanup(video);
    free(video);
}
