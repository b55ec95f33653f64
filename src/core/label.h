/* A run's label as written is a template: fields in braces, `lr {lr}` or
 * `{optimizer} β={momentum}`, filled with the run's values of the moment wherever the label
 * is read (legend, dump, messages), so a label never names a value the run no longer has.
 * `{{` and `}}` write a brace. */
#ifndef OPTISCOPE_LABEL_H
#define OPTISCOPE_LABEL_H

#include <stddef.h>

#include "spec.h"

/* Bytes a filled label may take: fields can be longer than their names ({milestones}). */
#define LABEL_TEXT_MAX 256

/* What the fields are filled from. */
typedef struct {
    const Spec *opt, *sched;
    double lr;       /* {lr}: the lr of the moment, after the schedule */
    double momentum; /* what a cycling schedule sets the optimizer's momentum (or beta1) to;
                        NaN: the optimizer's own */
} LabelValues;

/* "0.0123", "1.2e-05": how the legend writes a number, short but with the digits a lecture
 * needs. LABEL_NUMBER_WIDEST is the widest it gets, for measuring. */
void label_number(char *buf, size_t len, double v);
#define LABEL_NUMBER_WIDEST "-0.00e-00"

/* Checks a template's braces and fields: every field must be `lr`, `optimizer`, `schedule`,
 * a hyperparameter of `opt` or a parameter of `sched`. A NULL `sched` (its schedule is not
 * known yet) lets through the parameters of any schedule. Returns 0, or -1 with a one-line
 * message naming the field or the brace and listing the valid fields. */
int label_check(const char *tmpl, const Spec *opt, const Spec *sched, char *err, size_t errlen);

/* The template filled (cut at a character's end if it outgrows len). The numbers `widest`
 * names (LABEL_WIDEST_* bits: those that move from step to step by themselves) are written
 * as LABEL_NUMBER_WIDEST, so text measured from it holds whatever values come. Fields
 * label_check refuses are written as they stand. */
enum { LABEL_WIDEST_LR = 1, LABEL_WIDEST_MOMENTUM = 2 };
void label_fill(const char *tmpl, const LabelValues *v, unsigned widest, char *out, size_t len);

/* Whether the template holds the field `name`. */
int label_has_field(const char *tmpl, const char *name);

#endif
