/* The key table: one row per key, read by the window's input, the help overlay, `--keys`
 * and the README check, so what a key does is written down exactly once. */
#ifndef OPTISCOPE_KEYS_H
#define OPTISCOPE_KEYS_H

#include <stdio.h>

#include "session.h"

typedef enum { KEYMOD_ANY, KEYMOD_NONE, KEYMOD_SHIFT, KEYMOD_CTRL } KeyMod; /* CTRL: only with Ctrl */

/* What a key is about: the help shows the keys grouped by these, in this order. */
typedef enum { TOPIC_TIME, TOPIC_RUNS, TOPIC_MAP, TOPIC_SHOW, TOPIC_FILES, TOPIC_WINDOW, TOPIC_COUNT } KeyTopic;

typedef struct {
    const char *key;   /* the key's name as SDL_GetKeyFromName knows it; NULL: a mouse gesture */
    KeyMod mod;
    ActionKind action;
    int arg;
    const char *label; /* how the help shows the key; NULL: the line's label covers it */
    const char *help;  /* what it does; NULL: the row belongs to the help line above */
    KeyTopic topic;    /* with help: the help's group it is shown in */
} KeyRow;

extern const KeyRow keys_table[];
extern const int keys_count;

/* The help's lines: each joins a row that has help text with the rows after it that have
 * none. `keys` gets the labels joined by " / ". Returns the number of lines; line i is
 * written when out is given. */
int keys_help_lines(void);
void keys_help_line(int i, char *keys, size_t len, const char **what);
/* Help line i's topic, and each topic's heading. */
KeyTopic keys_help_topic(int i);
extern const char *const keys_topic_names[TOPIC_COUNT];

/* The palette (Ctrl+K): the help lines a key runs whose keys or description hold `query`
 * (ASCII case ignored). Whether line i does; the `chosen`-th that does (-1: none); how many. */
int keys_palette_match(int line, const char *query);
int keys_palette_find(const char *query, int chosen);
int keys_palette_count(const char *query);
/* What help line i's first key does, as if it were pressed (ACTION_NONE for a gesture). */
Action keys_line_action(int line);

/* The key table as Markdown, exactly as the README has it. */
void keys_markdown(FILE *out);
/* The same lines for the manual page's KEYS section, in roff. */
void keys_man(FILE *out);

#endif
