/*
 * The real window against the fake RuTube, under Xvfb: types addresses, presses the buttons,
 * waits for what a person would see, and saves a screenshot of each state.
 *
 *   test_gui download|cancel|errors|russian|qualities|chapters|limit|live|history|history-crash|
 *            picker|picker-ru|links|remote|prefs|prefs-network
 *
 * Environment (set by tests/gui/meson.build): FAKE_RUTUBE, FAKE_MEDIA, FFPROBE, SHOTS_DIR,
 * RUTUBE_DL_LOCALEDIR. Output is TAP. The history scenarios run this program again as a
 * child (RTDL_GUI_WORK names the parent's folder), a new start of the window.
 */
#include <signal.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "rt-application.h"
#include "rt-history.h"
#include "rt-inhibit.h"
#include "rt-job-row.h"
#include "rt-link-offer.h"
#include "rt-links.h"
#include "rt-picker.h"
#include "rt-preferences.h"
#include "rt-settings.h"
#include "rt-text.h"
#include "rt-window.h"

/* Ids from tests/fake-rutube/catalog.json. */
#define VIDEO          "2ce725b3dc1a243f8456458975ecd872"
#define TITLE          "Пальцы | Трейлер | PREMIER"
#define PRIVATE        "4f1a0c7e2b9d48a6b3c5d7e9f1a2b3c4"
#define GEO            "6b44ccdc44c54873223033d0f462ef6f"
#define SHORT          "2b920289347334ee93e63873bc444212"
#define LONG           "c58f502c7bb34a8fcdd976b221fca292"
#define UNKNOWN        "ffffffffffffffffffffffffffffffff"
#define HOSTILE_TITLE  "e5c0de5ee5c0de5ee5c0de5ee5c0de5e" /* ESC, BEL, C1, bidi marks */
#define HOSTILE_DETAIL "e5c0de5e00000000000000000000dead" /* removed, RuTube's words the same */
#define UHD            "7d4e1c9a2b3f4e5d6c7b8a9f0e1d2c3b" /* "Горы в 4K": 720p to 2160p, three codecs */
#define CHAPTERED      "c4a97e2b5d1f4a3c8e6b0d2f4a6c8e0a" /* a "Таймкоды:" block, three chapters */
#define CHAPTERED_NAME "Разбор сезона: три части"
#define EPISODE        "7051fd5f383fe1790f47befd77a1f5f0" /* "Пальцы. 1 серия", landscape */
/* On the air: a sliding window of three segments, a new 4 s one every 4 s, never ending. */
#define LIVE         "9bc16299d9f45a152188f9172619b5c0"
#define LIVE_ADDRESS "https://rutube.ru/live/video/" LIVE "/"
#define LIVE_TITLE   "Прямой эфир: новости"

static const char *mode;
static char *work;   /* this run's temporary folder */
static char *folder; /* where the window saves */
static char *api;
static GPid fake_pid;
static int checks;
static int status = 1;
static RtApplication *app;
static RtWindow *window;
static const char *self;  /* this program, for the history scenarios' later starts */
static gboolean is_child; /* one of those: the parent owns the folder and the fake */

/* ---- Reporting ------------------------------------------------------------------------------ */

static void screenshot(const char *name);

static void stop_fake(void)
{
    if (fake_pid) {
        kill(fake_pid, SIGTERM);
        waitpid(fake_pid, NULL, 0);
        fake_pid = 0;
    }
}

static void cleanup(void)
{
    stop_fake();
    if (work && !is_child) {
        const char *argv[] = {"rm", "-rf", work, NULL};
        if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                          NULL, NULL))
            g_printerr("could not remove %s\n", work);
    }
}

static void save_child_checks(void);

/* One TAP line; a failure also saves what the window shows, then ends the test. */
static void report(gboolean passed, const char *fmt, va_list ap)
{
    g_autofree char *text = g_strdup_vprintf(fmt, ap);
    printf("%s %d - %s\n", passed ? "ok" : "not ok", ++checks, text);
    fflush(stdout);
    if (is_child)
        save_child_checks();
    if (passed)
        return;
    if (window) {
        g_autofree char *name = g_strdup_printf("failed-%s.png", mode);
        screenshot(name);
    }
    cleanup();
    exit(1);
}

G_GNUC_PRINTF(2, 3) static void check(gboolean passed, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(passed, fmt, ap);
    va_end(ap);
}

G_GNUC_PRINTF(1, 2) static void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(FALSE, fmt, ap);
    va_end(ap);
}

/* ---- The fake server ---------------------------------------------------------------------- */

/* Start fake-rutube with `extra` switches (NULL-terminated), as tests/integration/lib.sh does. */
static void start_fake(const char *const *extra)
{
    g_autofree char *port_file = g_build_filename(work, "port", NULL);
    g_autofree char *log_file = g_build_filename(work, "requests.log", NULL);
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_ptr_array_add(argv, (char *)g_getenv("FAKE_RUTUBE"));
    g_ptr_array_add(argv, "--media");
    g_ptr_array_add(argv, (char *)g_getenv("FAKE_MEDIA"));
    g_ptr_array_add(argv, "--port-file");
    g_ptr_array_add(argv, port_file);
    g_ptr_array_add(argv, "--log");
    g_ptr_array_add(argv, log_file);
    for (; extra && *extra; extra++)
        g_ptr_array_add(argv, (char *)*extra);
    g_ptr_array_add(argv, NULL);
    g_unlink(port_file);
    g_autoptr(GError) error = NULL;
    if (!g_spawn_async(NULL, (char **)argv->pdata, NULL,
                       G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                       &fake_pid, &error))
        fail("start fake-rutube: %s", error->message);
    for (int i = 0; i < 200; i++) {
        g_autofree char *text = NULL;
        if (g_file_get_contents(port_file, &text, NULL, NULL) && strchr(text, '\n')) {
            g_free(api);
            api = g_strndup(text, strcspn(text, "\n"));
            return;
        }
        g_usleep(25000);
    }
    fail("fake-rutube wrote no port file");
}

/* ---- Driving the window --------------------------------------------------------------------- */

static GtkWidget *child(const char *name)
{
    GObject *object = gtk_widget_get_template_child(GTK_WIDGET(window), RT_TYPE_WINDOW, name);
    if (!object)
        fail("the window has no \"%s\"", name);
    return GTK_WIDGET(object);
}

static gboolean tick_cb(gpointer data)
{
    return G_SOURCE_CONTINUE;
}

/* Turn the main loop until `done` says yes, at most `seconds`. */
static gboolean wait_for(gboolean (*done)(gpointer), gpointer data, double seconds)
{
    gint64 end = g_get_monotonic_time() + (gint64)(seconds * G_USEC_PER_SEC);
    guint tick = g_timeout_add(20, tick_cb, NULL);
    gboolean reached;
    while (!(reached = done(data)) && g_get_monotonic_time() < end)
        g_main_context_iteration(NULL, TRUE);
    g_source_remove(tick);
    return reached;
}

static gboolean never(gpointer data)
{
    return FALSE;
}

/* Let the window draw what changed. */
static void settle(double seconds)
{
    wait_for(never, NULL, seconds);
}

static void screenshot_of(GtkWidget *widget, const char *name)
{
    /* The paintable takes its picture when the window next draws itself. */
    g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new(widget);
    gtk_widget_queue_draw(widget);
    settle(0.3);
    int width = gtk_widget_get_width(widget), height = gtk_widget_get_height(widget);
    GtkSnapshot *snapshot = gtk_snapshot_new();
    gdk_paintable_snapshot(paintable, snapshot, width, height);
    g_autoptr(GskRenderNode) node = gtk_snapshot_free_to_node(snapshot);
    if (!node) {
        printf("# no picture of the window for %s\n", name);
        return;
    }
    GskRenderer *renderer = gtk_native_get_renderer(GTK_NATIVE(widget));
    graphene_rect_t area = GRAPHENE_RECT_INIT(0, 0, (float)width, (float)height);
    g_autoptr(GdkTexture) texture = gsk_renderer_render_texture(renderer, node, &area);
    const char *dir = g_getenv("SHOTS_DIR");
    g_mkdir_with_parents(dir, 0755);
    g_autofree char *path = g_build_filename(dir, name, NULL);
    if (!gdk_texture_save_to_png(texture, path))
        fail("save %s", path);
    printf("# screenshot %s\n", path);
}

static void screenshot(const char *name)
{
    screenshot_of(GTK_WIDGET(window), name);
}

static void type_address(const char *text)
{
    gtk_editable_set_text(GTK_EDITABLE(child("address_entry")), text);
}

static void press_enter(void)
{
    g_signal_emit_by_name(child("address_entry"), "activate");
}

static void click(const char *name)
{
    g_signal_emit_by_name(child(name), "clicked");
}

static const char *label_text(const char *name)
{
    return gtk_label_get_text(GTK_LABEL(child(name)));
}

static gboolean lookup_over(gpointer data)
{
    const char *page = gtk_stack_get_visible_child_name(GTK_STACK(child("info_stack")));
    return g_strcmp0(page, "loading") != 0;
}

/* Enter `address`, press Enter (or "Get info"), wait for the card or an error. */
static void look_up_by(const char *address, gboolean enter)
{
    type_address(address);
    if (enter)
        press_enter();
    else
        click("info_button");
    if (!wait_for(lookup_over, NULL, 30))
        fail("the lookup of %s did not end in 30 s", address);
}

static void look_up(const char *address)
{
    look_up_by(address, FALSE);
}

static gboolean card_shown(void)
{
    const char *page = gtk_stack_get_visible_child_name(GTK_STACK(child("info_stack")));
    return g_strcmp0(page, "video") == 0;
}

/* Whether a label's text holds a control character or a direction mark, raw. */
static gboolean holds_active_text(const char *text)
{
    static const char *const active[] = {"\x1b",         "\x07",         "\x7f",        "\xc2\x9b",
                                         "\xe2\x80\xae", "\xe2\x81\xa6", "\xe2\x81\xa9"};
    for (size_t i = 0; i < G_N_ELEMENTS(active); i++)
        if (strstr(text, active[i]))
            return TRUE;
    return FALSE;
}

static gboolean error_shown(void)
{
    return gtk_revealer_get_reveal_child(GTK_REVEALER(child("error_revealer")));
}

static RtQueue *queue(void)
{
    return rt_application_get_queue(app);
}

static guint job_count(void)
{
    return g_list_model_get_n_items(rt_queue_get_model(queue()));
}

static RtJob *job_at(guint i)
{
    RtJob *job = g_list_model_get_item(rt_queue_get_model(queue()), i);
    g_object_unref(job); /* the queue keeps it */
    return job;
}

static gboolean job_over(gpointer data)
{
    return !rt_job_is_active(RT_JOB(data));
}

static gboolean job_downloading(gpointer data)
{
    return rt_job_get_state(RT_JOB(data)) == RT_JOB_DOWNLOADING;
}

static gboolean all_over(gpointer data)
{
    return rt_queue_get_active(queue()) == 0;
}

static void fraction_cb(RtJob *job, GParamSpec *pspec, double *highest)
{
    if (rt_job_get_fraction(job) > *highest)
        *highest = rt_job_get_fraction(job);
}

static const char *button_label(const char *name)
{
    return gtk_button_get_label(GTK_BUTTON(child(name)));
}

static gboolean file_exists(gpointer path)
{
    return g_file_test(path, G_FILE_TEST_EXISTS);
}

/* What ffprobe says of `path`: `entries` (-show_entries) as CSV lines. Caller frees. */
static char *ffprobe(const char *path, const char *entries)
{
    const char *argv[] = {g_getenv("FFPROBE"), "-v", "error", "-show_entries", entries, "-of",
                          "csv=p=0",           path, NULL};
    g_autofree char *out = NULL;
    int wait_status = 0;
    g_autoptr(GError) error = NULL;
    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                      &wait_status, &error))
        fail("ffprobe: %s", error->message);
    if (!g_spawn_check_wait_status(wait_status, NULL))
        fail("ffprobe cannot read %s", path);
    return g_steal_pointer(&out);
}

/* ffprobe finds a `codec` video stream `width` px wide and AAC audio in `path`. */
static void expect_video(const char *path, const char *codec, int width)
{
    g_autofree char *out = ffprobe(path, "stream=codec_name,width");
    g_autofree char *video = g_strdup_printf("%s,%d", codec, width);
    check(strstr(out, video) && strstr(out, "aac"),
          "ffprobe finds %s %d px wide and AAC in %s (%s)", codec, width, path,
          g_strdelimit(g_strstrip(out), "\n", ' '));
}

/* Press Download and wait for the job it adds (the queue's last) to be done. */
static RtJob *download_newest(const char *what)
{
    guint before = job_count();
    click("download_button");
    check(job_count() == before + 1, "%s goes to the queue", what);
    RtJob *job = job_at(job_count() - 1);
    /* The wait first: the status for the message is read after it (arguments are evaluated
     * in no set order, and a status read before the wait is freed when it changes). */
    gboolean over = wait_for(job_over, job, 60);
    check(over && rt_job_get_state(job) == RT_JOB_DONE, "%s is done: %s", what,
          rt_job_get_status(job));
    return job;
}

/* What ffprobe says of `entry` ("stream=codec_name") in `path`: its values on one line, spaced.
 * Caller frees. */
static char *ffprobe_entry(const char *path, const char *entry)
{
    return g_strdelimit(g_strstrip(ffprobe(path, entry)), "\n", ' ');
}

/* The chapter titles ffprobe reads from `path`, each followed by ';' ("" for none). */
static char *chapter_titles(const char *path)
{
    return g_strdelimit(ffprobe(path, "chapter_tags=title"), "\n", ';');
}

static void expect_playable(const char *path, int width)
{
    expect_video(path, "h264", width);
}

/* How many requests the fake logged whose line holds `needle`. */
static guint requests_for(const char *needle)
{
    g_autofree char *path = g_build_filename(work, "requests.log", NULL);
    g_autofree char *log = NULL;
    guint count = 0;
    if (g_file_get_contents(path, &log, NULL, NULL))
        for (const char *at = log; (at = strstr(at, needle)); at++)
            count++;
    return count;
}

/* ---- The Preferences window ------------------------------------------------------------------ */

/* The open Preferences window, or NULL. */
static RtPreferences *preferences_shown(void)
{
    for (GList *l = gtk_application_get_windows(GTK_APPLICATION(app)); l; l = l->next)
        if (RT_IS_PREFERENCES(l->data))
            return RT_PREFERENCES(l->data);
    return NULL;
}

/* Open it as the menu item and Ctrl+comma do (app.preferences), or find it open. */
static RtPreferences *preferences(void)
{
    if (!preferences_shown()) {
        g_action_group_activate_action(G_ACTION_GROUP(app), "preferences", NULL);
        settle(0.2);
    }
    RtPreferences *shown = preferences_shown();
    if (!shown)
        fail("app.preferences shows no Preferences window");
    return shown;
}

static GtkWidget *pref(const char *name)
{
    GObject *object =
        gtk_widget_get_template_child(GTK_WIDGET(preferences()), RT_TYPE_PREFERENCES, name);
    if (!object)
        fail("the Preferences window has no \"%s\"", name);
    return GTK_WIDGET(object);
}

static void close_preferences(void)
{
    RtPreferences *shown = preferences_shown();
    if (shown)
        gtk_window_close(GTK_WINDOW(shown));
    /* The main window active again, as after a click: a download ending while it is not sends
     * a notification, which needs a session bus the tests do not have. */
    gtk_window_present(GTK_WINDOW(window));
    settle(0.2);
}

/* Choose the item labelled `label` in the Preferences' combo row `name`. */
static void choose(const char *name, const char *label)
{
    AdwComboRow *row = ADW_COMBO_ROW(pref(name));
    GListModel *items = adw_combo_row_get_model(row);
    for (guint i = 0; i < g_list_model_get_n_items(items); i++)
        if (g_strcmp0(gtk_string_list_get_string(GTK_STRING_LIST(items), i), label) == 0) {
            adw_combo_row_set_selected(row, i);
            return;
        }
    fail("%s offers no «%s»", name, label);
}

/* ---- The scenarios -------------------------------------------------------------------------- */

static void test_download(void)
{
    screenshot("01-start.png");
    GtkWidget *text = GTK_WIDGET(gtk_editable_get_delegate(GTK_EDITABLE(child("address_entry"))));
    check(gtk_window_get_focus(GTK_WINDOW(window)) == text,
          "the address field has the focus at start (Ctrl+V, Enter is enough)");

    look_up_by("https://rutube.ru/video/" VIDEO "/", TRUE);
    check(card_shown(), "Enter shows the video's card");
    check(g_strcmp0(label_text("title_label"), TITLE) == 0, "the title is shown: %s",
          label_text("title_label"));
    check(g_strcmp0(label_text("author_label"), "PREMIER онлайн-кинотеатр") == 0,
          "the author is shown");
    check(g_strcmp0(label_text("duration_label"), "1:00") == 0, "the duration is shown: %s",
          label_text("duration_label"));
    GdkPaintable *thumb = gtk_picture_get_paintable(GTK_PICTURE(child("thumbnail_picture")));
    check(thumb && gdk_paintable_get_intrinsic_width(thumb) == 320,
          "the thumbnail is shown (320 px wide)");
    GtkDropDown *qualities = GTK_DROP_DOWN(child("quality_dropdown"));
    GListModel *items = gtk_drop_down_get_model(qualities);
    check(g_list_model_get_n_items(items) == 3, "three qualities are offered");
    const char *best = gtk_string_list_get_string(GTK_STRING_LIST(items), 0);
    check(g_str_has_prefix(best, "1280×712 · H.264 · ≈ ") && strstr(best, "MB"),
          "the best is first, with its codec and size: %s", best);
    check(gtk_drop_down_get_selected(qualities) == 0, "the best is chosen");
    check(gtk_widget_get_sensitive(child("download_button")), "Download can be pressed");
    screenshot("02-info.png");

    gtk_drop_down_set_selected(qualities, 1);
    press_enter(); /* the address shown: a second Enter downloads */
    check(job_count() == 1, "a second Enter puts a job in the queue");
    RtJob *job = job_at(0);
    double highest = 0;
    g_signal_connect(job, "notify::fraction", G_CALLBACK(fraction_cb), &highest);
    check(g_strcmp0(button_label("download_button"), "_Cancel") == 0, "Download turns into Cancel");
    check(gtk_widget_get_visible(child("queue_group")), "the download list shows");
    check(wait_for(job_over, job, 60), "the download ends within 60 s");
    g_signal_handlers_disconnect_by_data(job, &highest);
    check(rt_job_get_state(job) == RT_JOB_DONE, "the download is done: %s", rt_job_get_status(job));
    check(highest >= 0.999, "the progress reached 100 %% (%.3f)", highest);
    check(g_strcmp0(button_label("download_button"), "_Download") == 0,
          "Cancel turns back into Download");
    const char *path = rt_job_get_path(job);
    g_autofree char *expected = g_build_filename(folder, TITLE ".mp4", NULL);
    check(g_strcmp0(path, expected) == 0, "the file is %s", path);
    expect_playable(path, 856);
    g_autofree char *part = g_strconcat(path, ".part", NULL);
    check(!g_file_test(part, G_FILE_TEST_EXISTS), "no .part is left");
    screenshot("03-done.png");

    /* A title far longer than the window wraps and ends with an ellipsis. */
    int width_before = gtk_widget_get_width(GTK_WIDGET(window));
    look_up(LONG);
    check(card_shown() && g_str_has_prefix(label_text("title_label"), "Очень длинное название"),
          "the long title is shown");
    settle(0.2);
    check(gtk_widget_get_width(GTK_WIDGET(window)) == width_before,
          "the long title does not widen the window (%d px)",
          gtk_widget_get_width(GTK_WIDGET(window)));
    screenshot("04-long-title.png");

    /* Several lines pasted at once go straight to the queue. */
    type_address("");
    int position = 0;
    gtk_editable_insert_text(GTK_EDITABLE(child("address_entry")),
                             "https://rutube.ru/video/" SHORT "/\nnot an address\n" VIDEO "\n", -1,
                             &position);
    settle(0.2);
    check(job_count() == 3, "a paste of three lines queues the two videos (%u jobs)", job_count());
    check(error_shown() && strstr(label_text("error_detail"), "not an address"),
          "the line that is not an address is named");
    check(gtk_editable_get_text(GTK_EDITABLE(child("address_entry")))[0] == '\0',
          "the address field is emptied");
    check(wait_for(all_over, NULL, 60), "the queued downloads end");
    check(rt_job_get_state(job_at(1)) == RT_JOB_DONE && rt_job_get_state(job_at(2)) == RT_JOB_DONE,
          "both queued downloads are done");
    expect_playable(rt_job_get_path(job_at(1)), 608);
    screenshot("05-queue.png");

    /* A playlist: its count on the card, rules for the quality, every video queued. */
    guint before = job_count();
    look_up("https://rutube.ru/plst/410001/");
    check(card_shown() && g_strcmp0(label_text("title_label"), "Playlist 410001") == 0,
          "a playlist's card: %s", label_text("title_label"));
    check(g_str_has_prefix(label_text("duration_label"), "5 videos"), "with its count: %s",
          label_text("duration_label"));
    check(g_strcmp0(button_label("download_button"), "_Download 5 videos") == 0,
          "the button says how many: %s", button_label("download_button"));
    gtk_drop_down_set_selected(qualities, 5); /* Smallest */
    click("download_button");
    check(job_count() == before + 5, "the five videos are queued");
    check(wait_for(all_over, NULL, 120), "the playlist's downloads end");
    guint done = 0, failed = 0;
    for (guint i = before; i < job_count(); i++) {
        done += rt_job_get_state(job_at(i)) == RT_JOB_DONE;
        failed += rt_job_get_state(job_at(i)) == RT_JOB_FAILED;
    }
    check(done == 4 && failed == 1, "four are saved, the removed one failed (%u, %u)", done,
          failed);
    screenshot("13-playlist.png");

    click("clear_button");
    check(job_count() == 0 && !gtk_widget_get_visible(child("queue_group")),
          "Clear Finished empties the list, which hides");
}

/* ---- The picker: a list's videos with check boxes ------------------------------------------- */

/* Person 24550718 in the catalog: five videos, dated 5, 4, 3, 2 and 1 March, listed newest
 * first as RuTube lists a channel. */
#define PERSON_ADDRESS "https://rutube.ru/video/person/24550718/"
static const char *const person_titles[] = {
    "Борщ за 5 минут", "Как нарезать лук #shorts", "Сырники на завтрак",
    "Блины: переворот 🥞", "Пельмени с нуля"};

static GtkWidget *picker_child(const char *name)
{
    GObject *object = gtk_widget_get_template_child(child("picker"), RT_TYPE_PICKER, name);
    if (!object)
        fail("the picker has no \"%s\"", name);
    return GTK_WIDGET(object);
}

static RtPicker *picker(void)
{
    return RT_PICKER(child("picker"));
}

static RtPickerItem *picker_row(guint i)
{
    RtPickerItem *item = g_list_model_get_item(rt_picker_get_model(picker()), i);
    if (!item)
        fail("the picker has no row %u", i + 1);
    g_object_unref(item); /* the model keeps it */
    return item;
}

/* The rows' places in the list, as shown: "5 4 3 2 1". Caller frees. */
static char *picker_positions(void)
{
    GListModel *rows = rt_picker_get_model(picker());
    g_autoptr(GString) text = g_string_new(NULL);
    for (guint i = 0; i < g_list_model_get_n_items(rows); i++)
        g_string_append_printf(text, "%s%u", i ? " " : "",
                               rt_picker_item_get_position(picker_row(i)));
    return g_string_free(g_steal_pointer(&text), FALSE);
}

/* The row widgets the list view has made (its check buttons): all of them, or those on the
 * screen (mapped). */
static void collect_checks(GtkWidget *widget, gboolean mapped_only, GPtrArray *found)
{
    for (GtkWidget *c = gtk_widget_get_first_child(widget); c; c = gtk_widget_get_next_sibling(c)) {
        if (GTK_IS_CHECK_BUTTON(c)) {
            if (!mapped_only || gtk_widget_get_mapped(c))
                g_ptr_array_add(found, c);
        } else {
            collect_checks(c, mapped_only, found);
        }
    }
}

/* The row widget showing number `position` (from 1), or NULL when none is in sight. */
static GtkCheckButton *row_check(guint position)
{
    g_autoptr(GPtrArray) boxes = g_ptr_array_new();
    collect_checks(picker_child("list_view"), TRUE, boxes);
    g_autofree char *number = g_strdup_printf("%u", position);
    for (guint i = 0; i < boxes->len; i++) {
        GtkWidget *box = gtk_check_button_get_child(boxes->pdata[i]);
        if (g_strcmp0(gtk_label_get_text(GTK_LABEL(gtk_widget_get_first_child(box))), number) == 0)
            return boxes->pdata[i];
    }
    return NULL;
}

/* The picker says `checked` of its videos are checked, and the big button agrees. */
static void expect_checked(guint checked, const char *label, const char *count, const char *how)
{
    const char *shown = gtk_label_get_text(GTK_LABEL(picker_child("count_label")));
    check(rt_picker_get_checked(picker()) == checked && g_strcmp0(shown, count) == 0,
          "%s: %u checked, \"%s\"", how, rt_picker_get_checked(picker()), shown);
    check(g_strcmp0(button_label("download_button"), label) == 0 &&
              gtk_widget_get_sensitive(child("download_button")) == (checked > 0),
          "%s: the button reads \"%s\" and is %s", how, button_label("download_button"),
          gtk_widget_get_sensitive(child("download_button")) ? "sensitive" : "greyed out");
}

static void enter_range(const char *spec)
{
    gtk_editable_set_text(GTK_EDITABLE(picker_child("range_entry")), spec);
    g_signal_emit_by_name(picker_child("range_entry"), "activate");
    settle(0.1);
}

static gboolean range_refused(void)
{
    return gtk_widget_get_visible(picker_child("range_error")) &&
           gtk_widget_has_css_class(picker_child("range_entry"), "error");
}

/* The longest the main loop went without running a 10 ms timer: how long the window froze. */
typedef struct {
    gint64 last;
    gint64 longest;
} Stall;

static gboolean stall_tick_cb(gpointer data)
{
    Stall *stall = data;
    gint64 now = g_get_monotonic_time();
    if (now - stall->last > stall->longest)
        stall->longest = now - stall->last;
    stall->last = now;
    return G_SOURCE_CONTINUE;
}

/* Look `address` up while watching the main loop: the longest stall in ms. */
static double look_up_watched(const char *address, double *seconds)
{
    Stall stall = {g_get_monotonic_time(), 0};
    guint tick = g_timeout_add(10, stall_tick_cb, &stall);
    gint64 start = g_get_monotonic_time();
    look_up(address);
    settle(0.3); /* the rows drawn too */
    *seconds = (double)(g_get_monotonic_time() - start) / G_USEC_PER_SEC - 0.3;
    g_source_remove(tick);
    return (double)stall.longest / 1000;
}

static int compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files in the download folder, sorted, each followed by '\n'. Caller frees. */
static char *folder_files(void)
{
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GDir) dir = g_dir_open(folder, 0, NULL);
    const char *name;
    while (dir && (name = g_dir_read_name(dir)))
        g_ptr_array_add(names, g_strdup(name));
    g_ptr_array_sort(names, compare_names);
    g_autoptr(GString) text = g_string_new(NULL);
    for (guint i = 0; i < names->len; i++)
        g_string_append_printf(text, "%s\n", (char *)names->pdata[i]);
    return g_string_free(g_steal_pointer(&text), FALSE);
}

static void test_picker(void)
{
    look_up(PERSON_ADDRESS);
    check(card_shown() && gtk_widget_get_visible(child("picker")),
          "an author's list shows its videos with check boxes");
    GListModel *rows = rt_picker_get_model(picker());
    check(g_list_model_get_n_items(rows) == 5 && rt_picker_get_total(picker()) == 5,
          "five rows, as the list has five videos (%u)", g_list_model_get_n_items(rows));
    for (guint i = 0; i < 5; i++)
        check(g_strcmp0(rt_picker_item_get_title(picker_row(i)), person_titles[i]) == 0 &&
                  rt_picker_item_get_position(picker_row(i)) == i + 1,
              "row %u is «%s», number %u", i + 1, rt_picker_item_get_title(picker_row(i)),
              rt_picker_item_get_position(picker_row(i)));
    check(g_strcmp0(rt_picker_item_get_duration(picker_row(0)), "1:00") == 0,
          "a row shows the video's duration (%s)", rt_picker_item_get_duration(picker_row(0)));
    GtkDropDown *order = GTK_DROP_DOWN(picker_child("order_dropdown"));
    const char *order_word =
        gtk_string_list_get_string(GTK_STRING_LIST(gtk_drop_down_get_model(order)), 0);
    check(gtk_drop_down_get_selected(order) == 0 && g_strcmp0(order_word, "Newest first") == 0,
          "a channel's list reads newest first (%s)", order_word);
    expect_checked(5, "_Download 5 videos", "5 of 5 videos checked", "at first");
    GtkCheckButton *second = row_check(2);
    check(second && gtk_check_button_get_active(second), "row 2 has a checked box in sight");
    screenshot("picker-01-list.png");

    /* The check box on the screen and the model are one. */
    gtk_check_button_set_active(second, FALSE);
    check(!rt_picker_item_get_checked(picker_row(1)), "unchecking row 2's box unchecks video 2");
    expect_checked(4, "_Download 4 videos", "4 of 5 videos checked", "row 2 unchecked");
    g_signal_emit_by_name(picker_child("list_view"), "activate", 0);
    check(!gtk_check_button_get_active(row_check(1)), "Enter on row 1 unchecks its box too");
    expect_checked(3, "_Download 3 videos", "3 of 5 videos checked", "row 1 too");

    g_signal_emit_by_name(picker_child("none_button"), "clicked");
    expect_checked(0, "_Download 0 videos", "0 of 5 videos checked", "None");
    check(!gtk_check_button_get_active(row_check(5)) &&
              !gtk_widget_get_sensitive(picker_child("none_button")),
          "None clears every box and greys itself out");
    screenshot("picker-02-none.png");
    click("download_button"); /* greyed out: a click by other means must queue nothing */
    check(job_count() == 0, "nothing is queued with none checked");

    g_signal_emit_by_name(picker_child("all_button"), "clicked");
    expect_checked(5, "_Download 5 videos", "5 of 5 videos checked", "All");
    check(gtk_check_button_get_active(row_check(2)), "All checks every box");

    enter_range("2-3,5");
    check(!range_refused(), "\"2-3,5\" is a range");
    check(!rt_picker_item_get_checked(picker_row(0)) && rt_picker_item_get_checked(picker_row(1)) &&
              rt_picker_item_get_checked(picker_row(2)) &&
              !rt_picker_item_get_checked(picker_row(3)) &&
              rt_picker_item_get_checked(picker_row(4)),
          "\"2-3,5\" checks videos 2, 3 and 5 only");
    expect_checked(3, "_Download 3 videos", "3 of 5 videos checked", "2-3,5");
    enter_range("2-x");
    const char *why = gtk_label_get_text(GTK_LABEL(picker_child("range_error")));
    check(range_refused() && strstr(why, "2-x"), "\"2-x\" is refused, named: %s", why);
    expect_checked(3, "_Download 3 videos", "3 of 5 videos checked", "a refused range");
    screenshot("picker-03-range-refused.png");
    gtk_editable_set_text(GTK_EDITABLE(picker_child("range_entry")), "7-");
    check(!range_refused(), "typing again takes the complaint away");
    enter_range("7-");
    why = gtk_label_get_text(GTK_LABEL(picker_child("range_error")));
    check(range_refused() && strstr(why, "1 to 5"), "\"7-\" names no video of five: %s", why);
    expect_checked(3, "_Download 3 videos", "3 of 5 videos checked", "a range past the end");

    /* Oldest first: the rows turn round, and so does the order of the downloads. */
    gtk_drop_down_set_selected(order, 1);
    g_autofree char *positions = picker_positions();
    check(rt_picker_get_reversed(picker()) && g_strcmp0(positions, "5 4 3 2 1") == 0,
          "Oldest first shows the list backwards (%s)", positions);
    check(g_strcmp0(rt_picker_item_get_title(picker_row(0)), "Пельмени с нуля") == 0,
          "the oldest video is on top");
    expect_checked(3, "_Download 3 videos", "3 of 5 videos checked", "oldest first");
    enter_range("1,3");
    expect_checked(2, "_Download 2 videos", "2 of 5 videos checked", "1,3");
    settle(0.2);
    screenshot("picker-04-oldest-first.png");

    /* Two of the five are downloaded, oldest first, and nothing else. */
    click("download_button");
    check(job_count() == 2, "Download 2 videos queues two (%u)", job_count());
    check(g_strcmp0(rt_job_get_title(job_at(0)), "Сырники на завтрак") == 0 &&
              g_strcmp0(rt_job_get_title(job_at(1)), "Борщ за 5 минут") == 0,
          "in the order shown: video 3, then video 1 (%s, %s)", rt_job_get_title(job_at(0)),
          rt_job_get_title(job_at(1)));
    check(wait_for(all_over, NULL, 120), "both downloads end");
    for (guint i = 0; i < 2; i++) {
        RtJob *job = job_at(i);
        check(rt_job_get_state(job) == RT_JOB_DONE, "%s is done: %s", rt_job_get_title(job),
              rt_job_get_status(job));
        expect_playable(rt_job_get_path(job), 1280);
    }
    g_autofree char *files = folder_files();
    gboolean only_those = g_strcmp0(files, "Борщ за 5 минут.mp4\nСырники на завтрак.mp4\n") == 0;
    check(only_those, "the folder holds those two files and nothing for the others: %s",
          g_strdelimit(files, "\n", '|'));
    settle(0.2);
    /* The last row (video 1, oldest first) ends inside the list's frame. */
    graphene_rect_t last_row;
    GtkWidget *scroller = picker_child("list_scroller");
    GtkCheckButton *bottom = row_check(1);
    check(bottom != NULL, "the list is tall enough for video 1's row to be made");
    gboolean placed = gtk_widget_compute_bounds(GTK_WIDGET(bottom), scroller, &last_row);
    int list_height = gtk_widget_get_height(scroller);
    check(placed && last_row.origin.y + last_row.size.height <= list_height,
          "the downloads below do not squeeze the list: its last row ends at %.0f of %d px",
          last_row.origin.y + last_row.size.height, list_height);
    screenshot("picker-05-downloaded.png");

    /* A playlist that never says it has ended: the library stops at the page that repeats, and
     * the window goes on answering meanwhile. */
    double seconds;
    double stalled = look_up_watched("https://rutube.ru/plst/419999/", &seconds);
    check(card_shown() && rt_picker_get_total(picker()) == 2,
          "the endless playlist shows its two videos (%u) in %.2f s", rt_picker_get_total(picker()),
          seconds);
    check(stalled < 250, "the window never froze meanwhile (longest stall %.0f ms)", stalled);
    order_word = gtk_string_list_get_string(GTK_STRING_LIST(gtk_drop_down_get_model(order)), 0);
    check(g_strcmp0(order_word, "As listed") == 0 && !rt_picker_get_reversed(picker()),
          "a playlist keeps its owner's order (%s), back to the start", order_word);
    expect_checked(2, "_Download 2 videos", "2 of 2 videos checked", "a new list");

    /* A single video hides the picker again. */
    look_up(VIDEO);
    check(card_shown() && !gtk_widget_get_visible(child("picker")),
          "a video's card has no check boxes");
    check(g_strcmp0(button_label("download_button"), "_Download") == 0, "and one Download");
}

/* ---- A long list, in Russian ----------------------------------------------------------------- */

#define LONG_LIST_SIZE   600
#define LONG_LIST_AUTHOR 7000001
/* More than the window reads of a list (rt-lookup.c's 5000): it shows those and says so. */
#define HUGE_LIST_SIZE   5010
#define HUGE_LIST_AUTHOR 7000002

/* `count` videos of `author` into the catalog's videos (`json`, `*first` says whether one came
 * before) and its person list into `lists`: ids from `id_base`, newest first a day apart, so
 * that video 1 is the newest, titled "Выпуск <count>". */
static void add_author(GString *json, gboolean *first, GString *lists, int author, int count,
                       int id_base)
{
    g_autoptr(GString) ids = g_string_new(NULL);
    g_autoptr(GDateTime) base = g_date_time_new_utc(2025, 6, 1, 10, 0, 0);
    for (int i = 0; i < count; i++) {
        g_autoptr(GDateTime) when = g_date_time_add_days(base, -i);
        g_autofree char *date = g_date_time_format(when, "%Y-%m-%dT%H:%M:%S");
        g_string_append_printf(
            json,
            "%s{\"id\": \"%032x\", \"title\": \"Выпуск %d\", \"author\": "
            "\"Длинный канал\", \"author_id\": %d, \"media\": \"landscape\", "
            "\"access\": \"ok\", \"created_ts\": \"%s\", \"embed_number\": %d}\n",
            *first ? "" : ",", id_base + i, count - i, author, date, id_base + i);
        g_string_append_printf(ids, "%s\"%032x\"", i ? ", " : "", id_base + i);
        *first = FALSE;
    }
    g_string_append_printf(lists,
                           "%s{\"kind\": \"person\", \"number\": %d, \"title\": \"Длинный "
                           "канал\", \"per_page\": 100, \"videos\": [%s]}",
                           lists->len ? ", " : "", author, ids->str);
}

/* A catalog of two authors, LONG_LIST_SIZE and HUGE_LIST_SIZE videos listed 100 a page:
 * written before the fake starts. Returns the fake's switches. */
static const char *const *long_list_switches(void)
{
    static char *switches[3];
    g_autoptr(GString) json = g_string_new("{\"videos\": [\n");
    g_autoptr(GString) lists = g_string_new(NULL);
    gboolean first = TRUE;
    add_author(json, &first, lists, LONG_LIST_AUTHOR, LONG_LIST_SIZE, 0xabc000);
    add_author(json, &first, lists, HUGE_LIST_AUTHOR, HUGE_LIST_SIZE, 0xdef000);
    g_string_append_printf(json, "], \"collections\": [%s]}\n", lists->str);
    char *path = g_build_filename(work, "long-list.json", NULL);
    if (!g_file_set_contents(path, json->str, -1, NULL))
        fail("write %s", path);
    switches[0] = "--catalog";
    switches[1] = path; /* lives to the end of the run */
    return (const char *const *)switches;
}

static void test_picker_russian(void)
{
    double seconds;
    g_autofree char *address =
        g_strdup_printf("https://rutube.ru/video/person/%d/", LONG_LIST_AUTHOR);
    double stalled = look_up_watched(address, &seconds);
    check(card_shown() && rt_picker_get_total(picker()) == LONG_LIST_SIZE,
          "a list of %d videos on six pages is shown (%u) in %.2f s", LONG_LIST_SIZE,
          rt_picker_get_total(picker()), seconds);
    /* Six pages in a worker thread; on the main thread, GTK 4.8's list view making its first
     * two hundred rows (about 0.05 to 0.1 s here): under half a second on a busy machine. */
    check(stalled < 500, "the window froze at most briefly while it came (longest stall %.0f ms)",
          stalled);
    check(g_strcmp0(rt_picker_item_get_title(picker_row(0)), "Выпуск 600") == 0 &&
              g_strcmp0(rt_picker_item_get_title(picker_row(599)), "Выпуск 1") == 0,
          "in RuTube's order, newest first");
    g_autoptr(GPtrArray) made = g_ptr_array_new();
    collect_checks(picker_child("list_view"), FALSE, made);
    check(made->len > 0 && made->len < LONG_LIST_SIZE / 2,
          "the list view made row widgets for a few of the rows only (%u of %d)", made->len,
          LONG_LIST_SIZE);
    expect_checked(LONG_LIST_SIZE, "_Скачать 600 видео", "Отмечено 600 из 600 видео",
                   "600 videos, in Russian");
    GtkDropDown *order = GTK_DROP_DOWN(picker_child("order_dropdown"));
    const char *order_word =
        gtk_string_list_get_string(GTK_STRING_LIST(gtk_drop_down_get_model(order)), 0);
    check(g_strcmp0(order_word, "Сначала новые") == 0, "the order reads «%s»", order_word);
    screenshot("picker-ru-01-long-list.png");

    gint64 start = g_get_monotonic_time();
    g_signal_emit_by_name(picker_child("none_button"), "clicked");
    settle(0.05);
    double none_ms = (double)(g_get_monotonic_time() - start) / 1000 - 50;
    expect_checked(0, "_Скачать 0 видео", "Отмечено 0 из 600 видео", "«Ни одного»");
    check(none_ms < 300, "None over 600 rows takes %.0f ms", none_ms);
    /* The Russian plural forms: один, два to четыре, пять and on (видео does not change). */
    static const struct {
        const char *range;
        guint count;
        const char *label, *line;
    } ranges[] = {
        {"1", 1, "_Скачать 1 видео", "Отмечено 1 из 600 видео"},
        {"1-3", 3, "_Скачать 3 видео", "Отмечено 3 из 600 видео"},
        {"1-5", 5, "_Скачать 5 видео", "Отмечено 5 из 600 видео"},
        {"1-21", 21, "_Скачать 21 видео", "Отмечено 21 из 600 видео"},
        {"590-,1:100:10", 21, "_Скачать 21 видео", "Отмечено 21 из 600 видео"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(ranges); i++) {
        enter_range(ranges[i].range);
        expect_checked(ranges[i].count, ranges[i].label, ranges[i].line, ranges[i].range);
    }
    check(rt_picker_item_get_checked(picker_row(599)) &&
              rt_picker_item_get_checked(picker_row(90)) &&
              !rt_picker_item_get_checked(picker_row(91)),
          "«590-,1:100:10» checks 590 to 600 and every tenth of the first hundred");

    /* Backwards, the view starts again from the top, where video 600 now is. */
    gtk_drop_down_set_selected(order, 1);
    settle(0.2);
    g_autofree char *oldest =
        g_strdup(gtk_string_list_get_string(GTK_STRING_LIST(gtk_drop_down_get_model(order)), 1));
    check(g_strcmp0(oldest, "Сначала старые") == 0 &&
              g_strcmp0(rt_picker_item_get_title(picker_row(0)), "Выпуск 1") == 0,
          "«%s» puts video 600, the oldest, on top", oldest);
    GtkCheckButton *last = row_check(600), *first = row_check(1);
    check(last && gtk_check_button_get_active(last) && !first,
          "its row is in sight, checked, and video 1's is not");
    enter_range("1-x");
    const char *why = gtk_label_get_text(GTK_LABEL(picker_child("range_error")));
    check(range_refused() && strstr(why, "1-x"), "a bad range is refused in Russian: %s", why);
    screenshot("picker-ru-02-oldest-first.png");

    /* Longer than the window reads: the first 5000, and a note that says so. */
    g_autofree char *huge = g_strdup_printf("https://rutube.ru/video/person/%d/", HUGE_LIST_AUTHOR);
    stalled = look_up_watched(huge, &seconds);
    check(card_shown() && rt_picker_get_total(picker()) == 5000,
          "a list of %d videos shows its first 5000 (%u) in %.2f s", HUGE_LIST_SIZE,
          rt_picker_get_total(picker()), seconds);
    /* The pages come in a worker thread; the main thread's one hitch is GTK 4.8's list view
     * taking the new model (about 0.1 s for 5000 rows here): under half a second on a busy
     * machine. */
    check(stalled < 500, "the window froze at most once, briefly (longest stall %.0f ms)", stalled);
    const char *note = gtk_label_get_text(GTK_LABEL(picker_child("incomplete_label")));
    check(gtk_widget_get_visible(picker_child("incomplete_label")) &&
              strstr(note, "Показано первых видео: 5000"),
          "a note says the list goes on: %s", note);
    g_ptr_array_set_size(made, 0);
    collect_checks(picker_child("list_view"), FALSE, made);
    check(made->len > 0 && made->len < 500, "row widgets for a few of the rows only (%u of 5000)",
          made->len);
    start = g_get_monotonic_time();
    g_signal_emit_by_name(picker_child("none_button"), "clicked");
    g_signal_emit_by_name(picker_child("all_button"), "clicked");
    settle(0.05);
    double both_ms = (double)(g_get_monotonic_time() - start) / 1000 - 50;
    expect_checked(5000, "_Скачать 5000 видео", "Отмечено 5000 из 5000 видео", "5000 videos");
    check(both_ms < 500, "None then All over 5000 rows take %.0f ms", both_ms);
    screenshot("picker-ru-03-cut-short.png");
}

/* A video up to 4K in three codecs: the list names each format's codec, the best first, and
 * the one picked is the one saved, AV1 of a size that comes in H.264 too. */
static void test_qualities(void)
{
    look_up(UHD);
    check(card_shown(), "the 4K video's card is shown");
    GListModel *items = gtk_drop_down_get_model(GTK_DROP_DOWN(child("quality_dropdown")));
    static const char *const expected[] = {"3840×2160 · HEVC · ≈ ", "3840×2160 · AV1 · ≈ ",
                                           "2560×1440 · AV1 · ≈ ",  "1920×1080 · H.264 · ≈ ",
                                           "1920×1080 · AV1 · ≈ ",  "1280×720 · H.264 · ≈ "};
    guint n = g_list_model_get_n_items(items);
    check(n == G_N_ELEMENTS(expected), "six qualities are offered (%u)", n);
    for (guint i = 0; i < n && i < G_N_ELEMENTS(expected); i++) {
        const char *label = gtk_string_list_get_string(GTK_STRING_LIST(items), i);
        check(g_str_has_prefix(label, expected[i]), "quality %u is «%s»", i + 1, label);
    }
    screenshot("14-qualities-4k.png");
    gtk_drop_down_set_selected(GTK_DROP_DOWN(child("quality_dropdown")), 4);
    click("download_button");
    RtJob *job = job_at(0);
    /* The wait first: the status is read for the message after it (arguments are evaluated
     * in no set order, and the one before the wait is freed when the status changes). */
    gboolean over = wait_for(job_over, job, 60);
    check(over && rt_job_get_state(job) == RT_JOB_DONE, "the AV1 1080p download is done: %s",
          rt_job_get_status(job));
    expect_video(rt_job_get_path(job), "av1", 1920);
    check(requests_for(".m4s") >= 2, "it came from the fragmented MP4 rendition");

    /* The audio alone, chosen in Preferences: an MP3 with its cover. */
    gtk_switch_set_active(GTK_SWITCH(pref("audio_switch")), TRUE);
    choose("audio_row", "MP3");
    gtk_switch_set_active(GTK_SWITCH(pref("thumbnail_switch")), TRUE);
    close_preferences();
    look_up(VIDEO);
    check(!gtk_widget_get_sensitive(child("quality_dropdown")),
          "the quality is not asked: the audio comes from the cheapest format that has it");
    screenshot("16-audio-only.png");
    job = download_newest("the MP3 download");
    check(g_str_has_suffix(rt_job_get_path(job), TITLE ".mp3"), "saved as %s",
          rt_job_get_path(job));
    g_autofree char *streams = ffprobe_entry(rt_job_get_path(job), "stream=codec_name");
    check(strcmp(streams, "mp3 mjpeg") == 0, "ffprobe finds MP3 audio and its cover, no video (%s)",
          streams);
    g_autofree char *saved = NULL;
    g_autofree char *settings_path =
        g_build_filename(g_get_user_config_dir(), "rutube-dl", "gtk.ini", NULL);
    g_file_get_contents(settings_path, &saved, NULL, NULL);
    check(saved && strstr(saved, "audio-only=true") && strstr(saved, "audio=mp3"),
          "the choice is saved as audio-only=true, audio=mp3");

    /* Only a part: the MP4 of 0:10-0:25, named so; words that are no time range are refused. */
    gtk_switch_set_active(GTK_SWITCH(pref("audio_switch")), FALSE);
    close_preferences();
    adw_expander_row_set_expanded(ADW_EXPANDER_ROW(child("options_row")), TRUE);
    gtk_editable_set_text(GTK_EDITABLE(child("section_row")), "ten to twenty");
    click("download_button");
    check(error_shown() && strstr(label_text("error_title"), "time range"),
          "a part that is no time range is refused: %s", label_text("error_title"));
    gtk_editable_set_text(GTK_EDITABLE(child("section_row")), "0:10-0:25");
    job = download_newest("the part");
    check(!error_shown(), "the complaint is gone");
    screenshot("17-a-part.png");
    check(g_str_has_suffix(rt_job_get_path(job), TITLE " [0:10-0:25].mp4"), "as %s",
          rt_job_get_path(job));
    g_autofree char *duration = ffprobe_entry(rt_job_get_path(job), "format=duration");
    double seconds = g_ascii_strtod(duration, NULL);
    check(seconds > 14.95 && seconds < 15.05, "it lasts 15 s (%.3f)", seconds);
}

/* The Chapters switch in "File format and extras": on by default, its chapters in the file;
 * off, saved in gtk.ini, none; greyed out for TS, which holds none. */
static void test_chapters(void)
{
    GtkSwitch *chapters = GTK_SWITCH(child("chapters_switch"));
    AdwExpanderRow *options = ADW_EXPANDER_ROW(child("options_row"));
    check(gtk_switch_get_active(chapters), "the Chapters switch is on by default");
    check(strstr(adw_expander_row_get_subtitle(options), "chapters") != NULL,
          "the folded row says so: %s", adw_expander_row_get_subtitle(options));
    adw_expander_row_set_expanded(options, TRUE);
    look_up(CHAPTERED);
    check(card_shown(), "the timecoded video's card is shown");
    screenshot("16-chapters-switch.png");
    click("download_button");
    RtJob *job = job_at(0);
    gboolean over = wait_for(job_over, job, 60); /* before the status is read */
    check(over && rt_job_get_state(job) == RT_JOB_DONE, "the download is done: %s",
          rt_job_get_status(job));
    g_autofree char *titles = chapter_titles(rt_job_get_path(job));
    check(g_strcmp0(titles, "Вступление;Основная часть;Итоги 🎬;") == 0,
          "the MP4 holds the description's three chapters: %s", titles);

    gtk_switch_set_active(chapters, FALSE);
    g_autofree char *saved = NULL;
    g_autofree char *settings_path =
        g_build_filename(g_get_user_config_dir(), "rutube-dl", "gtk.ini", NULL);
    g_file_get_contents(settings_path, &saved, NULL, NULL);
    check(saved && strstr(saved, "chapters=false"), "turned off, it is saved in %s", settings_path);
    g_autoptr(RtSettings) reloaded = rt_settings_load();
    check(!reloaded->chapters, "and read back so at the next start");
    check(strstr(adw_expander_row_get_subtitle(options), "chapters") == NULL,
          "the folded row no longer says chapters: %s", adw_expander_row_get_subtitle(options));
    g_autofree char *first = g_strdup(rt_job_get_path(job));
    g_unlink(first);
    click("download_button");
    check(job_count() == 2, "Download makes a new job with the new choice");
    job = job_at(1);
    over = wait_for(job_over, job, 60);
    check(over && rt_job_get_state(job) == RT_JOB_DONE, "the second download is done: %s",
          rt_job_get_status(job));
    g_autofree char *none = chapter_titles(rt_job_get_path(job));
    check(g_strcmp0(none, "") == 0, "without chapters this time: «%s»", none);
    expect_playable(rt_job_get_path(job), 1280);

    choose("container_row", "TS");
    settle(0.1);
    check(!gtk_widget_get_sensitive(child("chapters_row")), "with TS the switch is greyed out");
    choose("container_row", "MP4");
    close_preferences();
    gtk_switch_set_active(chapters, TRUE);
    check(gtk_widget_get_sensitive(child("chapters_row")), "with MP4 it is back");
    g_clear_pointer(&saved, g_free);
    g_file_get_contents(settings_path, &saved, NULL, NULL);
    check(saved && strstr(saved, "chapters=true"), "and on again, saved on");

    /* One file per chapter: the part row greyed, three files named after the chapters. */
    gtk_switch_set_active(GTK_SWITCH(child("split_switch")), TRUE);
    settle(0.1);
    check(!gtk_widget_get_sensitive(child("section_row")) &&
              !gtk_widget_get_sensitive(child("chapters_row")),
          "a file per chapter greys out the part and the chapter marks");
    check(strstr(adw_expander_row_get_subtitle(options), "a file per chapter") != NULL,
          "the folded row says so: %s", adw_expander_row_get_subtitle(options));
    screenshot("16-split-chapters.png");
    job = download_newest("the video split into its chapters");
    const char *path = rt_job_get_path(job);
    check(g_str_has_suffix(path, CHAPTERED_NAME " - 001 Вступление.mp4"),
          "the job's file is the first chapter's: %s", path);
    g_autofree char *dir = g_path_get_dirname(path);
    const char *names[] = {"001 Вступление", "002 Основная часть", "003 Итоги 🎬"};
    const char *lengths[] = {"20.0", "25.0", "15.0"};
    guint64 total = 0;
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        g_autofree char *name = g_strdup_printf("%s - %s.mp4", CHAPTERED_NAME, names[i]);
        g_autofree char *file = g_build_filename(dir, name, NULL);
        GStatBuf st;
        check(g_stat(file, &st) == 0, "%s is saved", name);
        total += (guint64)st.st_size;
        g_autofree char *length = ffprobe_entry(file, "format=duration");
        check(g_str_has_prefix(length, lengths[i]), "%s lasts %s s (%s)", name, lengths[i], length);
        expect_playable(file, 1280);
    }
    g_autofree char *all = rt_text_size(total);
    check(strstr(rt_job_get_status(job), all) != NULL, "the row counts all three files (%s): %s",
          all, rt_job_get_status(job));
    g_clear_pointer(&saved, g_free);
    g_file_get_contents(settings_path, &saved, NULL, NULL);
    check(saved && strstr(saved, "split-chapters=true"), "the choice is saved");
    gtk_switch_set_active(GTK_SWITCH(child("split_switch")), FALSE);
    check(gtk_widget_get_sensitive(child("section_row")), "off again, the part row is back");
}

/* The question a window asks (Quit while downloads run), or NULL. */
static AdwMessageDialog *find_question(void)
{
    AdwMessageDialog *question = NULL;
    GListModel *toplevels = gtk_window_get_toplevels();
    for (guint i = 0; i < g_list_model_get_n_items(toplevels); i++) {
        g_autoptr(GObject) toplevel = g_list_model_get_item(toplevels, i);
        if (ADW_IS_MESSAGE_DIALOG(toplevel))
            question = ADW_MESSAGE_DIALOG(toplevel);
    }
    return question;
}

static void test_cancel(void)
{
    look_up(VIDEO);
    check(card_shown(), "the video's card is shown");
    click("download_button");
    RtJob *job = job_at(0);
    check(wait_for(job_downloading, job, 30), "the download starts");
    g_autofree char *state = g_strconcat(rt_job_get_path(job), ".part.state", NULL);
    g_autofree char *part = g_strconcat(rt_job_get_path(job), ".part", NULL);
    check(wait_for(file_exists, state, 30), "a resume state is written while downloading");
    settle(0.5);
    check(rt_job_get_fraction(job) > 0 && rt_job_get_fraction(job) < 0.5,
          "the progress bar moves (%.3f)", rt_job_get_fraction(job));
    check(strstr(rt_job_get_status(job), "/s") && strstr(rt_job_get_status(job), "left"),
          "the status shows the speed and the time left: %s", rt_job_get_status(job));
    screenshot("06-downloading.png");

    gint64 pressed = g_get_monotonic_time();
    click("download_button"); /* it reads Cancel now */
    check(wait_for(job_over, job, 1.0), "Cancel stops the download within a second (%.2f s)",
          (double)(g_get_monotonic_time() - pressed) / G_USEC_PER_SEC);
    check(rt_job_get_state(job) == RT_JOB_CANCELLED, "the job is cancelled: %s",
          rt_job_get_status(job));
    check(!g_file_test(rt_job_get_path(job), G_FILE_TEST_EXISTS), "no final file");
    check(g_file_test(part, G_FILE_TEST_EXISTS) && g_file_test(state, G_FILE_TEST_EXISTS),
          "the .part and its .part.state are kept");
    check(g_strcmp0(button_label("download_button"), "_Download") == 0,
          "Cancel turns back into Download");
    screenshot("07-cancelled.png");

    /* Download again: the same job continues (the library picks the .part up), so the first
     * segment, which the .part holds, is not asked for again. */
    guint first_asked = requests_for("/segment-1-v1-a1.ts");
    check(first_asked >= 1, "the first segment was asked for %u time(s)", first_asked);
    click("download_button");
    check(job_count() == 1 && rt_job_is_active(job), "Download again restarts the same job");
    check(wait_for(job_downloading, job, 30), "it downloads again");
    settle(1.5);
    check(requests_for("/segment-1-v1-a1.ts") == first_asked,
          "it continues: the first segment is not fetched again");

    /* Ctrl+Q while it runs asks first; "Keep Downloading" keeps it running. */
    g_action_group_activate_action(G_ACTION_GROUP(app), "quit", NULL);
    settle(0.3);
    AdwMessageDialog *question = find_question();
    check(question != NULL, "quitting while downloading asks first");
    if (question) {
        check(strstr(adw_message_dialog_get_body(question), "1 download is not finished") != NULL,
              "and says how many: %s", adw_message_dialog_get_body(question));
        adw_message_dialog_response(question, "cancel");
        gtk_window_destroy(GTK_WINDOW(question));
    }
    settle(0.2);
    check(rt_job_is_active(job), "\"Keep Downloading\" keeps it running");
    click("download_button");
    check(wait_for(job_over, job, 1.0) && rt_job_get_state(job) == RT_JOB_CANCELLED,
          "and cancels again within a second");
}

static void test_errors(void)
{
    /* The remembered folder is shown, and a changed choice is remembered. */
    check(g_strcmp0(gtk_widget_get_tooltip_text(child("folder_row")), folder) == 0,
          "the folder from the settings file is shown");
    choose("container_row", "TS");
    gtk_switch_set_active(GTK_SWITCH(pref("subtitles_switch")), TRUE);
    close_preferences();
    g_autofree char *saved = NULL;
    g_autofree char *settings_path =
        g_build_filename(g_get_user_config_dir(), "rutube-dl", "gtk.ini", NULL);
    g_file_get_contents(settings_path, &saved, NULL, NULL);
    check(saved && strstr(saved, "container=ts") && strstr(saved, "subtitles=true"),
          "the choices are saved in %s", settings_path);

    look_up("   ");
    check(error_shown() && strstr(label_text("error_title"), "Paste"),
          "an empty address asks for one: %s", label_text("error_title"));

    look_up(UNKNOWN);
    check(error_shown(), "an unknown id shows an error");
    check(g_strcmp0(label_text("error_title"), rt_text_error(RT_E_NOT_FOUND)) == 0,
          "in plain words: %s", label_text("error_title"));
    check(!gtk_widget_get_visible(child("retry_button")), "without Retry");
    check(!gtk_widget_get_sensitive(child("download_button")), "Download cannot be pressed");
    screenshot("08-not-found.png");

    look_up("https://example.com/video/123/");
    check(g_strcmp0(label_text("error_title"), rt_text_error(RT_E_BAD_URL)) == 0,
          "another site's address: %s", label_text("error_title"));
    look_up("https://rutube.ru/video/" PRIVATE "/");
    check(g_strcmp0(label_text("error_title"), rt_text_error(RT_E_PRIVATE)) == 0,
          "a private video without its key: %s", label_text("error_title"));
    look_up(GEO);
    check(g_strcmp0(label_text("error_title"), rt_text_error(RT_E_GEO_BLOCKED)) == 0,
          "a video blocked in the region: %s", label_text("error_title"));

    /* A server's text never reaches a label raw: what would drive a terminal or turn the
     * text around is shown as an escape (rt_text_printable()). */
    look_up(HOSTILE_TITLE);
    const char *title = label_text("title_label");
    check(card_shown() && !holds_active_text(title) && strstr(title, "\\x1b]0;pwned\\x07") &&
              strstr(title, "\\u202eevil"),
          "a title with escape sequences is shown escaped: %s", title);
    check(!holds_active_text(label_text("author_label")) &&
              strstr(label_text("author_label"), "\\x1b[2J"),
          "and its author: %s", label_text("author_label"));
    look_up(HOSTILE_DETAIL);
    const char *detail = label_text("error_detail");
    check(error_shown() && !holds_active_text(detail) && strstr(detail, "\\u009b2J"),
          "RuTube's words for a removed video are shown escaped: %s", detail);
    screenshot("15-hostile-text.png");

    /* A full disk: the .part names lead to /dev/full, which refuses every write. */
    g_mkdir_with_parents(folder, 0755);
    for (int i = 0; i < 2; i++) {
        g_autofree char *part = g_strdup_printf("%s/%s.%s.part", folder, TITLE, i ? "ts" : "mp4");
        if (symlink("/dev/full", part) != 0)
            fail("symlink %s", part);
    }
    look_up(VIDEO);
    click("download_button");
    RtJob *job = job_at(0);
    check(wait_for(job_over, job, 30) && rt_job_get_state(job) == RT_JOB_FAILED,
          "a full disk fails the download");
    check(g_strcmp0(rt_job_get_status(job), rt_text_error(RT_E_DISK_FULL)) == 0,
          "in plain words: %s", rt_job_get_status(job));
    GtkWidget *row =
        GTK_WIDGET(gtk_list_box_get_row_at_index(GTK_LIST_BOX(child("queue_list")), 0));
    GObject *retry = gtk_widget_get_template_child(row, RT_TYPE_JOB_ROW, "retry_button");
    check(retry && gtk_widget_get_visible(GTK_WIDGET(retry)), "its row offers to retry");
    screenshot("09-disk-full.png");

    stop_fake();
    look_up(VIDEO);
    check(g_strcmp0(label_text("error_title"), rt_text_error(RT_E_NETWORK)) == 0, "no server: %s",
          label_text("error_title"));
    check(gtk_widget_get_visible(child("retry_button")), "with Retry");
    screenshot("10-network.png");
    click("retry_button");
    check(wait_for(lookup_over, NULL, 30) && error_shown(), "Retry asks again");
}

static void test_russian(void)
{
    int width = gtk_widget_get_width(GTK_WIDGET(window));
    check(g_strcmp0(button_label("info_button"), "_Сведения") == 0, "the window speaks Russian: %s",
          button_label("info_button"));
    look_up(VIDEO);
    check(card_shown(), "the video's card is shown");
    check(g_strcmp0(button_label("download_button"), "_Скачать") == 0, "Download is «%s»",
          button_label("download_button"));
    gtk_drop_down_set_selected(GTK_DROP_DOWN(child("quality_dropdown")), 2);
    click("download_button");
    RtJob *job = job_at(0);
    check(wait_for(job_over, job, 60) && rt_job_get_state(job) == RT_JOB_DONE,
          "the download is done");
    check(g_str_has_prefix(rt_job_get_status(job), "Сохранено"), "its row says «%s»",
          rt_job_get_status(job));
    check(gtk_widget_get_width(GTK_WIDGET(window)) == width,
          "the Russian words do not widen the window (%d px)",
          gtk_widget_get_width(GTK_WIDGET(window)));
    screenshot("11-russian.png");
    /* The options, the speed limit among them, in Russian: no wider either. */
    adw_expander_row_set_expanded(ADW_EXPANDER_ROW(child("options_row")), TRUE);
    settle(0.3);
    check(gtk_widget_get_width(GTK_WIDGET(window)) == width,
          "the Russian options do not widen the window (%d px)",
          gtk_widget_get_width(GTK_WIDGET(window)));
    screenshot("17-russian-options.png");
    adw_expander_row_set_expanded(ADW_EXPANDER_ROW(child("options_row")), FALSE);
    look_up(UNKNOWN);
    check(error_shown() && strstr(label_text("error_title"), "Видео не найдено"),
          "errors are in Russian too: %s", label_text("error_title"));
    screenshot("12-russian-error.png");
    /* The Chapters switch in Russian, and what the folded row says of it. */
    AdwExpanderRow *options = ADW_EXPANDER_ROW(child("options_row"));
    const char *chapters_title =
        adw_preferences_row_get_title(ADW_PREFERENCES_ROW(child("chapters_row")));
    check(g_strcmp0(chapters_title, "Главы") == 0, "the Chapters switch is «%s»", chapters_title);
    check(strstr(adw_expander_row_get_subtitle(options), "главы") != NULL,
          "the folded row says «%s»", adw_expander_row_get_subtitle(options));
    look_up(CHAPTERED);
    adw_expander_row_set_expanded(options, TRUE);
    screenshot("17-russian-chapters.png");
    adw_expander_row_set_expanded(options, FALSE);
    /* A stream on the air, in Russian: the badge and the button. */
    look_up(LIVE_ADDRESS);
    check(card_shown() && g_strcmp0(label_text("duration_label"), "В эфире") == 0,
          "a live stream's card says «%s»", label_text("duration_label"));
    check(g_strcmp0(button_label("download_button"), "_Записать") == 0, "Record is «%s»",
          button_label("download_button"));
    check(gtk_widget_get_width(GTK_WIDGET(window)) == width,
          "the live card does not widen the window (%d px)",
          gtk_widget_get_width(GTK_WIDGET(window)));
    screenshot("18-russian-live.png");
}

/* The speed limit in "File format and extras": saved in gtk.ini, shown in the folded row, and
 * applied to the download client at once, a download running then included. */
static gboolean saved_holds(const char *text)
{
    g_autofree char *path = g_build_filename(g_get_user_config_dir(), "rutube-dl", "gtk.ini", NULL);
    g_autofree char *saved = NULL;
    return g_file_get_contents(path, &saved, NULL, NULL) && strstr(saved, text);
}

static void test_limit(void)
{
    GtkSpinButton *spin = GTK_SPIN_BUTTON(pref("limit_spin"));
    AdwActionRow *summary_row = ADW_ACTION_ROW(child("format_row"));
    check(gtk_spin_button_get_value(spin) == 0, "no speed limit at first (%.1f)",
          gtk_spin_button_get_value(spin));
    gtk_spin_button_set_value(spin, 1.0);
    check(saved_holds("limit-rate=1000000"), "1 MB/s is saved in gtk.ini as limit-rate=1000000");
    const char *summary = adw_action_row_get_subtitle(summary_row);
    /* (g_format_size() puts a no-break space before the unit.) */
    check(strstr(summary, "at most 1.0\u00a0MB/s") != NULL, "the card's summary says so: %s",
          summary);
    adw_preferences_window_set_visible_page_name(ADW_PREFERENCES_WINDOW(preferences()), "network");
    screenshot_of(GTK_WIDGET(preferences()), "16-speed-limit.png");
    close_preferences();

    /* It reaches the download client: 360p (4,440,936 bytes) takes 4.4 s at 1 MB/s; at least
     * 80 % of that, however loaded the machine (on the loopback it takes a tenth of a second
     * without a limit). */
    look_up(VIDEO);
    check(card_shown(), "the video's card is shown");
    gtk_drop_down_set_selected(GTK_DROP_DOWN(child("quality_dropdown")), 2);
    gint64 started = g_get_monotonic_time();
    click("download_button");
    RtJob *job = job_at(0);
    gboolean over = wait_for(job_over, job, 60);
    check(over && rt_job_get_state(job) == RT_JOB_DONE, "the limited download is done: %s",
          rt_job_get_status(job));
    double took = (double)(g_get_monotonic_time() - started) / G_USEC_PER_SEC;
    check(took >= 0.8 * 4440936 / 1e6, "it took %.2f s, at least 80 %% of 4.4 s", took);
    expect_playable(rt_job_get_path(job), 640);

    /* Changed while a download runs: 0.1 MB/s would take 62 s for 480p, lifted after a second
     * the rest comes at once. */
    gtk_spin_button_set_value(GTK_SPIN_BUTTON(pref("limit_spin")), 0.1);
    close_preferences();
    check(saved_holds("limit-rate=100000"), "0.1 MB/s is saved");
    look_up(EPISODE);
    check(card_shown(), "another video's card is shown");
    gtk_drop_down_set_selected(GTK_DROP_DOWN(child("quality_dropdown")), 1);
    click("download_button");
    check(job_count() == 2, "a second job is queued (%u)", job_count());
    RtJob *second = job_at(1);
    gboolean downloading = wait_for(job_downloading, second, 30);
    check(downloading, "the second download starts (%d: %s)", rt_job_get_state(second),
          rt_job_get_status(second));
    settle(1.5);
    check(rt_job_is_active(second) && rt_job_get_fraction(second) < 0.5,
          "at 0.1 MB/s it is far from done after 1.5 s (%.3f)", rt_job_get_fraction(second));
    gtk_spin_button_set_value(GTK_SPIN_BUTTON(pref("limit_spin")), 0);
    close_preferences();
    check(saved_holds("limit-rate=0"), "no limit is saved as limit-rate=0");
    summary = adw_action_row_get_subtitle(summary_row);
    check(!strstr(summary, "at most"), "the summary drops it: %s", summary);
    over = wait_for(job_over, second, 30);
    check(over && rt_job_get_state(second) == RT_JOB_DONE,
          "lifted, the running download ends within 30 s: %s", rt_job_get_status(second));
    expect_playable(rt_job_get_path(second), 856);
}

/* A stream on the air: the card says so and offers Record; the row counts the time recorded;
 * Stop saves the MP4 of what came in, from the big button or from the row. */
static GtkWidget *row_child(guint index, const char *name)
{
    GtkWidget *row =
        GTK_WIDGET(gtk_list_box_get_row_at_index(GTK_LIST_BOX(child("queue_list")), (int)index));
    GObject *object = row ? gtk_widget_get_template_child(row, RT_TYPE_JOB_ROW, name) : NULL;
    if (!object)
        fail("row %u has no \"%s\"", index, name);
    return GTK_WIDGET(object);
}

/* The seconds a recording's status line says are in ("Recording · 0:12 · 3.4 MB"), -1 when
 * it says no such thing. */
static double recorded_seconds(RtJob *job)
{
    const char *prefix = "Recording · ";
    const char *line = rt_job_get_status(job);
    unsigned a = 0, b = 0, c = 0;
    if (!line || !g_str_has_prefix(line, prefix))
        return -1;
    int n = sscanf(line + strlen(prefix), "%u:%u:%u", &a, &b, &c);
    return n == 3 ? a * 3600.0 + b * 60.0 + c : n == 2 ? a * 60.0 + b : -1;
}

static gboolean recorded_8s(gpointer data)
{
    return recorded_seconds(RT_JOB(data)) >= 8;
}

static gboolean recorded_some(gpointer data)
{
    return recorded_seconds(RT_JOB(data)) > 0;
}

/* A recording and the seconds it had: whether more have come in since. */
typedef struct {
    RtJob *job;
    double had;
} Recorded;

static gboolean recorded_more(gpointer data)
{
    Recorded *r = data;
    return recorded_seconds(r->job) > r->had;
}

/* The saved recording: H.264 and AAC, at least `seconds` long, nothing left beside it. */
static void expect_recording(const char *path, double seconds)
{
    g_autofree char *streams = ffprobe_entry(path, "stream=codec_name");
    check(strstr(streams, "h264") && strstr(streams, "aac"), "ffprobe finds H.264 and AAC (%s)",
          streams);
    g_autofree char *duration = ffprobe_entry(path, "format=duration");
    double length = g_ascii_strtod(duration, NULL);
    check(length >= seconds, "the recording lasts at least %.0f s (%.2f)", seconds, length);
    g_autofree char *part = g_strconcat(path, ".part", NULL);
    g_autofree char *state = g_strconcat(path, ".part.state", NULL);
    check(!g_file_test(part, G_FILE_TEST_EXISTS) && !g_file_test(state, G_FILE_TEST_EXISTS),
          "no .part or .part.state is left");
}

static void test_live(void)
{
    look_up(LIVE_ADDRESS);
    check(card_shown() && g_strcmp0(label_text("title_label"), LIVE_TITLE) == 0,
          "the live stream's card is shown: %s", label_text("title_label"));
    GtkWidget *duration = child("duration_label");
    check(gtk_widget_get_visible(duration) &&
              g_strcmp0(label_text("duration_label"), "Live now") == 0 &&
              gtk_widget_has_css_class(duration, "live-badge"),
          "the card says it is on the air: %s", label_text("duration_label"));
    GtkDropDown *qualities = GTK_DROP_DOWN(child("quality_dropdown"));
    GListModel *items = gtk_drop_down_get_model(qualities);
    guint n = g_list_model_get_n_items(items);
    const char *quality = n ? gtk_string_list_get_string(GTK_STRING_LIST(items), 0) : "";
    check(n >= 1 && gtk_widget_get_sensitive(GTK_WIDGET(qualities)) &&
              gtk_drop_down_get_selected(qualities) == 0,
          "the quality row offers %u, the first chosen: %s", n, quality);
    check(g_strcmp0(quality, "As broadcast") == 0,
          "a playlist that names no size reads «As broadcast»: %s", quality);
    check(g_strcmp0(button_label("download_button"), "_Record") == 0 &&
              gtk_widget_get_sensitive(child("download_button")),
          "the button reads %s", button_label("download_button"));
    check(!gtk_widget_get_sensitive(child("section_row")) &&
              !gtk_widget_get_sensitive(child("split_row")),
          "a live stream is recorded whole: no part of it, no file per chapter");
    screenshot("18-live-card.png");

    click("download_button");
    check(job_count() == 1, "Record puts a job in the queue");
    RtJob *job = job_at(0);
    check(rt_job_is_live(job) && g_strcmp0(button_label("download_button"), "_Stop") == 0,
          "Record turns into Stop (not Cancel): %s", button_label("download_button"));
    GtkWidget *stop = row_child(0, "cancel_button");
    check(gtk_widget_get_visible(stop) &&
              g_strcmp0(gtk_button_get_icon_name(GTK_BUTTON(stop)),
                        "media-playback-stop-symbolic") == 0 &&
              g_strcmp0(gtk_widget_get_tooltip_text(stop), "Stop and save the recording") == 0,
          "its row offers Stop too: %s", gtk_widget_get_tooltip_text(stop));
    check(wait_for(job_downloading, job, 30), "the recording starts");
    gboolean enough = wait_for(recorded_8s, job, 40);
    check(enough, "two segments (8 s) are recorded within 40 s: %s", rt_job_get_status(job));
    /* The playlist's window is in at once: what follows comes as the stream goes on. */
    Recorded had = {job, recorded_seconds(job)};
    check(wait_for(recorded_more, &had, 12), "it records on as the stream goes: %s",
          rt_job_get_status(job));
    const char *line = rt_job_get_status(job);
    check(!strchr(line, '%') && (strstr(line, "MB") || strstr(line, "kB")),
          "the row shows time and bytes, no percent: %s", line);
    check(rt_job_get_fraction(job) == 0, "no fraction of an unknown length (%.3f)",
          rt_job_get_fraction(job));
    GtkWidget *bar = row_child(0, "progress_bar");
    check(gtk_widget_get_visible(bar) && gtk_progress_bar_get_fraction(GTK_PROGRESS_BAR(bar)) == 0,
          "the bar shows no fraction: it pulses");
    check(g_strcmp0(gtk_image_get_icon_name(GTK_IMAGE(row_child(0, "state_icon"))),
                    "media-record-symbolic") == 0,
          "the row's icon is a recorder's red dot");
    settle(0.5); /* the bar moves on a few steps */
    screenshot("18-live-recording.png");

    double recorded = recorded_seconds(job);
    click("download_button"); /* it reads Stop */
    check(rt_job_is_active(job) &&
              g_strcmp0(rt_job_get_status(job), "Finishing the recording…") == 0,
          "Stop finishes the recording: %s", rt_job_get_status(job));
    gboolean over = wait_for(job_over, job, 30);
    check(over && rt_job_get_state(job) == RT_JOB_DONE &&
              g_str_has_prefix(rt_job_get_status(job), "Saved · "),
          "the recording is saved: %s", rt_job_get_status(job));
    const char *path = rt_job_get_path(job);
    check(g_str_has_suffix(path, ".mp4") && g_file_test(path, G_FILE_TEST_EXISTS), "as %s", path);
    expect_recording(path, recorded >= 8 ? 8 : recorded);
    check(g_strcmp0(button_label("download_button"), "_Record") == 0,
          "Stop turns back into Record");
    screenshot("18-live-saved.png");

    /* The row's own Stop. The same stream makes the same name: the first file goes. */
    g_unlink(path);
    click("download_button");
    check(job_count() == 2, "Record again makes a second job");
    RtJob *second = job_at(1);
    check(wait_for(recorded_some, second, 40), "the second recording is under way: %s",
          rt_job_get_status(second));
    g_signal_emit_by_name(row_child(1, "cancel_button"), "clicked");
    over = wait_for(job_over, second, 30);
    check(over && rt_job_get_state(second) == RT_JOB_DONE, "Stop in the row saves it as well: %s",
          rt_job_get_status(second));
    expect_recording(rt_job_get_path(second), 1);

    /* A video that is not on the air reads as before. */
    look_up(VIDEO);
    check(card_shown() && g_strcmp0(button_label("download_button"), "_Download") == 0,
          "a video on demand still offers %s", button_label("download_button"));
    duration = child("duration_label");
    check(g_strcmp0(label_text("duration_label"), "1:00") == 0 &&
              !gtk_widget_has_css_class(duration, "live-badge"),
          "with its duration, no badge: %s", label_text("duration_label"));
    check(gtk_widget_get_sensitive(child("section_row")) &&
              gtk_widget_get_sensitive(child("split_row")),
          "and the part and a file per chapter are back");
}

/* ---- The history: later starts of the window ------------------------------------------------ */

static char *history_file(void)
{
    return g_build_filename(work, "data", "rutube-dl", "history.ini", NULL);
}

/* The entries the history file holds now (none for a missing or unreadable file). */
static GPtrArray *history_entries(void)
{
    g_autofree char *path = history_file();
    g_autofree char *text = NULL;
    gsize length = 0;
    guint skipped = 0;
    GPtrArray *entries = NULL;
    if (g_file_get_contents(path, &text, &length, NULL))
        entries = rt_history_parse(text, length, &skipped, NULL);
    return entries ? entries
                   : g_ptr_array_new_with_free_func((GDestroyNotify)rt_history_entry_free);
}

/* The entry whose address holds the video id `id`, or NULL. Borrowed from `entries`. */
static RtHistoryEntry *entry_for(GPtrArray *entries, const char *id)
{
    for (guint i = 0; i < entries->len; i++) {
        RtHistoryEntry *entry = g_ptr_array_index(entries, i);
        if (strstr(entry->address, id))
            return entry;
    }
    return NULL;
}

static char *child_checks_path(void)
{
    return g_build_filename(work, "checks", NULL);
}

/* A later start's checks go on from its parent's count, which reads where it got to. */
static void save_child_checks(void)
{
    g_autofree char *path = child_checks_path();
    g_autofree char *text = g_strdup_printf("%d\n", checks);
    g_file_set_contents(path, text, -1, NULL);
}

/* Start this program again as `child_mode` (a new process: a new start of the window) with
 * the same folders and fake, and `extra` ("NAME", "value", ..., NULL) in its environment. */
static GPid spawn_child(const char *child_mode, const char *const *extra)
{
    g_autofree char *from = g_strdup_printf("%d", checks);
    g_autofree char *counted = child_checks_path();
    g_unlink(counted); /* a child that checks nothing leaves the count as it is */
    char **envp = g_get_environ();
    envp = g_environ_setenv(envp, "RTDL_GUI_WORK", work, TRUE);
    envp = g_environ_setenv(envp, "RTDL_GUI_CHECKS", from, TRUE);
    envp = g_environ_setenv(envp, "RUTUBE_DL_API_BASE", api, TRUE);
    for (; extra && extra[0]; extra += 2)
        envp = g_environ_setenv(envp, extra[0], extra[1], TRUE);
    const char *argv[] = {self, child_mode, NULL};
    GPid pid = 0;
    g_autoptr(GError) error = NULL;
    gboolean started = g_spawn_async(NULL, (char **)argv, envp, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                     NULL, &pid, &error);
    g_strfreev(envp);
    if (!started)
        fail("start %s %s: %s", self, child_mode, error->message);
    return pid;
}

/* Take in a later start's end (already reaped when `reaped`): its checks count here. */
static void count_child(void)
{
    g_autofree char *path = child_checks_path();
    g_autofree char *text = NULL;
    if (g_file_get_contents(path, &text, NULL, NULL))
        checks = atoi(text);
}

static void run_child(const char *child_mode, const char *const *extra, const char *what)
{
    GPid pid = spawn_child(child_mode, extra);
    int wait_status = 0;
    waitpid(pid, &wait_status, 0);
    count_child();
    check(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0,
          "%s: that start of the window ran through", what);
}

static gboolean no_windows(gpointer data)
{
    return gtk_application_get_windows(GTK_APPLICATION(app)) == NULL;
}

/* Answer the question Quit asks while downloads run with `response`; whether it was asked. */
static gboolean answer_quit(const char *response)
{
    AdwMessageDialog *question = find_question();
    if (question)
        adw_message_dialog_response(question, response);
    return question != NULL;
}

/* The first start: three downloads, two done and one that fails; then a live recording under
 * way when the person quits ("Stop and Quit"). */
static void history_first(void)
{
    rt_window_submit(window, VIDEO "\n" SHORT "\n" UNKNOWN "\n");
    check(job_count() == 3, "three videos are queued (%u)", job_count());
    check(wait_for(all_over, NULL, 60), "the three downloads end");
    check(rt_job_get_state(job_at(0)) == RT_JOB_DONE && rt_job_get_state(job_at(1)) == RT_JOB_DONE,
          "two are done: %s; %s", rt_job_get_status(job_at(0)), rt_job_get_status(job_at(1)));
    check(rt_job_get_state(job_at(2)) == RT_JOB_FAILED, "the unknown one failed: %s",
          rt_job_get_status(job_at(2)));
    settle(0.2);
    g_autoptr(GPtrArray) entries = history_entries();
    RtHistoryEntry *done = entry_for(entries, VIDEO);
    check(entries->len == 3 && done && done->state == RT_JOB_DONE && done->size > 0 &&
              g_strcmp0(done->path, rt_job_get_path(job_at(0))) == 0 &&
              g_strcmp0(done->title, TITLE) == 0,
          "the history on disk holds the three, the done one with its file, title and size");

    look_up(LIVE_ADDRESS);
    click("download_button");
    RtJob *live = job_at(3);
    check(wait_for(recorded_some, live, 30), "a live stream is being recorded: %s",
          rt_job_get_status(live));
    g_action_group_activate_action(G_ACTION_GROUP(app), "quit", NULL);
    settle(0.3);
    check(answer_quit("quit"), "Quit asks first, and is told to stop and quit");
    check(wait_for(no_windows, NULL, 10), "the window closes");
}

/* The next start lists them again as they ended; removing rows takes them off the history. */
static void history_restored(void)
{
    check(job_count() == 4, "the first start's four downloads are listed again (%u)", job_count());
    check(gtk_widget_get_visible(child("queue_group")), "the download list shows at start-up");
    RtJob *done = job_at(0), *moved = job_at(1), *failed = job_at(2);
    check(rt_job_get_state(done) == RT_JOB_DONE && g_strcmp0(rt_job_get_title(done), TITLE) == 0 &&
              g_str_has_prefix(rt_job_get_status(done), "Saved · ") &&
              strstr(rt_job_get_status(done), "MB"),
          "the finished one is done, with its title and size: %s", rt_job_get_status(done));
    check(gtk_widget_get_visible(row_child(0, "play_button")) &&
              gtk_widget_get_visible(row_child(0, "folder_button")) &&
              !gtk_widget_get_visible(row_child(0, "retry_button")),
          "its file is there: Play and Open folder are offered");
    check(rt_job_get_state(moved) == RT_JOB_DONE &&
              g_strcmp0(rt_job_get_status(moved), "File moved or deleted") == 0,
          "the one whose file was deleted says so: %s", rt_job_get_status(moved));
    check(!gtk_widget_get_visible(row_child(1, "play_button")) &&
              !gtk_widget_get_visible(row_child(1, "folder_button")) &&
              gtk_widget_get_visible(row_child(1, "remove_button")),
          "and offers no Play nor Open folder, only Remove");
    const char *why = rt_text_error(rt_job_get_error_code(failed));
    check(rt_job_get_state(failed) == RT_JOB_FAILED && rt_job_get_error_code(failed) != RT_OK &&
              g_strcmp0(rt_job_get_status(failed), why) == 0,
          "the failed one is failed, saying why: %s", rt_job_get_status(failed));
    check(gtk_widget_get_visible(row_child(2, "retry_button")) &&
              g_strcmp0(gtk_widget_get_tooltip_text(row_child(2, "retry_button")),
                        "Download again") == 0,
          "with Retry");
    RtJob *stopped = job_at(3);
    check(rt_job_get_state(stopped) == RT_JOB_CANCELLED &&
              g_strcmp0(rt_job_get_title(stopped), LIVE_TITLE) == 0 &&
              g_strcmp0(rt_job_get_status(stopped), "Paused. Continue where it stopped.") == 0,
          "the recording stopped by Quit is paused: %s", rt_job_get_status(stopped));
    check(gtk_widget_get_visible(row_child(3, "retry_button")) &&
              g_strcmp0(gtk_widget_get_tooltip_text(row_child(3, "retry_button")),
                        "Continue the download") == 0,
          "with Continue");
    check(g_strcmp0(button_label("download_button"), "_Download") == 0 &&
              rt_queue_get_active(queue()) == 0,
          "nothing starts by itself");
    screenshot("history-restored.png");

    g_signal_emit_by_name(row_child(1, "remove_button"), "clicked");
    settle(0.2);
    g_autoptr(GPtrArray) entries = history_entries();
    check(job_count() == 3 && entries->len == 3 && !entry_for(entries, SHORT),
          "a row removed is gone from the history too (%u left)", entries->len);
    click("clear_button");
    settle(0.2);
    g_autoptr(GPtrArray) cleared = history_entries();
    g_autofree char *path = history_file();
    check(job_count() == 0 && cleared->len == 0 && g_file_test(path, G_FILE_TEST_IS_REGULAR),
          "Clear Finished empties the list and the history (%u left)", cleared->len);
}

/* A start with a history planted by the parent: the window comes up with RTDL_GUI_ROWS rows,
 * the first one's status starting with RTDL_GUI_STATUS when that is set. */
static void history_check(void)
{
    const char *what = g_getenv("RTDL_GUI_WHAT");
    guint rows = (guint)atoi(g_getenv("RTDL_GUI_ROWS"));
    const char *status_line = g_getenv("RTDL_GUI_STATUS");
    check(gtk_widget_get_mapped(GTK_WIDGET(window)), "%s: the window starts", what);
    check(job_count() == rows, "%s: %u row(s) listed (%u)", what, rows, job_count());
    check(gtk_widget_get_visible(child("queue_group")) == (rows > 0),
          "%s: the download list shows only with rows in it", what);
    if (status_line)
        check(rows > 0 && g_str_has_prefix(rt_job_get_status(job_at(0)), status_line),
              "%s: the row says %s", what, rows > 0 ? rt_job_get_status(job_at(0)) : "nothing");
}

/* The first start of the crash scenario: a download under way, to be killed from outside. */
static void history_crashing(void)
{
    look_up(VIDEO);
    check(card_shown(), "the video's card is shown");
    click("download_button");
    RtJob *job = job_at(0);
    /* No turn of the main loop yet: the worker has only just been made. */
    g_autoptr(GPtrArray) early = history_entries();
    check(early->len == 1 &&
              ((RtHistoryEntry *)g_ptr_array_index(early, 0))->state == RT_JOB_DOWNLOADING,
          "the download is on disk as running before it fetches anything");
    check(wait_for(job_downloading, job, 30), "the download starts");
    g_autofree char *state = g_strconcat(rt_job_get_path(job), ".part.state", NULL);
    check(wait_for(file_exists, state, 30), "its resume state is written");
    gboolean far = FALSE;
    for (int i = 0; i < 3000 && !(far = rt_job_get_fraction(job) >= 0.2); i++)
        settle(0.02);
    check(far && rt_job_get_fraction(job) < 0.8 && rt_job_get_state(job) == RT_JOB_DOWNLOADING,
          "it gets a fifth of the way, not to the end (%.2f)", rt_job_get_fraction(job));
    g_autoptr(GPtrArray) entries = history_entries();
    RtHistoryEntry *entry = entries->len == 1 ? g_ptr_array_index(entries, 0) : NULL;
    check(entry && entry->state == RT_JOB_DOWNLOADING &&
              g_strcmp0(entry->path, rt_job_get_path(job)) == 0,
          "the history says it runs, with its path");
    settle(0.1); /* the write of its last tenth */
    g_autofree char *ready = g_build_filename(work, "ready", NULL);
    g_file_set_contents(ready, "", 0, NULL);
    wait_for(never, NULL, 120);
    fail("nobody killed the download");
}

/* Run a first start that downloads, kill it (kill -9) a fifth of the way in, and restart the
 * fake at full speed for the next start. */
static void crash_a_download(void)
{
    g_autofree char *ready = g_build_filename(work, "ready", NULL);
    GPid pid = spawn_child("history-crashing", NULL);
    int wait_status = 0;
    gboolean is_ready = FALSE, ended = FALSE;
    for (int i = 0; i < 1800 && !is_ready && !ended; i++) {
        g_usleep(50000);
        is_ready = g_file_test(ready, G_FILE_TEST_EXISTS);
        ended = waitpid(pid, &wait_status, WNOHANG) == pid;
    }
    if (!ended) {
        kill(pid, SIGKILL);
        waitpid(pid, &wait_status, 0);
    }
    count_child();
    check(is_ready && WIFSIGNALED(wait_status) && WTERMSIG(wait_status) == SIGKILL,
          "the first start is killed (SIGKILL) in the middle of its download");
    g_autoptr(GPtrArray) entries = history_entries();
    RtHistoryEntry *entry = entries->len == 1 ? g_ptr_array_index(entries, 0) : NULL;
    check(entry && entry->state == RT_JOB_DOWNLOADING && entry->path && entry->fraction >= 0.2,
          "it left the history saying the download runs, and how far (%.1f)",
          entry ? entry->fraction : 0);
    g_autofree char *part = entry ? g_strconcat(entry->path, ".part", NULL) : NULL;
    check(part && g_file_test(part, G_FILE_TEST_EXISTS) &&
              !g_file_test(entry->path, G_FILE_TEST_EXISTS),
          "and a .part, no final file");
    stop_fake();
    const char *same_playlist[] = {"--segments", "40", NULL};
    start_fake(same_playlist); /* a new log: what the next start asks for */
    g_setenv("RUTUBE_DL_API_BASE", api, TRUE);
}

/* The next start: the killed download comes back paused; Continue finishes its .part. */
static void history_paused(void)
{
    check(job_count() == 1, "the killed download is listed again (%u)", job_count());
    RtJob *job = job_at(0);
    check(rt_job_get_state(job) == RT_JOB_CANCELLED && g_strcmp0(rt_job_get_title(job), TITLE) == 0,
          "paused, with its title");
    check(rt_job_get_fraction(job) >= 0.2, "its bar shows how far it had got (%.1f)",
          rt_job_get_fraction(job));
    check(g_strcmp0(rt_job_get_status(job),
                    "Interrupted when the program ended. Continue where it stopped.") == 0,
          "it says why: %s", rt_job_get_status(job));
    GtkWidget *retry = row_child(0, "retry_button");
    check(gtk_widget_get_visible(retry) &&
              g_strcmp0(gtk_widget_get_tooltip_text(retry), "Continue the download") == 0 &&
              !gtk_widget_get_visible(row_child(0, "cancel_button")) &&
              !gtk_widget_get_visible(row_child(0, "play_button")),
          "it offers Continue, not Cancel nor Play");
    check(rt_queue_get_active(queue()) == 0, "and does not start by itself");
    screenshot("history-paused.png");

    g_autofree char *path = g_strdup(rt_job_get_path(job));
    g_autofree char *part = g_strconcat(path, ".part", NULL);
    g_signal_emit_by_name(retry, "clicked");
    check(rt_job_is_active(job), "Continue starts it");
    gboolean over = wait_for(job_over, job, 60);
    check(over && rt_job_get_state(job) == RT_JOB_DONE, "it is done: %s", rt_job_get_status(job));
    check(g_strcmp0(rt_job_get_path(job), path) == 0, "in the same file: %s", rt_job_get_path(job));
    expect_playable(path, 1280);
    g_autofree char *duration = ffprobe_entry(path, "format=duration");
    check(g_ascii_strtod(duration, NULL) > 159, "all 40 segments of 4 s are there (%s s)",
          duration);
    check(!g_file_test(part, G_FILE_TEST_EXISTS), "no .part is left");
    check(requests_for("/segment-1-v1-a1.ts") == 0,
          "it continued the .part: the first segment was not fetched again");
    settle(0.2);
    g_autoptr(GPtrArray) entries = history_entries();
    RtHistoryEntry *entry = entries->len == 1 ? g_ptr_array_index(entries, 0) : NULL;
    check(entry && entry->state == RT_JOB_DONE && entry->size > 0 && entry->finished > 0,
          "the history says done, with its size and when");
    screenshot("history-continued.png");
}

static void test_history(const char *which)
{
    if (strcmp(which, "history") == 0)
        history_restored();
    else if (strcmp(which, "history-crash") == 0)
        history_paused();
    else if (strcmp(which, "history-first") == 0)
        history_first();
    else if (strcmp(which, "history-check") == 0)
        history_check();
    else if (strcmp(which, "history-crashing") == 0)
        history_crashing();
    else
        fail("unknown mode %s", which);
}

/* ---- The history: bad files ------------------------------------------------------------------ */

/* The first history.ini.bad-* beside the history, or NULL. Caller frees. */
static char *set_aside_file(void)
{
    g_autofree char *path = history_file();
    g_autofree char *dir = g_path_get_dirname(path);
    g_autoptr(GDir) listing = g_dir_open(dir, 0, NULL);
    const char *name;
    while (listing && (name = g_dir_read_name(listing)))
        if (g_str_has_prefix(name, "history.ini.bad-"))
            return g_build_filename(dir, name, NULL);
    return NULL;
}

static void plant(const char *bytes, gssize length)
{
    g_autofree char *path = history_file();
    for (char *aside; (aside = set_aside_file()); g_free(aside))
        g_unlink(aside);
    g_unlink(path);
    if (bytes && !g_file_set_contents(path, bytes, length, NULL))
        fail("cannot write %s", path);
}

/* Start the window on what was planted: it lists `rows` (the first row's status beginning
 * with `status_line`, if given); `aside`: the file is moved aside whole, else kept. */
static void start_on_planted(const char *what, const char *rows, const char *status_line,
                             gboolean aside, const char *bytes, gsize length)
{
    const char *extra[] = {
        "RTDL_GUI_WHAT", what, "RTDL_GUI_ROWS", rows, status_line ? "RTDL_GUI_STATUS" : NULL,
        status_line,     NULL};
    run_child("history-check", extra, what);
    g_autofree char *moved = set_aside_file();
    if (!aside) {
        check(moved == NULL, "%s: the file is kept", what);
        return;
    }
    g_autofree char *text = NULL;
    gsize got = 0;
    check(moved && (!bytes || (g_file_get_contents(moved, &text, &got, NULL) && got == length &&
                               memcmp(text, bytes, length) == 0)),
          "%s: the file is set aside whole, as %s", what, moved ? moved : "nothing");
}

static void start_on(const char *what, const char *bytes, gsize length, const char *rows,
                     const char *status_line, gboolean aside)
{
    plant(bytes, (gssize)length);
    start_on_planted(what, rows, status_line, aside, bytes, length);
}

/* A history of one done download, of the file the first start made. Caller frees. */
static char *good_history(void)
{
    g_autoptr(GPtrArray) entries =
        g_ptr_array_new_with_free_func((GDestroyNotify)rt_history_entry_free);
    RtHistoryEntry *entry = rt_history_entry_new();
    entry->address = g_strdup("https://rutube.ru/video/" VIDEO "/");
    entry->title = g_strdup(TITLE);
    entry->opts.folder = g_strdup(folder);
    entry->path = g_build_filename(folder, TITLE ".mp4", NULL);
    entry->state = RT_JOB_DONE;
    entry->size = 9900000;
    g_ptr_array_add(entries, entry);
    return rt_history_format(entries);
}

static void history_bad_files(void)
{
    g_autofree char *good = good_history();
    /* The same file whole first: what the bad ones are told apart from. */
    start_on("a good file", good, strlen(good), "1", "Saved · 9.9", FALSE);

    char garbage[4096];
    GRand *rand = g_rand_new_with_seed(18);
    for (size_t i = 0; i < sizeof garbage; i++)
        garbage[i] = (char)g_rand_int_range(rand, 0, 256);
    g_rand_free(rand);
    start_on("garbage", garbage, sizeof garbage, "0", NULL, TRUE);

    const char *cut = strstr(good, "address=");
    start_on("a file cut short", good, (gsize)(cut + 3 - good), "0", NULL, TRUE);

    const char *wrong_version = "[history]\nversion=one\n";
    start_on("a wrong-typed version", wrong_version, strlen(wrong_version), "0", NULL, TRUE);

    /* One entry that points nowhere (listed, saying so) among entries with a field of the
     * wrong type or an impossible value (left out). */
    g_autofree char *nowhere = g_strdup_printf(
        "[history]\nversion=1\n\n"
        "[download 1]\naddress=%s\nfolder=/nonexistent\npath=/nonexistent/gone.mp4\nstate=done\n\n"
        "[download 2]\naddress=%s\nfolder=%s\nstate=done\nsize=lots\n\n"
        "[download 3]\naddress=%s\nfolder=%s\nstate=failed\nsubtitles=maybe\n\n"
        "[download 4]\naddress=not an address\nfolder=%s\nstate=done\n\n"
        "[download 5]\naddress=%s\nfolder=%s\nstate=exploded\n\n"
        "[download 6]\naddress=%s\nfolder=relative/folder\nstate=cancelled\n\n"
        "[download 7]\naddress=%s\nfolder=%s\nstate=cancelled\nfraction=nan\n",
        VIDEO, VIDEO, folder, VIDEO, folder, folder, VIDEO, folder, VIDEO, VIDEO, folder);
    start_on("bad entries", nowhere, strlen(nowhere), "1", "File moved or deleted", FALSE);

    /* Past the cap: 5 MiB of comment lines after a sound header. */
    GString *huge = g_string_new("[history]\nversion=1\n");
    while (huge->len < 5 * 1024 * 1024)
        g_string_append(huge, "# padding padding padding padding padding padding padding\n");
    gint64 before = g_get_monotonic_time();
    start_on("a 5 MiB file", huge->str, huge->len, "0", NULL, TRUE);
    printf("# the start on a 5 MiB history took %.2f s\n",
           (double)(g_get_monotonic_time() - before) / G_USEC_PER_SEC);
    g_string_free(huge, TRUE);

    /* A FIFO would block a plain open() until someone writes to it. */
    plant(NULL, 0);
    g_autofree char *path = history_file();
    if (mkfifo(path, 0600) != 0)
        fail("mkfifo %s", path);
    start_on_planted("a FIFO", "0", NULL, TRUE, NULL, 0);
}

/* What the history scenarios do before the window starts in this process, and after. */
static void history_before_start(const char *scenario)
{
    if (strcmp(scenario, "history") == 0) {
        run_child("history-first", NULL, "a first start that downloads");
        g_autoptr(GPtrArray) entries = history_entries();
        RtHistoryEntry *shorter = entry_for(entries, SHORT);
        check(shorter && shorter->path && g_unlink(shorter->path) == 0,
              "the short video's file is deleted between the starts");
    } else if (strcmp(scenario, "history-crash") == 0) {
        crash_a_download();
    }
}

static void history_after_end(const char *scenario)
{
    if (strcmp(scenario, "history") == 0)
        history_bad_files();
}

/* ---- Links from outside: the command line, the clipboard, drops; no suspend; shortcuts ---- */

static GtkWidget *offer_child(const char *name)
{
    GObject *object = gtk_widget_get_template_child(child("link_offer"), RT_TYPE_LINK_OFFER, name);
    if (!object)
        fail("the clipboard's offer has no \"%s\"", name);
    return GTK_WIDGET(object);
}

static const char *offered(void)
{
    return rt_link_offer_get_text(RT_LINK_OFFER(child("link_offer")));
}

static gboolean offer_shown(void)
{
    return offered() && gtk_widget_get_visible(child("link_offer"));
}

static const char *offer_label(const char *name)
{
    return gtk_label_get_text(GTK_LABEL(offer_child(name)));
}

static gboolean is_active(gpointer want)
{
    return gtk_window_is_active(GTK_WINDOW(window)) == GPOINTER_TO_INT(want);
}

static gboolean clipboard_read(gpointer text)
{
    return g_strcmp0(rt_links_get_clipboard_seen(rt_window_get_links(window)), text) == 0;
}

/* What happens when the user copies `text` elsewhere and comes back: another window takes
 * the focus, the clipboard changes, ours gets the focus back. */
static void copy_and_come_back(const char *text)
{
    GtkWidget *other = gtk_window_new();
    gtk_window_set_default_size(GTK_WINDOW(other), 200, 100);
    gtk_window_present(GTK_WINDOW(other));
    if (!wait_for(is_active, GINT_TO_POINTER(FALSE), 10))
        fail("the window does not lose the focus to another");
    gdk_clipboard_set_text(gtk_widget_get_clipboard(GTK_WIDGET(window)), text);
    gtk_window_destroy(GTK_WINDOW(other));
    gtk_window_present(GTK_WINDOW(window));
    if (!wait_for(is_active, GINT_TO_POINTER(TRUE), 10))
        fail("the window does not get the focus back");
    if (!wait_for(clipboard_read, (gpointer)text, 10))
        fail("the window did not read the clipboard when it got the focus back");
    settle(0.1); /* the row is drawn */
}

static GtkDropTarget *drop_target(void)
{
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers(GTK_WIDGET(window));
    for (guint i = 0; i < g_list_model_get_n_items(controllers); i++) {
        g_autoptr(GObject) controller = g_list_model_get_item(controllers, i);
        if (GTK_IS_DROP_TARGET(controller))
            return GTK_DROP_TARGET(controller);
    }
    fail("the window has no drop target");
    return NULL;
}

typedef struct {
    GValue value;
    gboolean done;
    GError *error;
} Deserialized;

static void deserialized_cb(GObject *source, GAsyncResult *result, gpointer data)
{
    Deserialized *d = data;
    gdk_content_deserialize_finish(result, &d->value, &d->error);
    d->done = TRUE;
}

static gboolean deserialized(gpointer data)
{
    return ((Deserialized *)data)->done;
}

/* Drop `text` as `mime` on the window the way GTK hands a drop to it: GDK's own
 * deserializer turns the bytes into `type` (a file list for text/uri-list, a string for
 * text), and the window's drop target gets "drop". (Xvfb has no one to drag with.) */
static void drop(const char *mime, GType type, const char *text)
{
    g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data(g_strdup(text), -1, g_free);
    Deserialized d = {G_VALUE_INIT, FALSE, NULL};
    g_value_init(&d.value, type);
    gdk_content_deserialize_async(in, mime, type, G_PRIORITY_DEFAULT, NULL, deserialized_cb, &d);
    if (!wait_for(deserialized, &d, 10) || d.error)
        fail("GDK cannot read %s: %s", mime, d.error ? d.error->message : "no answer");
    gboolean taken = FALSE;
    g_signal_emit_by_name(drop_target(), "drop", &d.value, 20.0, 20.0, &taken);
    check(taken, "the window takes the drop of %s", mime);
    g_value_unset(&d.value);
}

static gboolean jobs_at_least(gpointer data)
{
    return job_count() >= GPOINTER_TO_UINT(data);
}

static gboolean entry_says(gpointer data)
{
    return g_strcmp0(gtk_editable_get_text(GTK_EDITABLE(child("address_entry"))), data) == 0;
}

static const RtInhibit *inhibit(void)
{
    return rt_application_get_inhibit(app);
}

/* ---- A session manager of the test's own ("remote": its bus has none) ------------------- */

/* GTK asks org.gnome.SessionManager not to suspend, synchronously, from the main thread: the
 * fake answers from a thread of its own, on a connection of its own. */
static const char sm_xml[] =
    "<node><interface name='org.gnome.SessionManager'>"
    "<method name='Inhibit'><arg type='s' direction='in'/><arg type='u' direction='in'/>"
    "<arg type='s' direction='in'/><arg type='u' direction='in'/>"
    "<arg type='u' direction='out'/></method>"
    "<method name='Uninhibit'><arg type='u' direction='in'/></method>"
    "<method name='IsInhibited'><arg type='u' direction='in'/><arg type='b' direction='out'/>"
    "</method></interface></node>";

static struct {
    GMutex lock;
    GCond cond;
    gboolean ready; /* the name is ours */
    guint held;     /* the cookie given out and not taken back, 0 for none */
    guint given;    /* how many were given */
    guint flags;    /* what the last one was for */
    guint next;
} sm;

static void sm_call_cb(GDBusConnection *connection, const char *sender, const char *path,
                       const char *interface, const char *method, GVariant *parameters,
                       GDBusMethodInvocation *invocation, gpointer data)
{
    g_mutex_lock(&sm.lock);
    if (strcmp(method, "Inhibit") == 0) {
        g_variant_get(parameters, "(&su&su)", NULL, NULL, NULL, &sm.flags);
        sm.held = sm.next += 7;
        sm.given++;
        g_dbus_method_invocation_return_value(invocation, g_variant_new("(u)", sm.held));
    } else if (strcmp(method, "Uninhibit") == 0) {
        guint cookie = 0;
        g_variant_get(parameters, "(u)", &cookie);
        if (cookie == sm.held)
            sm.held = 0;
        g_dbus_method_invocation_return_value(invocation, NULL);
    } else {
        g_dbus_method_invocation_return_value(invocation, g_variant_new("(b)", sm.held != 0));
    }
    g_mutex_unlock(&sm.lock);
}

static gpointer sm_thread(gpointer data)
{
    GMainContext *context = g_main_context_new();
    g_main_context_push_thread_default(context);
    g_autoptr(GError) error = NULL;
    g_autofree char *address = g_dbus_address_get_for_bus_sync(G_BUS_TYPE_SESSION, NULL, &error);
    GDBusConnection *connection = address ? g_dbus_connection_new_for_address_sync(
                                                address,
                                                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                    G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                NULL, NULL, &error)
                                          : NULL;
    GDBusNodeInfo *info = g_dbus_node_info_new_for_xml(sm_xml, NULL);
    static const GDBusInterfaceVTable vtable = {sm_call_cb, NULL, NULL, {0}};
    GVariant *reply = NULL;
    if (connection &&
        g_dbus_connection_register_object(connection, "/org/gnome/SessionManager",
                                          info->interfaces[0], &vtable, NULL, NULL, &error))
        reply = g_dbus_connection_call_sync(
            connection, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
            "RequestName", g_variant_new("(su)", "org.gnome.SessionManager", 4 /* no queue */),
            G_VARIANT_TYPE("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
    if (!reply)
        g_printerr("# no session manager of our own: %s\n", error ? error->message : "?");
    g_clear_pointer(&reply, g_variant_unref);
    g_mutex_lock(&sm.lock);
    sm.ready = TRUE;
    g_cond_signal(&sm.cond);
    g_mutex_unlock(&sm.lock);
    for (;;)
        g_main_context_iteration(context, TRUE); /* until the test ends */
    return NULL;
}

/* Before the application starts: GTK looks for the session manager at start-up. */
static void start_session_manager(void)
{
    g_thread_unref(g_thread_new("session-manager", sm_thread, NULL));
    g_mutex_lock(&sm.lock);
    while (!sm.ready)
        g_cond_wait(&sm.cond, &sm.lock);
    g_mutex_unlock(&sm.lock);
}

static guint sm_held(void)
{
    g_mutex_lock(&sm.lock);
    guint held = sm.held;
    g_mutex_unlock(&sm.lock);
    return held;
}

static gboolean sm_let_go(gpointer data)
{
    return sm_held() == 0;
}

/* Each change of the count of running jobs, from start-up on: whether the request not to
 * suspend was held exactly when some ran. */
static guint busy_seen, inhibit_wrong, session_wrong;

static void active_watch_cb(RtQueue *queue, GParamSpec *pspec, gpointer data)
{
    gboolean busy = rt_queue_get_active(queue) > 0;
    busy_seen += busy;
    inhibit_wrong += busy != rt_inhibit_is_held(rt_application_get_inhibit(app));
    /* GTK asks synchronously: the session has the cookie the application holds. (It lets
     * go asynchronously: that is waited for below.) */
    if (busy && sm.ready)
        session_wrong += sm_held() == 0 || sm_held() != rt_inhibit_get_cookie(inhibit());
}

static void startup_cb(GApplication *application)
{
    g_signal_connect(queue(), "notify::active", G_CALLBACK(active_watch_cb), NULL);
}

static const char *address_of(guint i)
{
    return rt_job_get_address(job_at(i));
}

/* A file of addresses named on the command line: two videos and a line that is none. */
static void write_argument_file(const char *dir)
{
    g_autofree char *path = g_build_filename(dir, "args.txt", NULL);
    const char *text = "# for the evening\n" SHORT "\nnot-an-address\n"
                       "https://rutube.ru/video/" EPISODE "/\n";
    if (!g_file_set_contents(path, text, -1, NULL))
        fail("write %s", path);
}

/* After `rutube-dl-gtk https://rutube.ru/video/VIDEO/ args.txt`: the address and the file's
 * two are queued in their order, the line that is no address is named; all are saved. */
static void expect_arguments_queued(const char *shot)
{
    gboolean queued = wait_for(jobs_at_least, GUINT_TO_POINTER(3), 10);
    check(queued, "the address and the file's two are queued (%u jobs)", job_count());
    check(job_count() == 3 && g_str_has_suffix(address_of(0), VIDEO "/") &&
              strcmp(address_of(1), SHORT) == 0 && g_str_has_suffix(address_of(2), EPISODE "/"),
          "in their order: %s, %s, %s", address_of(0), address_of(1), address_of(2));
    check(error_shown() && strstr(label_text("error_detail"), "not-an-address"),
          "the file's line that is no address is named: %s", label_text("error_detail"));
    screenshot(shot);
    check(wait_for(all_over, NULL, 60), "the queued downloads end");
    check(busy_seen > 0 && inhibit_wrong == 0,
          "the application asked the session not to suspend exactly while they ran (%u "
          "changes, %u wrong)",
          busy_seen, inhibit_wrong);
    check(!rt_inhibit_is_held(inhibit()) && rt_inhibit_get_cookie(inhibit()) == 0,
          "then it let go");
    if (sm.ready) {
        check(sm.given > 0 && session_wrong == 0 && sm.flags == GTK_APPLICATION_INHIBIT_SUSPEND,
              "the session manager on the bus held the cookie while they ran (%u given, %u "
              "wrong, flags %u)",
              sm.given, session_wrong, sm.flags);
        check(wait_for(sm_let_go, NULL, 10), "and was told to let go");
    }
    for (guint i = 0; i < 3; i++)
        check(rt_job_get_state(job_at(i)) == RT_JOB_DONE, "%s is done: %s", address_of(i),
              rt_job_get_status(job_at(i)));
    click("clear_button");
}

static void test_clipboard(void)
{
    copy_and_come_back("just some words, no address");
    check(!offer_shown(), "text that is no address is not offered");
    copy_and_come_back(SHORT);
    check(!offer_shown(), "nor a bare id: it could be any checksum");
    copy_and_come_back("https://rutube.ru/video/" EPISODE "/");
    check(offer_shown() && g_str_has_suffix(offered(), EPISODE "/"),
          "a RuTube address copied elsewhere is offered when the window gets the focus back");
    check(strcmp(offer_label("title_label"), "A RuTube address on the clipboard") == 0 &&
              strstr(offer_label("address_label"), EPISODE),
          "the row says what and which: %s", offer_label("address_label"));
    check(strcmp(gtk_button_get_label(GTK_BUTTON(offer_child("use_button"))), "_Get info") == 0,
          "its button reads Get info");
    check(job_count() == 0 && !card_shown(), "nothing is looked up or downloaded by itself");
    screenshot("19-links-clipboard.png");
    g_signal_emit_by_name(offer_child("dismiss_button"), "clicked");
    check(!offer_shown(), "the close button hides the row");
    copy_and_come_back("https://rutube.ru/video/" EPISODE "/");
    check(!offer_shown(), "the same text is not offered again");

    copy_and_come_back("https://rutube.ru/video/" VIDEO "/");
    check(offer_shown(), "another address is");
    g_signal_emit_by_name(offer_child("use_button"), "clicked");
    check(!offer_shown() && entry_says("https://rutube.ru/video/" VIDEO "/"),
          "Get info puts the address in the field and hides the row");
    if (!wait_for(lookup_over, NULL, 30))
        fail("the lookup did not end in 30 s");
    check(card_shown() && g_strcmp0(label_text("title_label"), TITLE) == 0,
          "and looks it up: the card shows %s", label_text("title_label"));
    check(job_count() == 0, "nothing is downloaded before Download is pressed");

    copy_and_come_back("https://rutube.ru/video/" SHORT "/\nhttps://rutube.ru/video/" EPISODE
                       "/\n");
    check(offer_shown() &&
              strcmp(offer_label("title_label"), "2 RuTube addresses on the clipboard") == 0,
          "two lines of addresses are offered together: %s", offer_label("title_label"));
    const char *button = gtk_button_get_label(GTK_BUTTON(offer_child("use_button")));
    check(strcmp(button, "_Download all 2 videos") == 0, "to be downloaded: %s", button);
    screenshot("19-links-clipboard-several.png");
    g_signal_emit_by_name(offer_child("use_button"), "clicked");
    check(job_count() == 2 && g_str_has_suffix(address_of(0), SHORT "/") &&
              g_str_has_suffix(address_of(1), EPISODE "/"),
          "the button queues both (%u jobs)", job_count());
    check(wait_for(all_over, NULL, 60), "and they are downloaded");
    click("clear_button");

    copy_and_come_back("https://rutube.ru/video/" SHORT "/\nand a word\n");
    check(!offer_shown(), "an address among other words is not offered");
}

static void test_drops(void)
{
    drop("text/uri-list", GDK_TYPE_FILE_LIST, "https://rutube.ru/video/" EPISODE "/\r\n");
    /* The waits first: a message's arguments may be read before its condition. */
    gboolean looked_up = wait_for(entry_says, "https://rutube.ru/video/" EPISODE "/", 5) &&
                         wait_for(lookup_over, NULL, 30) && card_shown();
    check(looked_up, "a dropped link is looked up: %s", label_text("title_label"));
    check(job_count() == 0, "one link is not downloaded by itself");

    /* A text file of addresses, a link and a file that is no text, dropped together. */
    g_autofree char *list = g_build_filename(work, "list.txt", NULL);
    g_autofree char *binary = g_build_filename(work, "clip.bin", NULL);
    g_file_set_contents(list, "; from a friend\n" VIDEO "\nnot-an-address\n", -1, NULL);
    g_file_set_contents(binary, "\x00\x01\x02 video", 9, NULL);
    g_autofree char *list_uri = g_filename_to_uri(list, NULL, NULL);
    g_autofree char *binary_uri = g_filename_to_uri(binary, NULL, NULL);
    g_autofree char *uris =
        g_strdup_printf("%s\r\nhttps://rutube.ru/video/" SHORT "/\r\n%s\r\n", list_uri, binary_uri);
    drop("text/uri-list", GDK_TYPE_FILE_LIST, uris);
    gboolean queued = wait_for(jobs_at_least, GUINT_TO_POINTER(2), 10);
    check(queued && job_count() == 2 && strcmp(address_of(0), VIDEO) == 0 &&
              g_str_has_suffix(address_of(1), SHORT "/"),
          "the file's address and the link are queued, in their order (%u jobs)", job_count());
    /* (On one line each: TAP's are.) */
    g_autofree char *detail = g_strdelimit(g_strdup(label_text("error_detail")), "\n", ' ');
    g_autofree char *title = g_strdelimit(g_strdup(label_text("error_title")), "\n", ' ');
    check(error_shown() && strstr(detail, "not-an-address") &&
              strstr(detail, "clip.bin — not a text file"),
          "the bad line and the file that is no list are both named: %s", detail);
    check(strstr(title, "1 file could not be read as a list of addresses") &&
              strstr(title, "1 line is not a video address"),
          "and counted: %s", title);
    check(wait_for(all_over, NULL, 60), "the dropped downloads end");
    screenshot("19-links-drop.png");

    drop("text/plain;charset=utf-8", G_TYPE_STRING,
         "https://rutube.ru/video/" EPISODE "/\n" LONG "\n");
    check(job_count() == 4 && g_str_has_suffix(address_of(2), EPISODE "/") &&
              strcmp(address_of(3), LONG) == 0,
          "dropped lines of text are queued (%u jobs)", job_count());
    check(!error_shown(), "and the earlier complaint is gone");
    check(wait_for(all_over, NULL, 60), "the downloads end");
}

/* The accelerators the shortcuts window lists, spaced. */
static void collect_accels(GtkWidget *widget, GString *out)
{
    if (GTK_IS_SHORTCUTS_SHORTCUT(widget)) {
        g_autofree char *accel = NULL;
        g_object_get(widget, "accelerator", &accel, NULL);
        if (accel)
            g_string_append_printf(out, " %s", accel);
    }
    for (GtkWidget *c = gtk_widget_get_first_child(widget); c; c = gtk_widget_get_next_sibling(c))
        collect_accels(c, out);
}

static gboolean listed(const char *accels, guint keyval, GdkModifierType mods)
{
    g_auto(GStrv) words = g_strsplit(accels, " ", -1);
    for (char **word = words; *word; word++) {
        guint key = 0;
        GdkModifierType m = 0;
        if (gtk_accelerator_parse(*word, &key, &m) &&
            gdk_keyval_to_lower(key) == gdk_keyval_to_lower(keyval) && m == mods)
            return TRUE;
    }
    return FALSE;
}

static void check_listed(const char *accels, guint keyval, GdkModifierType mods, const char *action)
{
    g_autofree char *name = gtk_accelerator_name(keyval, mods);
    check(listed(accels, keyval, mods), "%s (%s) is in the shortcuts window", name, action);
}

static gboolean help_shown(gpointer data)
{
    return gtk_widget_get_mapped(GTK_WIDGET(data));
}

static void test_shortcuts(void)
{
    gtk_widget_activate_action(GTK_WIDGET(window), "win.show-help-overlay", NULL);
    GtkShortcutsWindow *help =
        gtk_application_window_get_help_overlay(GTK_APPLICATION_WINDOW(window));
    check(help && wait_for(help_shown, help, 10), "the shortcuts window opens");
    g_autoptr(GString) accels = g_string_new(NULL);
    collect_accels(GTK_WIDGET(help), accels);
    printf("# listed:%s\n", accels->str);

    /* The application's accelerators, each as set now. */
    guint count = 0;
    g_auto(GStrv) actions = gtk_application_list_action_descriptions(GTK_APPLICATION(app));
    for (char **action = actions; *action; action++) {
        g_auto(GStrv) keys = gtk_application_get_accels_for_action(GTK_APPLICATION(app), *action);
        for (char **key = keys; *key; key++) {
            guint keyval = 0;
            GdkModifierType mods = 0;
            gtk_accelerator_parse(*key, &keyval, &mods);
            check_listed(accels->str, keyval, mods, *action);
            count++;
        }
    }
    /* The window's own key bindings (its win.* actions). */
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers(GTK_WIDGET(window));
    for (guint i = 0; i < g_list_model_get_n_items(controllers); i++) {
        g_autoptr(GObject) controller = g_list_model_get_item(controllers, i);
        if (!GTK_IS_SHORTCUT_CONTROLLER(controller))
            continue;
        for (guint j = 0; j < g_list_model_get_n_items(G_LIST_MODEL(controller)); j++) {
            g_autoptr(GtkShortcut) shortcut = g_list_model_get_item(G_LIST_MODEL(controller), j);
            GtkShortcutAction *action = gtk_shortcut_get_action(shortcut);
            GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger(shortcut);
            if (!GTK_IS_NAMED_ACTION(action) || !GTK_IS_KEYVAL_TRIGGER(trigger) ||
                !g_str_has_prefix(gtk_named_action_get_action_name(GTK_NAMED_ACTION(action)),
                                  "win."))
                continue;
            check_listed(accels->str, gtk_keyval_trigger_get_keyval(GTK_KEYVAL_TRIGGER(trigger)),
                         gtk_keyval_trigger_get_modifiers(GTK_KEYVAL_TRIGGER(trigger)),
                         gtk_named_action_get_action_name(GTK_NAMED_ACTION(action)));
            count++;
        }
    }
    check(count >= 7, "every one of the %u shortcuts is listed", count);
    screenshot_of(GTK_WIDGET(help), "19-links-shortcuts.png");
    gtk_window_close(GTK_WINDOW(help));
}

static void test_links(void)
{
    expect_arguments_queued("19-links-command-line.png"); /* main() gave it addresses */
    test_clipboard();
    click("clear_button");
    test_drops();
    test_shortcuts();
}

/* ---- A second start hands its addresses to the first (over D-Bus) ------------------------- */

static GPid second_pid;
static int second_status;

static void second_exited_cb(GPid pid, int wait_status, gpointer data)
{
    second_status = wait_status;
    g_spawn_close_pid(pid);
    second_pid = 0;
}

static gboolean second_over(gpointer data)
{
    return second_pid == 0;
}

/* Start the program itself again from `dir`, as a terminal or the desktop's "Open with"
 * would, and wait for it to hand over and end. */
static void start_again(const char *dir, const char *const *args)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_ptr_array_add(argv, (char *)g_getenv("RUTUBE_DL_GTK"));
    for (; *args; args++)
        g_ptr_array_add(argv, (char *)*args);
    g_ptr_array_add(argv, NULL);
    g_autoptr(GError) error = NULL;
    if (!g_spawn_async(dir, (char **)argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                       &second_pid, &error))
        fail("start %s: %s", (char *)argv->pdata[0], error->message);
    g_child_watch_add(second_pid, second_exited_cb, NULL);
    if (!wait_for(second_over, NULL, 30)) {
        kill(second_pid, SIGTERM);
        fail("the second start did not end within 30 s: it opened a window of its own?");
    }
    check(g_spawn_check_wait_status(second_status, NULL),
          "the second start hands over and ends (status %d)", second_status);
}

static void test_remote(void)
{
    check(g_application_get_dbus_connection(G_APPLICATION(app)) &&
              !g_application_get_is_remote(G_APPLICATION(app)),
          "the window's application is the one on the session bus");
    g_autofree char *elsewhere = g_build_filename(work, "elsewhere", NULL);
    g_mkdir_with_parents(elsewhere, 0755);
    write_argument_file(elsewhere);
    const char *several[] = {"https://rutube.ru/video/" VIDEO "/", "args.txt", NULL};
    start_again(elsewhere, several); /* args.txt is read where the second one started */
    expect_arguments_queued("19-remote-queued.png");

    const char *one[] = {"https://rutube.ru/video/" EPISODE "/", NULL};
    start_again(work, one);
    gboolean looked_up = wait_for(entry_says, "https://rutube.ru/video/" EPISODE "/", 10) &&
                         wait_for(lookup_over, NULL, 30) && card_shown();
    check(looked_up, "one address is looked up in the card: %s", label_text("title_label"));
    check(job_count() == 0, "and not downloaded by itself");
    screenshot("19-remote-one.png");
}

/* ---- Preferences: files ------------------------------------------------------------------------
 */

/* The subtitle of a Preferences action row. */
static const char *pref_subtitle(const char *name)
{
    return adw_action_row_get_subtitle(ADW_ACTION_ROW(pref(name)));
}

/* The label of what the card's quality dropdown has chosen. */
static const char *chosen_quality(void)
{
    GtkDropDown *dropdown = GTK_DROP_DOWN(child("quality_dropdown"));
    return gtk_string_list_get_string(GTK_STRING_LIST(gtk_drop_down_get_model(dropdown)),
                                      gtk_drop_down_get_selected(dropdown));
}

/* A second Preferences window on what gtk.ini holds now, as the next start would read it: its
 * widgets show the choices made. */
static void expect_read_back(void)
{
    close_preferences();
    RtSettings *loaded = rt_settings_load();
    check(strcmp(loaded->name_template, "%(author)s - %(title)s [%(id)s].%(ext)s") == 0 &&
              loaded->container == RT_CONTAINER_MKV && loaded->audio_only &&
              loaded->audio == RT_CONTAINER_M4A && strcmp(loaded->quality, "1080") == 0 &&
              loaded->codec == RT_CODEC_AV1 && loaded->subtitles && loaded->thumbnail,
          "the next start reads every choice back from gtk.ini");
    RtPreferences *again = rt_preferences_present(GTK_APPLICATION(app), NULL, loaded, queue());
    settle(0.2);
    GtkWidget *w = GTK_WIDGET(again);
#define AGAIN(name) gtk_widget_get_template_child(w, RT_TYPE_PREFERENCES, name)
    check(adw_combo_row_get_selected(ADW_COMBO_ROW(AGAIN("container_row"))) == 2 &&
              adw_combo_row_get_selected(ADW_COMBO_ROW(AGAIN("codec_row"))) == 3 &&
              adw_combo_row_get_selected(ADW_COMBO_ROW(AGAIN("quality_row"))) == 1 &&
              gtk_switch_get_active(GTK_SWITCH(AGAIN("audio_switch"))) &&
              gtk_switch_get_active(GTK_SWITCH(AGAIN("subtitles_switch"))) &&
              strcmp(gtk_editable_get_text(GTK_EDITABLE(AGAIN("template_row"))),
                     loaded->name_template) == 0,
          "and its Preferences window shows them: MKV, AV1, 1080p, audio only, subtitles, "
          "the template");
#undef AGAIN
    gtk_window_destroy(GTK_WINDOW(again));
    settle(0.1);
    rt_settings_free(loaded);
    gtk_window_present(GTK_WINDOW(window));

    /* A file from before Preferences: the audio in "container", no other new key. */
    g_autofree char *path = rt_settings_path();
    g_autofree char *old = g_strdup_printf("[download]\nfolder=%s\ncontainer=mp3\n", folder);
    g_file_set_contents(path, old, -1, NULL);
    g_autoptr(RtSettings) older = rt_settings_load();
    check(older->audio_only && older->audio == RT_CONTAINER_MP3 &&
              older->container == RT_CONTAINER_MP4 && strcmp(older->quality, "best") == 0 &&
              older->parallel == 2 && older->transfers == 16 && older->proxy[0] == '\0' &&
              strcmp(older->name_template, RT_DEFAULT_TEMPLATE) == 0,
          "an older gtk.ini (container=mp3) reads as audio only in MP3, the rest defaults");
}

static void test_prefs(void)
{
    RtPreferences *shown = preferences();
    check(gtk_window_get_transient_for(GTK_WINDOW(shown)) == GTK_WINDOW(window),
          "app.preferences (the menu's item, Ctrl+comma) opens Preferences over the window");
    check(strcmp(pref_subtitle("template_example_row"), "Example video.mp4") == 0,
          "the name template's example: %s", pref_subtitle("template_example_row"));
    screenshot_of(GTK_WIDGET(shown), "20-preferences-files.png");
    adw_preferences_window_set_visible_page_name(ADW_PREFERENCES_WINDOW(shown), "network");
    screenshot_of(GTK_WIDGET(shown), "21-preferences-network.png");
    adw_preferences_window_set_visible_page_name(ADW_PREFERENCES_WINDOW(shown), "files");

    /* A template the library refuses is said in the row and not kept. */
    gtk_editable_set_text(GTK_EDITABLE(pref("template_row")), "%(nope)s.%(ext)s");
    check(gtk_widget_has_css_class(pref("template_row"), "error") &&
              strstr(pref_subtitle("template_example_row"), "nope"),
          "an unknown field is refused in the row: %s", pref_subtitle("template_example_row"));
    check(!saved_holds("nope"), "and not saved");
    screenshot_of(GTK_WIDGET(shown), "22-preferences-bad-template.png");
    gtk_editable_set_text(GTK_EDITABLE(pref("template_row")),
                          "%(author)s - %(title)s [%(id)s].%(ext)s");
    check(!gtk_widget_has_css_class(pref("template_row"), "error") &&
              strcmp(pref_subtitle("template_example_row"),
                     "Author - Example video [2ce725b3dc1a243f8456458975ecd872].mp4") == 0,
          "a good one shows its example: %s", pref_subtitle("template_example_row"));
    check(saved_holds("name-template=%(author)s - %(title)s [%(id)s].%(ext)s"), "and is saved");

    choose("container_row", "MKV");
    check(g_str_has_suffix(pref_subtitle("template_example_row"), ".mkv"),
          "the example follows the format: %s", pref_subtitle("template_example_row"));
    choose("quality_row", "360p");
    gtk_switch_set_active(GTK_SWITCH(pref("subtitles_switch")), TRUE);
    gtk_switch_set_active(GTK_SWITCH(pref("thumbnail_switch")), TRUE);
    check(saved_holds("container=mkv") && saved_holds("quality=360") &&
              saved_holds("subtitles=true") && saved_holds("thumbnail=true"),
          "MKV, 360p, subtitles and the thumbnail are saved");
    close_preferences();
    const char *summary = adw_action_row_get_subtitle(ADW_ACTION_ROW(child("format_row")));
    check(strcmp(summary, "MKV · subtitles · thumbnail") == 0, "the card sums them up: %s",
          summary);

    /* The next download follows them: the card chooses 360p, the template names the file. */
    look_up(VIDEO);
    check(g_str_has_prefix(chosen_quality(), "640×"), "the card chooses 360p: %s",
          chosen_quality());
    screenshot("23-card-with-preferences.png");
    RtJob *job = download_newest("the MKV download");
    g_autofree char *name = g_path_get_basename(rt_job_get_path(job));
    check(g_str_has_prefix(name, "PREMIER онлайн-кинотеатр - Пальцы") &&
              g_str_has_suffix(name, " [" VIDEO "].mkv"),
          "named by the template: %s", name);
    g_autofree char *kind = ffprobe_entry(rt_job_get_path(job), "format=format_name");
    g_autofree char *streams = ffprobe_entry(rt_job_get_path(job), "stream=codec_name");
    check(strstr(kind, "matroska") && strstr(streams, "h264") && strstr(streams, "subrip") &&
              strstr(streams, "mjpeg"),
          "ffprobe finds Matroska (%s) with H.264, subtitles and the cover: %s", kind, streams);
    expect_video(rt_job_get_path(job), "h264", 640);

    /* The codec preferred where a size comes in several. */
    choose("quality_row", "1080p");
    choose("codec_row", "AV1");
    check(saved_holds("codec=AV1"), "AV1 is saved");
    close_preferences();
    look_up(UHD);
    check(g_str_has_prefix(chosen_quality(), "1920×1080 · AV1"),
          "the 4K video's card chooses 1080p in AV1: %s", chosen_quality());

    /* The audio alone: M4A, no quality to choose. */
    gtk_switch_set_active(GTK_SWITCH(pref("audio_switch")), TRUE);
    choose("audio_row", "M4A");
    check(!gtk_widget_get_sensitive(pref("container_row")) &&
              gtk_widget_get_sensitive(pref("audio_row")),
          "audio only greys the video's format out");
    check(saved_holds("audio-only=true") && saved_holds("audio=m4a"), "audio only is saved");
    screenshot_of(GTK_WIDGET(preferences()), "24-preferences-audio-only.png");
    close_preferences();
    look_up(EPISODE);
    check(!gtk_widget_get_sensitive(child("quality_dropdown")), "the card asks no quality");
    job = download_newest("the M4A download");
    check(g_str_has_suffix(rt_job_get_path(job), ".m4a"), "saved as %s", rt_job_get_path(job));
    g_autofree char *audio = ffprobe_entry(rt_job_get_path(job), "stream=codec_name");
    check(g_str_has_prefix(audio, "aac") && !strstr(audio, "h264"),
          "ffprobe finds AAC and no video: %s", audio);

    expect_read_back();
}

/* ---- Preferences: the network ------------------------------------------------------------------
 */

static gboolean job_waiting(gpointer data)
{
    return rt_job_get_state(RT_JOB(data)) == RT_JOB_WAITING;
}

/* A number from the fake's --stats file, written when it stops. */
static long stat_of(const char *key)
{
    g_autofree char *path = g_build_filename(work, "stats.json", NULL);
    g_autofree char *text = NULL, *needle = g_strdup_printf("\"%s\": ", key);
    const char *at = g_file_get_contents(path, &text, NULL, NULL) ? strstr(text, needle) : NULL;
    return at ? strtol(at + strlen(needle), NULL, 10) : -1;
}

/* Videos at once, transfers and the proxy (in Russian: the pictures of the pages are). The
 * fake sends each connection at most 1 MB/s, so that downloads overlap long enough to see. */
static void test_prefs_network(void)
{
    RtPreferences *shown = preferences();
    choose("quality_row", "360p");
    screenshot_of(GTK_WIDGET(shown), "20-preferences-files-ru.png");
    adw_preferences_window_set_visible_page_name(ADW_PREFERENCES_WINDOW(shown), "network");
    gtk_spin_button_set_value(GTK_SPIN_BUTTON(pref("parallel_spin")), 1);
    gtk_spin_button_set_value(GTK_SPIN_BUTTON(pref("transfers_spin")), 2);
    check(saved_holds("parallel=1") && saved_holds("transfers=2"),
          "one video at once and two transfers are saved");
    screenshot_of(GTK_WIDGET(shown), "21-preferences-network-ru.png");
    close_preferences();

    /* One at a time: the second waits; two: it starts at once. */
    rt_window_submit(window,
                     "https://rutube.ru/video/" VIDEO "/\nhttps://rutube.ru/video/" EPISODE "/");
    check(job_count() == 2, "two videos are queued (%u)", job_count());
    RtJob *first = job_at(0), *second = job_at(1);
    gboolean downloading = wait_for(job_downloading, first, 30);
    check(downloading, "the first downloads");
    check(job_waiting(second), "the second waits (one video at once)");
    gtk_spin_button_set_value(GTK_SPIN_BUTTON(pref("parallel_spin")), 2);
    close_preferences();
    check(!job_waiting(second) && rt_job_is_active(first),
          "two at once: the second starts while the first runs");
    gboolean over = wait_for(all_over, NULL, 90);
    check(over && rt_job_get_state(first) == RT_JOB_DONE && rt_job_get_state(second) == RT_JOB_DONE,
          "both are done");
    expect_video(rt_job_get_path(first), "h264", 640);

    /* A proxy libcurl would not take is said in the row and not kept. */
    check(requests_for("\nproxy\t") == 0, "nothing went through the proxy yet");
    GtkWidget *proxy = pref("proxy_row");
    gtk_editable_set_text(GTK_EDITABLE(proxy), "ftp://127.0.0.1:21");
    g_signal_emit_by_name(proxy, "apply");
    check(gtk_widget_has_css_class(proxy, "error") &&
              strstr(pref_subtitle("proxy_status_row"), "ftp"),
          "ftp:// is refused in the row: %s", pref_subtitle("proxy_status_row"));
    gtk_editable_set_text(GTK_EDITABLE(proxy), "http://127.0.0.1:80x");
    g_signal_emit_by_name(proxy, "apply");
    check(gtk_widget_has_css_class(proxy, "error"), "so is a port that is no number: %s",
          pref_subtitle("proxy_status_row"));
    check(saved_holds("proxy=\n"), "and neither is saved");
    adw_preferences_window_set_visible_page_name(ADW_PREFERENCES_WINDOW(preferences()), "network");
    screenshot_of(GTK_WIDGET(preferences()), "25-preferences-bad-proxy-ru.png");
    close_preferences();

    /* A download running when the proxy changes keeps its clients; the next one goes through
     * the proxy. */
    look_up(SHORT);
    click("download_button");
    RtJob *running = job_at(2);
    check(wait_for(job_downloading, running, 30), "a third download runs");
    g_autofree char *address_path = g_build_filename(work, "proxy", NULL);
    g_autofree char *address = NULL;
    g_file_get_contents(address_path, &address, NULL, NULL);
    g_strstrip(address);
    proxy = pref("proxy_row");
    gtk_editable_set_text(GTK_EDITABLE(proxy), address);
    g_signal_emit_by_name(proxy, "apply");
    g_autofree char *saved_proxy = g_strdup_printf("proxy=%s\n", address);
    check(!gtk_widget_has_css_class(proxy, "error") && saved_holds(saved_proxy),
          "the fake's proxy %s is taken and saved: %s", address, pref_subtitle("proxy_status_row"));
    close_preferences();
    over = wait_for(job_over, running, 60);
    check(over && rt_job_get_state(running) == RT_JOB_DONE,
          "the one that ran before the change ends well on its old clients");
    look_up(CHAPTERED);
    check(card_shown(), "a lookup through the proxy works");
    RtJob *proxied = download_newest("the download through the proxy");
    guint through = requests_for("\nproxy\t");
    check(through > 3, "%u requests went through the proxy", through);
    expect_video(rt_job_get_path(proxied), "h264", 640);

    /* Two transfers over every download, all along. */
    stop_fake();
    long most = stat_of("max_concurrent_segments");
    check(most >= 1 && most <= 2, "the fake never had more than 2 segments asked at once (%ld)",
          most);
    g_autoptr(RtSettings) loaded = rt_settings_load();
    check(loaded->parallel == 2 && loaded->transfers == 2 && strcmp(loaded->proxy, address) == 0,
          "the next start reads them back");
}

/* ---- Running inside the application --------------------------------------------------------- */

static gboolean run_cb(gpointer data)
{
    window = RT_WINDOW(gtk_application_get_active_window(GTK_APPLICATION(app)));
    if (!window)
        fail("no window");
    /* Transitions off: what is asserted is also what the screenshot shows. */
    g_object_set(gtk_settings_get_default(), "gtk-enable-animations", FALSE, NULL);
    /* Taller than the default, so that the pictures show the download list too. */
    gtk_window_set_default_size(GTK_WINDOW(window), 780, 940);
    settle(0.3);
    if (strcmp(mode, "download") == 0)
        test_download();
    else if (strcmp(mode, "cancel") == 0)
        test_cancel();
    else if (strcmp(mode, "errors") == 0)
        test_errors();
    else if (strcmp(mode, "russian") == 0)
        test_russian();
    else if (strcmp(mode, "qualities") == 0)
        test_qualities();
    else if (strcmp(mode, "chapters") == 0)
        test_chapters();
    else if (strcmp(mode, "limit") == 0)
        test_limit();
    else if (strcmp(mode, "live") == 0)
        test_live();
    else if (g_str_has_prefix(mode, "history"))
        test_history(mode);
    else if (strcmp(mode, "picker") == 0)
        test_picker();
    else if (strcmp(mode, "picker-ru") == 0)
        test_picker_russian();
    else if (strcmp(mode, "links") == 0)
        test_links();
    else if (strcmp(mode, "remote") == 0)
        test_remote();
    else if (strcmp(mode, "prefs") == 0)
        test_prefs();
    else if (strcmp(mode, "prefs-network") == 0)
        test_prefs_network();
    else
        fail("unknown mode %s", mode);
    status = 0;
    g_action_group_activate_action(G_ACTION_GROUP(app), "quit", NULL);
    return G_SOURCE_REMOVE;
}

static void activate_cb(GApplication *application)
{
    /* Once: a second start's addresses (the "remote" scenario) activate the window again. */
    static gboolean started;
    if (!started)
        g_idle_add(run_cb, NULL);
    started = TRUE;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        g_printerr("usage: %s download|cancel|errors|russian|qualities|chapters|limit|live|history|"
                   "history-crash|picker|picker-ru|links|remote|prefs|prefs-network\n",
                   argv[0]);
        return 2;
    }
    mode = argv[1];
    self = argv[0];
    is_child = g_getenv("RTDL_GUI_WORK") != NULL;
    work = is_child ? g_strdup(g_getenv("RTDL_GUI_WORK")) : g_dir_make_tmp("rtdl-gui.XXXXXX", NULL);
    if (is_child)
        checks = atoi(g_getenv("RTDL_GUI_CHECKS"));
    folder = g_build_filename(work, "Видео", NULL);
    g_autofree char *config = g_build_filename(work, "config", NULL);
    g_setenv("XDG_CONFIG_HOME", config, TRUE);
    g_autofree char *data = g_build_filename(work, "data", NULL);
    g_setenv("XDG_DATA_HOME", data, TRUE); /* the download history */
    g_setenv("GSK_RENDERER", "cairo", FALSE);
    g_setenv("GTK_A11Y", "none", FALSE);
    /* (Not for "remote": there GTK would ask the inhibit portal, which its bus lacks, instead
     * of the session manager that the test provides.) */
    if (strcmp(mode, "remote") != 0)
        g_setenv("GDK_DEBUG", "portals", FALSE);

    /* The remembered folder is where the files go: the settings file is read at start-up. */
    g_autofree char *settings_dir = g_build_filename(config, "rutube-dl", NULL);
    g_autofree char *settings_file = g_build_filename(settings_dir, "gtk.ini", NULL);
    g_autofree char *settings = g_strdup_printf("[download]\nfolder=%s\n", folder);
    g_mkdir_with_parents(settings_dir, 0700);
    g_file_set_contents(settings_file, settings, -1, NULL);

    rt_application_init_i18n();
    /* The application reads the API base at start-up: the fake runs before it. For the
     * cancel test, 200 segments at 200 kB/s per connection: long enough to cancel midway. */
    const char *slow[] = {"--rate", "200000", "--segments", "200", NULL};
    g_autofree char *stats = g_build_filename(work, "stats.json", NULL);
    g_autofree char *proxy = g_build_filename(work, "proxy", NULL);
    const char *network[] = {"--rate", "1000000", "--stats", stats, "--proxy-port-file",
                             proxy,    NULL};
    /* A later start of the history scenarios uses its parent's fake (RUTUBE_DL_API_BASE). */
    /* The history's crash: 40 segments (2:40) at 2 MB/s over all of them, more than are
     * fetched at once, so the first ones are in the .part while the last are not yet asked
     * for; the next start has them at full speed. (A lone trickling segment would be given up
     * as too slow, not waited for.) */
    const char *crawl[] = {"--segments", "40", "--total-rate", "2000000", NULL};
    if (!is_child) {
        if (strcmp(mode, "picker-ru") == 0)
            start_fake(long_list_switches());
        else
            start_fake(strcmp(mode, "cancel") == 0          ? slow
                       : strcmp(mode, "history-crash") == 0 ? crawl
                       : strcmp(mode, "prefs-network") == 0 ? network
                                                            : NULL);
        g_setenv("RUTUBE_DL_API_BASE", api, TRUE);
        history_before_start(mode);
    }
    /* "remote": the one on the session bus, which a second start hands its addresses to,
     * with a session manager for GTK to ask not to suspend (outside a sandbox it asks that). */
    if (strcmp(mode, "remote") == 0)
        start_session_manager();
    app = rt_application_new(strcmp(mode, "remote") == 0);
    g_signal_connect_after(app, "activate", G_CALLBACK(activate_cb), NULL);
    g_signal_connect_after(app, "startup", G_CALLBACK(startup_cb), NULL);
    /* "links": started as `rutube-dl-gtk ADDRESS FILE` from the work folder. */
    char *app_argv[] = {argv[0], "https://rutube.ru/video/" VIDEO "/", "args.txt", NULL};
    int app_argc = 1;
    if (strcmp(mode, "links") == 0) {
        write_argument_file(work);
        if (g_chdir(work) != 0)
            fail("cd %s", work);
        app_argc = 3;
    }
    app_argv[app_argc] = NULL;
    g_application_run(G_APPLICATION(app), app_argc, app_argv);
    g_object_unref(app);
    window = NULL;
    if (status == 0 && !is_child)
        history_after_end(mode);
    if (status == 0 && !is_child)
        printf("1..%d\n", checks);
    cleanup();
    return status;
}
