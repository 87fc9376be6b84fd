/* Unit tests for lib/media/image.c: what kind of picture, and how big. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "media/image.h"

static void image_jpeg_size_after_other_segments(void **state)
{
    /* SOI, APP0 (16 bytes), DQT (4 bytes), SOF0 with 180 x 320. */
    const unsigned char jpeg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J',  'F',  'I',
                                  'F',  0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
                                  0x00, 0x00, 0xFF, 0xDB, 0x00, 0x04, 0x00, 0x00, 0xFF,
                                  0xC0, 0x00, 0x11, 0x08, 0x00, 0xB4, 0x01, 0x40, 0x03};
    struct rt__image img = rt__image_sniff(jpeg, sizeof jpeg);
    assert_int_equal(img.kind, RT__IMAGE_JPEG);
    assert_int_equal(img.width, 320);
    assert_int_equal(img.height, 180);
    assert_string_equal(rt__image_extension(img.kind), "jpg");
}

static void image_png_and_webp(void **state)
{
    const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13,
                                 'I',  'H', 'D', 'R', 0,    0,    2,    0,    0, 0, 1, 0x2C};
    struct rt__image img = rt__image_sniff(png, sizeof png);
    assert_int_equal(img.kind, RT__IMAGE_PNG);
    assert_int_equal(img.width, 512);
    assert_int_equal(img.height, 300);
    const unsigned char webp[] = "RIFF\x10\0\0\0WEBPVP8 ";
    assert_int_equal(rt__image_sniff(webp, sizeof webp - 1).kind, RT__IMAGE_WEBP);
}

static void image_truncated_and_unknown(void **state)
{
    const unsigned char cut[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x7F, 0xFF};
    struct rt__image img = rt__image_sniff(cut, sizeof cut);
    assert_int_equal(img.kind, RT__IMAGE_JPEG);
    assert_int_equal(img.width, 0);
    assert_int_equal(rt__image_sniff((const unsigned char *)"<html>", 6).kind, RT__IMAGE_UNKNOWN);
    assert_int_equal(rt__image_sniff(NULL, 0).kind, RT__IMAGE_UNKNOWN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(image_jpeg_size_after_other_segments),
        cmocka_unit_test(image_png_and_webp),
        cmocka_unit_test(image_truncated_and_unknown),
    };
    return cmocka_run_group_tests_name("image", tests, NULL, NULL);
}
