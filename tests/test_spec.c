/* Spec parsing: defaults, explicit values, types, ranges and the text written back. */
#include <string.h>

#include "../src/core/optim.h"
#include "../src/core/sched.h"
#include "../src/core/spec.h"
#include "check.h"

static void check_parse_values(void)
{
    Spec s;
    char err[256];
    CHECK(optim_parse("adam:lr=0.05,beta1=0.8,amsgrad=true,label=fast one", &s, err, sizeof err) == 0, "%s", err);
    CHECK(s.v[0] == 0.05 && s.v[1] == 0.8 && s.v[2] == 0.999 && s.v[5] == 1, "adam values and defaults");
    CHECK(strcmp(s.label, "fast one") == 0, "label '%s'", s.label);
    CHECK(s.given == ((1u << 0) | (1u << 1) | (1u << 5)), "given bits %x", s.given);

    CHECK(sched_parse("multistep:milestones=30/80/150,gamma=0.3", &s, err, sizeof err) == 0, "%s", err);
    CHECK(s.nlist == 3 && s.list[0] == 30 && s.list[2] == 150 && s.v[1] == 0.3, "milestones");
    CHECK(sched_parse("onecycle:anneal=linear", &s, err, sizeof err) == 0 && s.v[3] == 1, "choice index");
    CHECK(sched_parse("plateau:patience=2.5", &s, err, sizeof err) < 0 && strstr(err, "whole number"), "%s", err);
    CHECK(sched_parse("step:label=x", &s, err, sizeof err) < 0 && strstr(err, "unknown key 'label'"),
          "label only on optimizers: %s", err);
}

static void check_format_round_trip(void)
{
    const char *texts[] = { "sgd:lr=0.01,momentum=0.9,nesterov=1", "adam", "onecycle:max_lr=0.1,anneal=linear",
                            "multistep:milestones=30/80,gamma=0.5" };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        const SpecTable *t = i == 0 || i == 1 ? &optim_table : &sched_table;
        Spec a, b;
        char buf[256], err[256];
        CHECK(spec_parse(t, texts[i], &a, err, sizeof err) == 0, "%s", err);
        spec_format(t, &a, buf, sizeof buf);
        CHECK(strcmp(buf, texts[i]) == 0, "format '%s' gave '%s'", texts[i], buf);
        CHECK(spec_parse(t, buf, &b, err, sizeof err) == 0 && memcmp(a.v, b.v, sizeof a.v) == 0, "round trip");
    }
}

/* Found by the fuzzer: 0.99999999999 printed to 10 digits read back as 1, out of range. */
static void check_exact_format(void)
{
    char err[256], buf[256];
    Spec a, b;
    const char *texts[] = { "sgd:momentum=.99999999999", "adam:lr=0.1234567890123,eps=1.0000000000000002e-08" };
    for (int i = 0; i < 2; i++) {
        CHECK(optim_parse(texts[i], &a, err, sizeof err) == 0, "%s: %s", texts[i], err);
        spec_format(&optim_table, &a, buf, sizeof buf);
        CHECK(optim_parse(buf, &b, err, sizeof err) == 0 && memcmp(a.v, b.v, sizeof a.v) == 0,
              "'%s' formats as '%s', which reads back otherwise (%s)", texts[i], buf, err);
    }
    CHECK(optim_parse("sgd:lr=0.0008000000000000001", &a, err, sizeof err) == 0, "%s", err);
    spec_format_brief(&optim_table, &a, buf, sizeof buf);
    CHECK(strcmp(buf, "sgd:lr=0.0008") == 0, "brief format '%s'", buf);
}

static void check_long_and_junk(void)
{
    char text[2048], err[256];
    Spec s;
    memset(text, 'a', sizeof text - 1);
    text[sizeof text - 1] = '\0';
    CHECK(optim_parse(text, &s, err, sizeof err) < 0 && strstr(err, "too long (2047 bytes, at most 511)"), "%s", err);
    CHECK(optim_parse("sgd:lr=0.1,,momentum=0.9", &s, err, sizeof err) < 0 && strstr(err, "KEY=VALUE"), "%s", err);
    CHECK(optim_parse("sgd:=3", &s, err, sizeof err) < 0, "empty key");
    CHECK(optim_parse("sgd:lr=0x10", &s, err, sizeof err) < 0 && strstr(err, "not a finite number"),
          "only decimal numbers: %s", err);
    CHECK(optim_parse("sgd:lr=1e-320", &s, err, sizeof err) == 0 && s.v[0] > 0, "a subnormal lr is a number: %s", err);
    CHECK(optim_parse("\x01\x02", &s, err, sizeof err) < 0 && strstr(err, "unknown optimizer"), "%s", err);
}

/* Labels are text for the screen and the dump: UTF-8, counted in characters, given once. */
static void check_labels(void)
{
    char err[256] = "", text[256];
    Spec s;
    CHECK(optim_parse("sgd:label=\xff", &s, err, sizeof err) < 0 && strstr(err, "sgd: label is not valid UTF-8"),
          "a label that is not UTF-8: '%s'", err);
    CHECK(optim_parse("sgd:label=ab\xe2\x86", &s, err, sizeof err) < 0 && strstr(err, "UTF-8"),
          "a cut-off character: '%s'", err);
    CHECK(optim_parse("sgd:label=\xed\xa0\x80", &s, err, sizeof err) < 0 && strstr(err, "UTF-8"), "a surrogate: '%s'",
          err);
    CHECK(optim_parse("sgd:label=a,label=b", &s, err, sizeof err) < 0 && strstr(err, "sgd: label given twice"),
          "a repeated label: '%s'", err);
    strcpy(text, "adam:label=");
    for (int i = 0; i < 31; i++)
        strcat(text, "\xe5\xad\xa6"); /* 学, three bytes */
    CHECK(optim_parse(text, &s, err, sizeof err) == 0 && strlen(s.label) == 93, "31 characters of CJK: '%s'", err);
    strcat(text, "\xe5\xad\xa6");
    CHECK(optim_parse(text, &s, err, sizeof err) < 0 && strstr(err, "adam: label must be 1 to 31 characters, got 32"),
          "32 characters: '%s'", err);
}

/* Lists: every item a whole number, none empty. */
static void check_lists(void)
{
    const char *bad[] = { "multistep:milestones=1//2", "multistep:milestones=/1/", "multistep:milestones=1/",
                          "multistep:milestones=1.5/2.5", "multistep:milestones=/" };
    const char *says[] = { "empty value", "empty value", "empty value", "whole number", "empty value" };
    for (int i = 0; i < 5; i++) {
        char err[256] = "";
        Spec s;
        const int rc = sched_parse(bad[i], &s, err, sizeof err);
        CHECK(rc < 0 && strstr(err, says[i]), "'%s': %s, wanted '%s'", bad[i], rc < 0 ? err : "accepted", says[i]);
    }
}

/* A value next to its bound is printed exactly enough to differ from it. */
static void check_range_digits(void)
{
    char err[256] = "";
    Spec s;
    CHECK(sched_parse("step:step_size=1000000001", &s, err, sizeof err) < 0 &&
              strstr(err, "<= 1000000000, got 1000000001"),
          "'%s'", err);
    CHECK(optim_parse("adam:beta1=1.0000000000000002", &s, err, sizeof err) < 0 &&
              strstr(err, "got 1.0000000000000002"),
          "'%s'", err);
}

void test_spec(void)
{
    check_labels();
    check_lists();
    check_range_digits();
    check_parse_values();
    check_format_round_trip();
    check_exact_format();
    check_long_and_junk();
}
