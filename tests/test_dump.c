/* The state dump is valid JSON whatever the session holds; the validator that says so is
 * checked first. */
#include <stdlib.h>
#include <string.h>

#include "../src/core/config.h"
#include "../src/session/session.h"
#include "check.h"
#include "json.h"

static void check_validator(void)
{
    const char *good[] = { "{}", "[]", " {\"a\": [1, -2.5e-3, true, false, null, \"\\u00e9\\n\"]} ", "0",
                           "\"\xe5\xad\xa6\"" };
    const char *bad[] = { "", "{", "{\"a\" 1}", "[1,]", "01", "1.", "nan", "\"\xff\"", "\"a\nb\"", "\"\\x\"",
                          "{} {}", "[1 2]", "\"\xe2\x86\"", "\"\xed\xa0\x80\"", "-", "{\"a\":}" };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        CHECK(json_validate(good[i], strlen(good[i]), NULL) == 0, "valid JSON refused: '%s'", good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(json_validate(bad[i], strlen(bad[i]), NULL) < 0, "invalid JSON accepted: '%s'", bad[i]);
}

/* Whatever bytes a label or message holds, the dump escapes them. */
static void check_hostile_text(void)
{
    Config c;
    char err[256];
    config_defaults(&c);
    config_finish(&c, err, sizeof err);
    Session *ses = calloc(1, sizeof *ses);
    if (!ses || session_init(ses, &c, 0, 0, 800, 600, err, sizeof err) < 0) {
        CHECK(0, "session: %s", err);
        free(ses);
        return;
    }
    snprintf(ses->sim.runs[0].opt.label, sizeof ses->sim.runs[0].opt.label, "a\"b\\c\xff\x01");
    snprintf(ses->sim.runs[1].opt.label, sizeof ses->sim.runs[1].opt.label, "cut\xe2\x86");
    session_apply(ses, &(Action){ .kind = ACTION_NOTE, .text = "path '\xc0\xaf\x7f'" });
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    session_dump_json(ses, NULL, f);
    fclose(f);
    size_t where = 0;
    CHECK(json_validate(text, len, &where) == 0, "the dump is not valid JSON at byte %zu: '%.80s'", where,
          text + (where < len ? where : len));
    free(text);
    free(ses);
}

void test_dump(void)
{
    check_validator();
    check_hostile_text();
}
