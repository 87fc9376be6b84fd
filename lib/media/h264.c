/* The H.264 reading declared in h264.h (ITU-T H.264 7.3.2.1 and annex B). */
#include "media/h264.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* The first 00 00 01 at or after p, or end. */
static const uint8_t *find_start_code(const uint8_t *p, const uint8_t *end)
{
#ifdef __SSE2__
    /* Sixteen places at a time: a code starts where this byte and the next are 0 and the one
     * after is 1. Coded data has a 1 every 256 bytes or so, which stopped memchr() (below)
     * that often: a seventh of the remux's time. */
    const __m128i zero = _mm_setzero_si128(), ones = _mm_set1_epi8(1);
    while (end - p >= 18) {
        __m128i a = _mm_loadu_si128((const __m128i *)p);
        __m128i b = _mm_loadu_si128((const __m128i *)(p + 1));
        __m128i c = _mm_loadu_si128((const __m128i *)(p + 2));
        unsigned found = (unsigned)_mm_movemask_epi8(
            _mm_and_si128(_mm_and_si128(_mm_cmpeq_epi8(a, zero), _mm_cmpeq_epi8(b, zero)),
                          _mm_cmpeq_epi8(c, ones)));
        if (found)
            return p + __builtin_ctz(found);
        p += 16;
    }
#endif
    while (end - p >= 3) {
        /* A 1 is rarer than a 0 in coded data, and memchr finds it a word at a time. */
        const uint8_t *one = memchr(p + 2, 1, (size_t)(end - p - 2));
        if (!one)
            return end;
        if (one[-1] == 0 && one[-2] == 0)
            return one - 2;
        p = one - 1;
    }
    return end;
}

/* As libavformat's ff_avc_find_startcode: a zero before 00 00 01 is part of the code. */
static const uint8_t *find_unit_end(const uint8_t *p, const uint8_t *end)
{
    const uint8_t *code = find_start_code(p, end);
    if (p < code && code < end && code[-1] == 0)
        code--;
    return code;
}

void rt__nal_walk_init(struct rt__nal_walk *walk, const uint8_t *data, size_t len)
{
    walk->end = data + len;
    walk->next = find_unit_end(data, walk->end);
}

bool rt__nal_walk_next(struct rt__nal_walk *walk, const uint8_t **nal, size_t *len)
{
    const uint8_t *p = walk->next;
    /* Past the zeros and the 1 of the start code. */
    while (p < walk->end && *p++ == 0)
        ;
    if (p >= walk->end) {
        walk->next = walk->end;
        return false;
    }
    const uint8_t *unit_end = find_unit_end(p, walk->end);
    *nal = p;
    *len = (size_t)(unit_end - p);
    walk->next = unit_end;
    return true;
}

/* Exp-Golomb reading over a unit with its emulation-prevention bytes removed. */
struct bits {
    uint8_t data[512];
    size_t len, pos; /* pos in bits */
    bool overrun;
};

static void unescape(struct bits *b, const uint8_t *p, size_t len)
{
    b->len = b->pos = 0;
    b->overrun = false;
    unsigned zeros = 0;
    for (size_t i = 0; i < len && b->len < sizeof b->data; i++) {
        if (zeros >= 2 && p[i] == 3) {
            zeros = 0;
            continue;
        }
        zeros = p[i] == 0 ? zeros + 1 : 0;
        b->data[b->len++] = p[i];
    }
}

static unsigned bit(struct bits *b)
{
    if (b->pos >= b->len * 8) {
        b->overrun = true;
        return 0;
    }
    unsigned v = (b->data[b->pos / 8] >> (7 - b->pos % 8)) & 1;
    b->pos++;
    return v;
}

static unsigned bits_n(struct bits *b, unsigned n)
{
    unsigned v = 0;
    while (n--)
        v = (v << 1) | bit(b);
    return v;
}

static unsigned ue(struct bits *b)
{
    unsigned zeros = 0;
    while (!bit(b) && !b->overrun)
        if (++zeros > 31) {
            b->overrun = true;
            return 0;
        }
    return zeros ? ((1u << zeros) - 1 + bits_n(b, zeros)) : 0;
}

static int se(struct bits *b)
{
    unsigned v = ue(b);
    return v & 1 ? (int)((v + 1) / 2) : -(int)(v / 2);
}

static void skip_scaling_list(struct bits *b, int size)
{
    int last = 8, next = 8;
    for (int j = 0; j < size && !b->overrun; j++) {
        if (next != 0)
            next = (last + se(b) + 256) % 256;
        last = next == 0 ? last : next;
    }
}

static bool has_chroma_fields(unsigned profile)
{
    switch (profile) {
    case 100:
    case 110:
    case 122:
    case 244:
    case 44:
    case 83:
    case 86:
    case 118:
    case 128:
    case 138:
    case 139:
    case 134:
    case 135:
        return true;
    default:
        return false;
    }
}

/* Table E-1: the sample aspect ratios named by aspect_ratio_idc 1 to 16. */
static const uint8_t sar_table[17][2] = {
    {0, 0},   {1, 1},   {12, 11}, {10, 11}, {16, 11},  {40, 33}, {24, 11}, {20, 11}, {32, 11},
    {80, 33}, {18, 11}, {15, 11}, {64, 33}, {160, 99}, {4, 3},   {3, 2},   {2, 1},
};

static void read_sar(struct bits *b, struct rt__h264_sps *sps)
{
    if (!bit(b) || !bit(b)) /* vui_parameters_present, aspect_ratio_info_present */
        return;
    unsigned idc = bits_n(b, 8);
    if (idc == 255) {
        sps->sar_num = bits_n(b, 16);
        sps->sar_den = bits_n(b, 16);
    } else if (idc < 17) {
        sps->sar_num = sar_table[idc][0];
        sps->sar_den = sar_table[idc][1];
    }
    if (b->overrun || !sps->sar_num || !sps->sar_den)
        sps->sar_num = sps->sar_den = 0;
}

bool rt__h264_parse_sps(const uint8_t *nal, size_t len, struct rt__h264_sps *sps)
{
    struct bits local;
    if (len < 4 || (nal[0] & 0x1F) != RT__H264_NAL_SPS)
        return false;
    unescape(&local, nal + 1, len - 1);
    memset(sps, 0, sizeof *sps);
    sps->profile = (uint8_t)bits_n(&local, 8);
    sps->compatibility = (uint8_t)bits_n(&local, 8);
    sps->level = (uint8_t)bits_n(&local, 8);
    ue(&local); /* seq_parameter_set_id */
    sps->chroma_format = 1;
    if (has_chroma_fields(sps->profile)) {
        sps->chroma_format = ue(&local);
        if (sps->chroma_format > 3)
            return false;
        if (sps->chroma_format == 3)
            bit(&local); /* separate_colour_plane_flag */
        sps->bit_depth_luma = ue(&local);
        sps->bit_depth_chroma = ue(&local);
        bit(&local); /* qpprime_y_zero_transform_bypass_flag */
        if (bit(&local))
            for (int i = 0; i < (sps->chroma_format == 3 ? 12 : 8); i++)
                if (bit(&local))
                    skip_scaling_list(&local, i < 6 ? 16 : 64);
    }
    ue(&local); /* log2_max_frame_num_minus4 */
    unsigned poc_type = ue(&local);
    if (poc_type == 0) {
        ue(&local);
    } else if (poc_type == 1) {
        bit(&local);
        se(&local);
        se(&local);
        unsigned cycle = ue(&local);
        if (cycle > 255)
            return false;
        for (unsigned i = 0; i < cycle; i++)
            se(&local);
    } else if (poc_type != 2) {
        return false;
    }
    ue(&local);  /* max_num_ref_frames */
    bit(&local); /* gaps_in_frame_num_value_allowed_flag */
    unsigned mb_width = ue(&local) + 1, map_height = ue(&local) + 1;
    unsigned frame_mbs_only = bit(&local);
    if (!frame_mbs_only)
        bit(&local); /* mb_adaptive_frame_field_flag */
    bit(&local);     /* direct_8x8_inference_flag */
    unsigned crop[4] = {0};
    if (bit(&local))
        for (int i = 0; i < 4; i++)
            crop[i] = ue(&local);
    if (local.overrun || mb_width > 1024 || map_height > 1024)
        return false;
    /* Table 6-1: the crop is counted in chroma samples. */
    unsigned unit_x = sps->chroma_format == 1 || sps->chroma_format == 2 ? 2 : 1;
    unsigned unit_y = (sps->chroma_format == 1 ? 2 : 1) * (2 - frame_mbs_only);
    unsigned width = mb_width * 16, height = map_height * 16 * (2 - frame_mbs_only);
    if (unit_x * (crop[0] + crop[1]) >= width || unit_y * (crop[2] + crop[3]) >= height)
        return false;
    sps->width = width - unit_x * (crop[0] + crop[1]);
    sps->height = height - unit_y * (crop[2] + crop[3]);
    read_sar(&local, sps);
    return true;
}

bool rt__h264_sei_has_recovery_point(const uint8_t *nal, size_t len)
{
    struct bits local;
    if (len < 2 || (nal[0] & 0x1F) != RT__H264_NAL_SEI)
        return false;
    unescape(&local, nal + 1, len - 1);
    size_t i = 0;
    /* sei_message(): type and size as runs of 0xFF plus a last byte; ends at the stop bit. */
    while (i < local.len && local.data[i] != 0x80) {
        unsigned type = 0, size = 0;
        while (i < local.len && local.data[i] == 0xFF)
            type += local.data[i++];
        if (i >= local.len)
            return false;
        type += local.data[i++];
        while (i < local.len && local.data[i] == 0xFF)
            size += local.data[i++];
        if (i >= local.len)
            return false;
        size += local.data[i++];
        if (type == 6)
            return true;
        i += size;
    }
    return false;
}
