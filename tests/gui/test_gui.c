/*
 * The real window against the fake RuTube, under Xvfb: types addresses, presses the buttons,
 * waits for what a person would see, and saves a screenshot of each state.
 *
 *   test_gui download|cancel|errors|russian|qualities|chapters|limit|live|prefs|prefs-network
 *
 * Environment (set by tests/gui/meson.build): FAKE_RUTUBE, FAKE_MEDIA, FFPROBE, SHOTS_DIR,
 * RUTUBE_DL_LOCALEDIR. Output is TAP.
 */
#include <signal.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "rt-application.h"
#include "rt-job-row.h"
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
    if (work) {
        const char *argv[] = {"rm", "-rf", work, NULL};
        if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                          NULL, NULL))
            g_printerr("could not remove %s\n", work);
    }
}

/* One TAP line; a failure also saves what the window shows, then ends the test. */
static void report(gboolean passed, const char *fmt, va_list ap)
{
    g_autofree char *text = g_strdup_vprintf(fmt, ap);
    printf("%s %d - %s\n", passed ? "ok" : "not ok", ++checks, text);
    fflush(stdout);
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
    check(g_strcmp0(button_label("download_button"), "_Download all 5 videos") == 0,
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
    AdwMessageDialog *question = NULL;
    GListModel *toplevels = gtk_window_get_toplevels();
    for (guint i = 0; i < g_list_model_get_n_items(toplevels); i++) {
        g_autoptr(GObject) toplevel = g_list_model_get_item(toplevels, i);
        if (ADW_IS_MESSAGE_DIALOG(toplevel))
            question = ADW_MESSAGE_DIALOG(toplevel);
    }
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
    adw_preferences_window_set_visible_page_name(ADW_PREFERENCES_WINDOW(preferences()),
                                                 "network");
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

/* ---- Preferences: files ------------------------------------------------------------------------ */

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

/* ---- Preferences: the network ------------------------------------------------------------------ */

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
    rt_window_submit(window, "https://rutube.ru/video/" VIDEO "/\nhttps://rutube.ru/video/" EPISODE
                             "/");
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
    check(over && rt_job_get_state(first) == RT_JOB_DONE &&
              rt_job_get_state(second) == RT_JOB_DONE,
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
    adw_preferences_window_set_visible_page_name(ADW_PREFERENCES_WINDOW(preferences()),
                                                 "network");
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
    g_idle_add(run_cb, NULL);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        g_printerr("usage: %s download|cancel|errors|russian|qualities|chapters|limit|live|prefs|"
                   "prefs-network\n",
                   argv[0]);
        return 2;
    }
    mode = argv[1];
    work = g_dir_make_tmp("rtdl-gui.XXXXXX", NULL);
    folder = g_build_filename(work, "Видео", NULL);
    g_autofree char *config = g_build_filename(work, "config", NULL);
    g_setenv("XDG_CONFIG_HOME", config, TRUE);
    g_setenv("GSK_RENDERER", "cairo", FALSE);
    g_setenv("GTK_A11Y", "none", FALSE);
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
    const char *network[] = {"--rate", "1000000", "--stats", stats, "--proxy-port-file", proxy,
                             NULL};
    start_fake(strcmp(mode, "cancel") == 0          ? slow
               : strcmp(mode, "prefs-network") == 0 ? network
                                                    : NULL);
    g_setenv("RUTUBE_DL_API_BASE", api, TRUE);
    app = rt_application_new(FALSE);
    g_signal_connect_after(app, "activate", G_CALLBACK(activate_cb), NULL);
    char *app_argv[] = {argv[0], NULL};
    g_application_run(G_APPLICATION(app), 1, app_argv);
    g_object_unref(app);
    if (status == 0)
        printf("1..%d\n", checks);
    cleanup();
    return status;
}
