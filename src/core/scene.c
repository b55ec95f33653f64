/* Scene files: lines split into KEY and VALUE, each handed to the reader's callback, and its
 * complaint placed at FILE:LINE. */
#include "scene.h"

#include <stdio.h>
#include <string.h>

static int is_space(char ch)
{
    return ch == ' ' || ch == '\t';
}

/* Splits one line into key and value in place; returns 0 for a blank or comment line. */
static int split_line(char *line, char **key, char **value)
{
    size_t n = strlen(line);
    while (n > 0 && is_space(line[n - 1]))
        line[--n] = '\0';
    char *p = line;
    while (is_space(*p))
        p++;
    if (*p == '\0' || *p == '#')
        return 0;
    *key = p;
    while (*p && !is_space(*p))
        p++;
    if (*p) {
        *p++ = '\0';
        while (is_space(*p))
            p++;
    }
    *value = p;
    return 1;
}

static int line_error(char *err, size_t errlen, const char *path, int line, const char *msg)
{
    snprintf(err, errlen, "%s:%d: %s", path, line, msg);
    return -1;
}

int scene_read(const char *text, const char *path, SceneLine apply, void *ctx, char *err, size_t errlen)
{
    char line[SCENE_LINE_MAX], msg[384];
    /* Editors may start the file with a byte order mark and end lines with CR alone (old
     * Mac), CRLF or LF: each ends a line. */
    if (strncmp(text, "\xef\xbb\xbf", 3) == 0)
        text += 3;
    for (int number = 1; *text; number++) {
        size_t n = strcspn(text, "\r\n");
        if (n >= sizeof line) {
            snprintf(msg, sizeof msg, "line too long (at most %d bytes)", SCENE_LINE_MAX - 1);
            return line_error(err, errlen, path, number, msg);
        }
        memcpy(line, text, n);
        line[n] = '\0';
        text += n;
        text += text[0] == '\r' && text[1] == '\n' ? 2 : text[0] != '\0';
        char *key, *value;
        if (!split_line(line, &key, &value))
            continue;
        if (apply(ctx, key, value, msg, sizeof msg) < 0)
            return line_error(err, errlen, path, number, msg);
    }
    return 0;
}
