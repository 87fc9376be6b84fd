/* The library's messages in the user's language: gettext's markers for lib/. */
#ifndef RT_LIB_I18N_H
#define RT_LIB_I18N_H

#include <libintl.h>

/*
 * _("...") is a sentence a person reads (an rt_error's message, a warning, rt_strerror()):
 * looked up in the "rutube-dl" catalog (po/), the one the command and the window bind before
 * any library call. The library never binds it itself: an application that wants the
 * library's messages in Russian calls bindtextdomain("rutube-dl", dir) (see rutube.h);
 * without it every message is its English msgid. N_("...") marks a string for the catalog
 * and leaves the lookup to where it is used. Machine-read text (JSON keys, info.json, state
 * files, metadata written into files, DEBUG and INFO logs) is never marked.
 */
#define RT_TEXT_DOMAIN "rutube-dl"
#define _(text)        dgettext(RT_TEXT_DOMAIN, text)
#define N_(text)       text

#endif
