/* The row under the address field that offers the RuTube address found on the clipboard. */
#include "rt-link-offer.h"

#include <glib/gi18n.h>

#include "rt-text.h"

struct _RtLinkOffer {
    AdwBin parent_instance;

    char *text; /* what is offered, or NULL */

    GtkRevealer *revealer;
    GtkLabel *title_label;
    GtkLabel *address_label;
    GtkButton *use_button;
    GtkButton *dismiss_button;
};

G_DEFINE_TYPE(RtLinkOffer, rt_link_offer, ADW_TYPE_BIN)

enum { SIGNAL_USE, N_SIGNALS };
static guint signals[N_SIGNALS];

void rt_link_offer_show(RtLinkOffer *offer, const char *text, size_t count, const char *first)
{
    g_return_if_fail(RT_IS_LINK_OFFER(offer) && text && first && count > 0);
    g_free(offer->text);
    offer->text = g_strdup(text);
    g_autofree char *several =
        g_strdup_printf(ngettext("%zu RuTube address on the clipboard",
                                 "%zu RuTube addresses on the clipboard", count),
                        count);
    gtk_label_set_text(offer->title_label,
                       count == 1 ? _("A RuTube address on the clipboard") : several);
    /* The clipboard is anybody's text: shown as the window shows RuTube's words. */
    g_autofree char *shown = rt_text_shown(first);
    g_autofree char *line = count > 1 ? g_strdup_printf("%s …", shown) : g_strdup(shown);
    gtk_label_set_text(offer->address_label, line);
    gtk_widget_set_tooltip_text(GTK_WIDGET(offer->address_label), shown);
    /* One address is looked up, as Enter would; several go to the queue, as a paste would. */
    g_autofree char *all =
        g_strdup_printf(ngettext("_Download %zu video", "_Download all %zu videos", count), count);
    gtk_button_set_label(offer->use_button, count == 1 ? _("_Get info") : all);
    gtk_widget_set_visible(GTK_WIDGET(offer), TRUE);
    gtk_revealer_set_reveal_child(offer->revealer, TRUE);
}

void rt_link_offer_hide(RtLinkOffer *offer)
{
    g_return_if_fail(RT_IS_LINK_OFFER(offer));
    g_clear_pointer(&offer->text, g_free);
    gtk_revealer_set_reveal_child(offer->revealer, FALSE);
    gtk_widget_set_visible(GTK_WIDGET(offer), FALSE);
}

const char *rt_link_offer_get_text(RtLinkOffer *offer)
{
    g_return_val_if_fail(RT_IS_LINK_OFFER(offer), NULL);
    return offer->text;
}

static void use_clicked_cb(RtLinkOffer *offer)
{
    g_autofree char *text = g_steal_pointer(&offer->text);
    rt_link_offer_hide(offer);
    if (text)
        g_signal_emit(offer, signals[SIGNAL_USE], 0, text);
}

static void dismiss_clicked_cb(RtLinkOffer *offer)
{
    rt_link_offer_hide(offer);
}

static void rt_link_offer_finalize(GObject *object)
{
    g_free(RT_LINK_OFFER(object)->text);
    G_OBJECT_CLASS(rt_link_offer_parent_class)->finalize(object);
}

static void rt_link_offer_dispose(GObject *object)
{
    /* The revealer is both the bin's child and a template child: the bin lets go first, or
     * it would unparent what the template has already. */
    adw_bin_set_child(ADW_BIN(object), NULL);
    gtk_widget_dispose_template(GTK_WIDGET(object), RT_TYPE_LINK_OFFER);
    G_OBJECT_CLASS(rt_link_offer_parent_class)->dispose(object);
}

static void rt_link_offer_class_init(RtLinkOfferClass *klass)
{
    GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
    G_OBJECT_CLASS(klass)->dispose = rt_link_offer_dispose;
    G_OBJECT_CLASS(klass)->finalize = rt_link_offer_finalize;
    signals[SIGNAL_USE] = g_signal_new("use", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                       NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
    gtk_widget_class_set_template_from_resource(widget_class,
                                                "/io/github/RutubeDl/rt-link-offer.ui");
    gtk_widget_class_bind_template_child(widget_class, RtLinkOffer, revealer);
    gtk_widget_class_bind_template_child(widget_class, RtLinkOffer, title_label);
    gtk_widget_class_bind_template_child(widget_class, RtLinkOffer, address_label);
    gtk_widget_class_bind_template_child(widget_class, RtLinkOffer, use_button);
    gtk_widget_class_bind_template_child(widget_class, RtLinkOffer, dismiss_button);
    gtk_widget_class_bind_template_callback(widget_class, use_clicked_cb);
    gtk_widget_class_bind_template_callback(widget_class, dismiss_clicked_cb);
}

static void rt_link_offer_init(RtLinkOffer *offer)
{
    gtk_widget_init_template(GTK_WIDGET(offer));
}
