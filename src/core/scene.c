/* Scene files are options written one per line; config_apply checks every value. */
#include "scene.h"

#include <stdio.h>
#include <string.h>

static int is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r';
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

int scene_parse(Config *c, const char *text, const char *path, char *err, size_t errlen)
{
    return scene_parse_from(c, text, path, CONFIG_FROM_SCENE, err, errlen);
}

int scene_parse_from(Config *c, const char *text, const char *path, ConfigFrom from, char *err, size_t errlen)
{
    char line[SCENE_LINE_MAX], msg[384];
    int runs = 0;
    c->replace_runs = 1;
    for (int number = 1; *text; number++) {
        size_t n = strcspn(text, "\n");
        if (n >= sizeof line)
            return line_error(err, errlen, path, number, "line too long (at most 1023 characters)");
        memcpy(line, text, n);
        line[n] = '\0';
        text += n + (text[n] == '\n');
        char *key, *value;
        if (!split_line(line, &key, &value))
            continue;
        if (!config_key_ok(key, from)) {
            config_apply(c, key, value, from, msg, sizeof msg);
            return line_error(err, errlen, path, number, msg);
        }
        if (*value == '\0') {
            snprintf(msg, sizeof msg, "'%.40s' needs a value (write: KEY VALUE)", key);
            return line_error(err, errlen, path, number, msg);
        }
        if (config_apply(c, key, value, from, msg, sizeof msg) < 0)
            return line_error(err, errlen, path, number, msg);
        runs += strcmp(key, "optimizer") == 0;
    }
    c->replace_runs = runs > 0;
    return 0;
}
