#ifndef VISION_CODECS_H
#define VISION_CODECS_H

#include <stddef.h>
#include <stdint.h>

/*
 * A thin C layer over libpng and libjpeg-turbo. Both libraries report fatal errors by
 * longjmp-ing out of a callback; every setjmp lives in these C functions, so a corrupt
 * file becomes a non-zero return code and a message, never a jump through Swift frames
 * or an abort.
 */

/// Colour layout of decoded samples.
typedef enum {
    VISION_LAYOUT_GRAY = 1,          ///< 1 sample per pixel
    VISION_LAYOUT_GRAY_ALPHA = 2,    ///< 2 samples per pixel
    VISION_LAYOUT_RGB = 3,           ///< 3 samples per pixel
    VISION_LAYOUT_RGBA = 4,          ///< 4 samples per pixel
    VISION_LAYOUT_CMYK = 5,          ///< 4 samples per pixel as libjpeg delivers them (JPEG only)
} vision_layout;

/// Pixels decoded by `vision_png_decode` / `vision_jpeg_decode`; free with `vision_raster_free`.
typedef struct {
    uint8_t *samples;      ///< rows of width * channels samples, no padding
    int32_t width;
    int32_t height;
    int32_t channels;      ///< samples per pixel (1...4)
    int32_t bytes_per_sample; ///< 1, or 2 for 16-bit PNG samples (big-endian)
    vision_layout layout;
} vision_raster;

/// Decodes a PNG held in memory. Palette images are expanded to RGB, gray images of fewer
/// than 8 bits are scaled to 8 bits, tRNS and gamma are ignored, 16-bit samples are kept.
/// Returns 0 on success; otherwise writes a message (NUL-terminated) and returns non-zero.
int vision_png_decode(const uint8_t *data, size_t size, vision_raster *out,
                      char *message, size_t message_capacity);

/// Decodes a JPEG held in memory into 8-bit gray, RGB or CMYK samples (libjpeg defaults:
/// islow IDCT, fancy upsampling). A file that ends early is an error.
/// Returns 0 on success; otherwise writes a message (NUL-terminated) and returns non-zero.
int vision_jpeg_decode(const uint8_t *data, size_t size, vision_raster *out,
                       char *message, size_t message_capacity);

/// Frees the samples of a raster filled by a decoder (safe on a zeroed raster).
void vision_raster_free(vision_raster *raster);

/// Encodes an 8-bit, non-interlaced PNG into a buffer allocated with malloc (free it with
/// `vision_buffer_free`). `channels` is 1 (gray), 3 (RGB) or 4 (RGBA); rows hold
/// width * channels bytes.
/// Returns 0 on success; otherwise writes a message (NUL-terminated) and returns non-zero.
int vision_png_encode(const uint8_t *pixels, int32_t width, int32_t height, int32_t channels,
                      uint8_t **encoded, size_t *encoded_size,
                      char *message, size_t message_capacity);

/// Frees a buffer returned by `vision_png_encode`.
void vision_buffer_free(uint8_t *buffer);

#endif
