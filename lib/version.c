/* rt_version_string(): the versions of the libraries actually loaded. */
#include "rutube/rutube.h"

#include "media/av.h"

#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>

static char version_text[160];

static void make_version_text(void)
{
    const curl_version_info_data *curl = curl_version_info(CURLVERSION_NOW);
    const struct rt__av *av = rt__av_load(NULL);
    unsigned v = av ? av->avformat_version() : 0;
    char avformat[48] = "not found (MP4 and MKV need it)";
    if (av)
        snprintf(avformat, sizeof avformat, "%u.%u.%u", v >> 16, (v >> 8) & 0xFF, v & 0xFF);
    snprintf(version_text, sizeof version_text,
             "librutube %s, libcurl %s, jansson %s, libavformat %s", RT_VERSION,
             curl && curl->version ? curl->version : "?", jansson_version_str(), avformat);
}

const char *rt_version_string(void)
{
    /* The versions of the libraries actually loaded, not those we were built against. */
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, make_version_text);
    return version_text;
}
