#include "vision_codecs.h"

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

#include "codec_messages.h"

/* Everything libjpeg touches lives on the heap: its fields change between setjmp and a
   possible longjmp, which leaves automatic variables indeterminate but heap memory intact. */
typedef struct {
    struct jpeg_decompress_struct info;
    struct jpeg_error_mgr errors;
    jmp_buf recovery;
    char *message;
    size_t message_capacity;
    uint8_t *samples;
} jpeg_decoding;

static void jpeg_fail(j_common_ptr common, const char *prefix) {
    jpeg_decoding *decoding = (jpeg_decoding *)common->client_data;
    char text[JMSG_LENGTH_MAX];
    char full[JMSG_LENGTH_MAX + 64];
    common->err->format_message(common, text);
    snprintf(full, sizeof full, "%s%s", prefix, text);
    vision_set_message(decoding->message, decoding->message_capacity, full);
    longjmp(decoding->recovery, 1);
}

static void jpeg_error_exit(j_common_ptr common) {
    jpeg_fail(common, "");
}

/* libjpeg only warns when the data ends early (it pads the image with gray); PIL refuses
   such files ("image file is truncated"), so that one warning is an error here. Other
   warnings (e.g. extraneous bytes before a marker) are tolerated, as PIL does. */
static void jpeg_emit_message(j_common_ptr common, int level) {
    if (level < 0 && common->err->msg_code == JWRN_JPEG_EOF) {
        jpeg_fail(common, "file is truncated: ");
    }
}

int vision_jpeg_decode(const uint8_t *data, size_t size, vision_raster *out,
                       char *message, size_t message_capacity) {
    memset(out, 0, sizeof *out);
    jpeg_decoding *decoding = calloc(1, sizeof *decoding);
    if (decoding == NULL) {
        vision_set_message(message, message_capacity, "out of memory");
        return 1;
    }
    decoding->message = message;
    decoding->message_capacity = message_capacity;
    decoding->info.err = jpeg_std_error(&decoding->errors);
    decoding->errors.error_exit = jpeg_error_exit;
    decoding->errors.emit_message = jpeg_emit_message;
    decoding->info.client_data = decoding; /* kept by jpeg_create_decompress */
    if (setjmp(decoding->recovery)) {
        jpeg_destroy_decompress(&decoding->info);
        free(decoding->samples);
        free(decoding);
        return 1;
    }
    jpeg_create_decompress(&decoding->info);
    jpeg_mem_src(&decoding->info, data, (unsigned long)size);
    jpeg_read_header(&decoding->info, TRUE);

    vision_layout layout;
    switch (decoding->info.jpeg_color_space) {
    case JCS_GRAYSCALE:
        decoding->info.out_color_space = JCS_GRAYSCALE;
        layout = VISION_LAYOUT_GRAY;
        break;
    case JCS_CMYK:
    case JCS_YCCK:
        decoding->info.out_color_space = JCS_CMYK;
        layout = VISION_LAYOUT_CMYK;
        break;
    default:
        decoding->info.out_color_space = JCS_RGB;
        layout = VISION_LAYOUT_RGB;
        break;
    }
    jpeg_start_decompress(&decoding->info);

    size_t width = decoding->info.output_width;
    size_t height = decoding->info.output_height;
    size_t channels = (size_t)decoding->info.output_components;
    if (height == 0 || width * channels > SIZE_MAX / height) {
        ERREXIT(&decoding->info, JERR_WIDTH_OVERFLOW);
    }
    size_t row_bytes = width * channels;
    decoding->samples = malloc(row_bytes * height);
    if (decoding->samples == NULL) {
        ERREXIT1(&decoding->info, JERR_OUT_OF_MEMORY, 0);
    }
    while (decoding->info.output_scanline < decoding->info.output_height) {
        JSAMPROW row = decoding->samples + (size_t)decoding->info.output_scanline * row_bytes;
        jpeg_read_scanlines(&decoding->info, &row, 1);
    }
    jpeg_finish_decompress(&decoding->info);

    out->samples = decoding->samples;
    out->width = (int32_t)width;
    out->height = (int32_t)height;
    out->channels = (int32_t)channels;
    out->bytes_per_sample = 1;
    out->layout = layout;
    jpeg_destroy_decompress(&decoding->info);
    free(decoding);
    return 0;
}
