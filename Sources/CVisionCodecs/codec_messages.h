#ifndef VISION_CODEC_MESSAGES_H
#define VISION_CODEC_MESSAGES_H

#include <stddef.h>
#include <stdio.h>

/* Copies `text` into the caller's message buffer, truncating and NUL-terminating. */
static inline void vision_set_message(char *message, size_t capacity, const char *text) {
    if (message != NULL && capacity > 0) {
        snprintf(message, capacity, "%s", text);
    }
}

#endif
