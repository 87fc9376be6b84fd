/* The command's messages in the user's language: gettext's markers, and text that lines up in
 * columns whatever the language. */
#ifndef RT_CLI_I18N_H
#define RT_CLI_I18N_H

#include <libintl.h>
#include <stdbool.h>
#include <stdio.h>

/*
 * _("...") is a message the user reads: looked up in the "rutube-dl" catalog (po/), shared
 * with the window. N_("...") marks a message for the catalog where it is written and leaves
 * the lookup to where it is used. Machine-read output (--print, --flat, the download archive)
 * is never marked. Before cli_i18n_init() runs (unit tests, or a locale without a catalog)
 * every message is its English msgid.
 */
#define _(text)  gettext(text)
#define N_(text) text

/*
 * Take the user's locale from the environment for messages and characters (LC_ALL, LANG,
 * LANGUAGE...), but keep numbers in the C locale, and bind the catalog: from
 * $RUTUBE_DL_LOCALEDIR when set (the build folder's po/, for tests), else the installed one.
 * Call once, first thing in main(), before any thread starts.
 */
void cli_i18n_init(void);

/* Print "rutube-dl: ", the message (printf-style; `fmt` already translated) and a newline on
 * stderr: the frame of every complaint made before the downloads start. */
void cli_complain(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* How many characters (code points) of UTF-8 `text` there are: what a terminal column counts,
 * for the Latin and Cyrillic text this tool prints. */
size_t cli_text_chars(const char *text);

/* How many bytes of UTF-8 `text` hold its first `chars` characters (all of it when it has
 * fewer): where to cut a line to a terminal's width without splitting a character. */
int cli_text_cut(const char *text, int chars);

/* Print `text` padded with spaces to `width` characters: after it (left-aligned) or, when
 * `right`, before it. printf's "%-10s" counts bytes, and a Cyrillic letter is two. */
void cli_text_pad(FILE *out, const char *text, int width, bool right);

#endif
