#include "vision_codecs.h"

#include <png.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec_messages.h"

/* ---------------------------------------------------------------- decoding */

typedef struct {
    const uint8_t *data;
    size_t size;
    size_t offset;
    char *message;
    size_t message_capacity;
} png_memory_reader;

static void png_reader_error(png_structp png, png_const_charp text) {
    png_memory_reader *reader = png_get_error_ptr(png);
    vision_set_message(reader->message, reader->message_capacity, text);
    png_longjmp(png, 1);
}

static void png_ignore_warning(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
}

static void png_reader_read(png_structp png, png_bytep destination, size_t length) {
    png_memory_reader *reader = png_get_io_ptr(png);
    if (length > reader->size - reader->offset) {
        png_error(png, "file is truncated");
    }
    memcpy(destination, reader->data + reader->offset, length);
    reader->offset += length;
}

static vision_layout png_layout(int color_type) {
    switch (color_type) {
    case PNG_COLOR_TYPE_GRAY: return VISION_LAYOUT_GRAY;
    case PNG_COLOR_TYPE_GRAY_ALPHA: return VISION_LAYOUT_GRAY_ALPHA;
    case PNG_COLOR_TYPE_RGB_ALPHA: return VISION_LAYOUT_RGBA;
    default: return VISION_LAYOUT_RGB;
    }
}

int vision_png_decode(const uint8_t *data, size_t size, vision_raster *out,
                      char *message, size_t message_capacity) {
    memset(out, 0, sizeof *out);
    png_memory_reader reader = {data, size, 0, message, message_capacity};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &reader,
                                             png_reader_error, png_ignore_warning);
    if (png == NULL) {
        vision_set_message(message, message_capacity, "out of memory");
        return 1;
    }
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        vision_set_message(message, message_capacity, "out of memory");
        return 1;
    }
    /* Assigned after setjmp and needed after a longjmp, hence volatile. */
    uint8_t *volatile samples = NULL;
    png_bytep *volatile rows = NULL;
    if (setjmp(png_jmpbuf(png))) {
        free(rows);
        free(samples);
        png_destroy_read_struct(&png, &info, NULL);
        return 1;
    }

    png_set_read_fn(png, &reader, png_reader_read);
    png_read_info(png, info);
    int color_type = png_get_color_type(png, info);
    if (color_type == PNG_COLOR_TYPE_PALETTE) {
        png_set_palette_to_rgb(png);
    }
    if (color_type == PNG_COLOR_TYPE_GRAY && png_get_bit_depth(png, info) < 8) {
        png_set_expand_gray_1_2_4_to_8(png);
    }
    png_set_interlace_handling(png);
    png_read_update_info(png, info);

    png_uint_32 width = png_get_image_width(png, info);
    png_uint_32 height = png_get_image_height(png, info);
    size_t row_bytes = png_get_rowbytes(png, info);
    if (height == 0 || row_bytes > SIZE_MAX / height) {
        png_error(png, "image is too large");
    }
    samples = malloc(row_bytes * height);
    rows = malloc(sizeof(png_bytep) * height);
    if (samples == NULL || rows == NULL) {
        png_error(png, "out of memory");
    }
    for (png_uint_32 y = 0; y < height; y++) {
        rows[y] = samples + (size_t)y * row_bytes;
    }
    png_read_image(png, rows);
    /* Like PIL, chunks after the image data (up to IEND) are not required. */

    out->samples = samples;
    out->width = (int32_t)width;
    out->height = (int32_t)height;
    out->channels = png_get_channels(png, info);
    out->bytes_per_sample = png_get_bit_depth(png, info) == 16 ? 2 : 1;
    out->layout = png_layout(png_get_color_type(png, info));
    free(rows);
    png_destroy_read_struct(&png, &info, NULL);
    return 0;
}

void vision_raster_free(vision_raster *raster) {
    free(raster->samples);
    raster->samples = NULL;
}

/* ---------------------------------------------------------------- encoding */

typedef struct {
    uint8_t *bytes;
    size_t size;
    size_t capacity;
    char *message;
    size_t message_capacity;
} png_memory_writer;

static void png_writer_error(png_structp png, png_const_charp text) {
    png_memory_writer *writer = png_get_error_ptr(png);
    vision_set_message(writer->message, writer->message_capacity, text);
    png_longjmp(png, 1);
}

static void png_writer_write(png_structp png, png_bytep source, size_t length) {
    png_memory_writer *writer = png_get_io_ptr(png);
    if (length > SIZE_MAX / 2 - writer->size) {
        png_error(png, "image is too large");
    }
    if (writer->size + length > writer->capacity) {
        size_t capacity = writer->capacity == 0 ? 4096 : writer->capacity;
        while (capacity < writer->size + length) {
            capacity *= 2;
        }
        uint8_t *grown = realloc(writer->bytes, capacity);
        if (grown == NULL) {
            png_error(png, "out of memory");
        }
        writer->bytes = grown;
        writer->capacity = capacity;
    }
    memcpy(writer->bytes + writer->size, source, length);
    writer->size += length;
}

static void png_writer_flush(png_structp png) {
    (void)png;
}

int vision_png_encode(const uint8_t *pixels, int32_t width, int32_t height, int32_t channels,
                      uint8_t **encoded, size_t *encoded_size,
                      char *message, size_t message_capacity) {
    *encoded = NULL;
    *encoded_size = 0;
    int color_type;
    switch (channels) {
    case 1: color_type = PNG_COLOR_TYPE_GRAY; break;
    case 3: color_type = PNG_COLOR_TYPE_RGB; break;
    case 4: color_type = PNG_COLOR_TYPE_RGB_ALPHA; break;
    default:
        vision_set_message(message, message_capacity, "unsupported channel count");
        return 1;
    }
    if (width <= 0 || height <= 0) {
        vision_set_message(message, message_capacity, "image has no pixels");
        return 1;
    }
    /* On the heap: its fields change between setjmp and a possible longjmp, which leaves
       automatic variables indeterminate but heap memory intact. */
    png_memory_writer *writer = calloc(1, sizeof *writer);
    if (writer == NULL) {
        vision_set_message(message, message_capacity, "out of memory");
        return 1;
    }
    writer->message = message;
    writer->message_capacity = message_capacity;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, writer,
                                              png_writer_error, png_ignore_warning);
    if (png == NULL) {
        free(writer);
        vision_set_message(message, message_capacity, "out of memory");
        return 1;
    }
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_write_struct(&png, NULL);
        free(writer);
        vision_set_message(message, message_capacity, "out of memory");
        return 1;
    }
    png_bytep *volatile rows = NULL;
    if (setjmp(png_jmpbuf(png))) {
        free(rows);
        free(writer->bytes);
        free(writer);
        png_destroy_write_struct(&png, &info);
        return 1;
    }

    png_set_write_fn(png, writer, png_writer_write, png_writer_flush);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8, color_type,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    rows = malloc(sizeof(png_bytep) * (size_t)height);
    if (rows == NULL) {
        png_error(png, "out of memory");
    }
    size_t row_bytes = (size_t)width * (size_t)channels;
    for (int32_t y = 0; y < height; y++) {
        rows[y] = (png_bytep)(pixels + (size_t)y * row_bytes);
    }
    png_set_rows(png, info, rows);
    png_write_png(png, info, PNG_TRANSFORM_IDENTITY, NULL);

    free(rows);
    png_destroy_write_struct(&png, &info);
    *encoded = writer->bytes;
    *encoded_size = writer->size;
    free(writer);
    return 0;
}

void vision_buffer_free(uint8_t *buffer) {
    free(buffer);
}
