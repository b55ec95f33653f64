/* The layout's promises checked on a state dump, for the headless matrix (test_layout.c)
 * and the real window (test_window.c) alike. */
#ifndef OPTISCOPE_TEST_LAYOUT_CHECK_H
#define OPTISCOPE_TEST_LAYOUT_CHECK_H

/* Nine optimizer specs, one per run, some with long labels. */
extern const char *const layout_optimizers[];

/* No two boxes of the dump's layout overlap, none leaves the w x h picture, the start and
 * every live run's point lie on the map, the map keeps half of a wide picture with
 * classroom text (font <= 1.5) and no caption lines under a title, and a classroom-sized picture keeps its legend. */
void layout_check_dump(const char *json, int w, int h, double font, int runs, const char *what);

/* Every box of the slide picture's layout (a dump) is in the live window's too. */
void layout_check_holds(const char *live, const char *slide, const char *what);

#endif
