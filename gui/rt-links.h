/* Addresses that come from outside the window: the clipboard when the window opens or gets
 * the focus, links and text files dropped on it, the program's command line. */
#pragma once

#include <adwaita.h>

#include "rt-link-offer.h"
#include "rt-window.h"

G_BEGIN_DECLS

#define RT_TYPE_LINKS (rt_links_get_type())
G_DECLARE_FINAL_TYPE(RtLinks, rt_links, RT, LINKS, GObject)

/*
 * What `window` takes in from outside. Watches its focus: when it opens or gets the focus
 * and the clipboard holds RuTube addresses it has not offered yet, `offer` shows them (its
 * button looks them up or queues them; nothing starts without it). Puts a drop target on
 * the window for links (text/uri-list, text) and text files of addresses. The window owns
 * the result and calls rt_links_detach() when it goes.
 */
RtLinks *rt_links_new(RtWindow *window, RtLinkOffer *offer);

/* The window is going: what is still being read is dropped. Unrefs `links`. */
void rt_links_detach(RtLinks *links);

/* Read the clipboard and offer what it holds, as the window's getting the focus does. */
void rt_links_check_clipboard(RtLinks *links);

/* The clipboard text last read (offered or not), or NULL: the same is not offered again. */
const char *rt_links_get_clipboard_seen(RtLinks *links);

/* The addresses of clipboard text worth offering: every line (as in a batch file: comments
 * and blank lines skipped) a RuTube address that rt_target_parse() knows, written as an
 * address (a bare id could be any checksum). NULL when the text is anything else. Caller
 * frees with g_strfreev(). */
char **rt_links_offerable(const char *text);

/* Take in what was dropped: a GdkFileList (links and files) or a string (lines of
 * addresses). What the drop target calls; FALSE for a value of another type. */
gboolean rt_links_take_value(RtLinks *links, const GValue *value);

/* Take in the command line's arguments: each an address, or a text file of them (a path,
 * relative to `cwd`, or a file:// address). */
void rt_links_take_arguments(RtLinks *links, const char *const *arguments, const char *cwd);

G_END_DECLS
