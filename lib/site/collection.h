/* Collections: building the list of videos from RuTube's pages. */
#ifndef RT_LIB_COLLECTION_H
#define RT_LIB_COLLECTION_H

#include "rutube/rutube.h"

/* The ids of the entries so far (borrowed from them), to drop repeats. */
struct rt__id_set {
    const char **slots;
    size_t cap; /* a power of two, or 0 */
    size_t count;
};

/* A collection being read, page after page. */
struct rt__collection_builder {
    struct rt_collection *collection;
    size_t cap; /* entries allocated */
    struct rt__id_set seen;
    size_t max_entries; /* 0: no limit */
    const char *about;  /* the list in warnings ("playlist 410001"); NULL: none */
};

/* What one page brought. */
struct rt__page {
    size_t listed; /* results on the page */
    size_t cards;  /* of those, cards of something else than a video (a feed's series) */
    size_t added;  /* of the others, new videos taken */
    bool has_next; /* RuTube says there is more */
};

/* `<api_base>/api/...?page=<page>&format=json` for a collection target; NULL when out of
 * memory or `target` is not a collection. */
char *rt__collection_page_url(const char *api_base, const struct rt_target *target, size_t page);

/*
 * Parse one page (`{"results": [...], "has_next": bool, "next": ...}`) and append the entries
 * it brings that are new and name a video (others are skipped; logged to `client`, which may
 * be NULL). `what` names the page in messages.
 * Errors: RT_E_BAD_RESPONSE (not a list of videos), RT_E_NOMEM.
 */
enum rt_code rt__collection_add_page(struct rt__collection_builder *builder, const char *json,
                                     size_t len, const char *what, const struct rt_client *client,
                                     struct rt__page *page, struct rt_error *err);

/* Free the builder's own memory (not the collection). */
void rt__collection_builder_cleanup(struct rt__collection_builder *builder);

#endif
