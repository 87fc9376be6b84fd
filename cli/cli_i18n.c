/* The command's messages in the user's language: the locale, the catalog, text in columns. */
#include "cli_i18n.h"

#include <rutube/rutube.h>

#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>

void cli_i18n_init(void)
{
    setlocale(LC_ALL, "");
    /* Numbers stay in the C locale. librutube reads and writes numbers with strtod() and
     * printf(): a playlist's "#EXTINF:4.000" and the resume state's fingerprint would not
     * survive a decimal comma (ru_RU's), and --print's columns are read by programs. The
     * messages' "42.0%" and "27.1 MiB" keep their dot, as most terminal tools do in Russian. */
    setlocale(LC_NUMERIC, "C");
    const char *dir = getenv("RUTUBE_DL_LOCALEDIR");
    bindtextdomain(GETTEXT_PACKAGE, dir && dir[0] ? dir : LOCALEDIR);
    /* Messages are UTF-8 like the titles they quote, whatever the locale's character set. */
    bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
    textdomain(GETTEXT_PACKAGE);
}

void cli_complain(const char *fmt, ...)
{
    char message[2048], shown[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    /* It may quote what the user or a server typed: printable, on one line. */
    rt_text_printable(message, shown, sizeof shown);
    fprintf(stderr, "rutube-dl: %s\n", shown);
}

size_t cli_text_chars(const char *text)
{
    size_t n = 0;
    for (const char *p = text; *p; p++)
        n += ((unsigned char)*p & 0xC0) != 0x80;
    return n;
}

int cli_text_cut(const char *text, int chars)
{
    int i = 0;
    for (int n = 0; text[i] && n < chars; n++) {
        i++;
        while (((unsigned char)text[i] & 0xC0) == 0x80)
            i++;
    }
    return i;
}

void cli_text_pad(FILE *out, const char *text, int width, bool right)
{
    size_t chars = cli_text_chars(text);
    int pad = chars < (size_t)width ? width - (int)chars : 0;
    if (!right)
        fputs(text, out);
    fprintf(out, "%*s", pad, "");
    if (right)
        fputs(text, out);
}
