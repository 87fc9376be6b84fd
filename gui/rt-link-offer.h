/* The row under the address field that offers the RuTube address found on the clipboard. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define RT_TYPE_LINK_OFFER (rt_link_offer_get_type())
G_DECLARE_FINAL_TYPE(RtLinkOffer, rt_link_offer, RT, LINK_OFFER, AdwBin)

/*
 * Hidden until rt_link_offer_show(). Its button ("Get info" for one address, "Download all
 * N videos" for several) emits "use" (const char *text: what was offered) and hides the
 * row; the close button only hides it. Nothing starts without that click. Template children
 * (for tests): title_label, address_label, use_button, dismiss_button.
 */

/* Offer `text`, the clipboard's words, which hold `count` addresses, the first `first`. */
void rt_link_offer_show(RtLinkOffer *offer, const char *text, size_t count, const char *first);

void rt_link_offer_hide(RtLinkOffer *offer);

/* What the row offers now, or NULL when it is hidden. Borrowed. */
const char *rt_link_offer_get_text(RtLinkOffer *offer);

G_END_DECLS
