/* rutube-dl-gtk: the desktop window for saving RuTube videos, on top of librutube. */
#include <malloc.h>

#include "rt-application.h"

int main(int argc, char **argv)
{
    /* As in the command (cli/cli_main.c): segment-sized buffers must go back to the system
     * when freed, or the process grows with the length of the videos it saved; libcurl's
     * receive buffers, smaller, are reused from the heap. */
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
    mallopt(M_TRIM_THRESHOLD, 1024 * 1024);
    rt_application_init_i18n();
    g_autoptr(RtApplication) app = rt_application_new(TRUE);
    return g_application_run(G_APPLICATION(app), argc, argv);
}
