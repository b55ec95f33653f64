/* The command line as a user meets it: malformed invocations exit 2 with one line naming
 * the problem; divergence is reported and the other runs go on; --help and --list work. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "proc.h"

static const struct {
    const char *args;
    const char *says; /* the message must contain this */
} malformed[] = {
    { "--frobnicate", "unknown option '--frobnicate'" },
    { "stray", "unexpected argument 'stray'" },
    { "--headless --steps", "--steps needs a value" },
    { "--headless --steps 0", "--steps must be a whole number from 1" },
    { "--headless --steps -5", "--steps must be a whole number from 1" },
    { "--headless --steps 2.5", "--steps must be a whole number" },
    { "--headless --steps 1e12", "--steps must be a whole number from 1 to 1e+08" },
    { "--headless --steps 0x10", "--steps: '0x10' is not a finite number" },
    { "--headless --optimizer sgd:lr=0x1p-3", "lr: '0x1p-3' is not a finite number" },
    { "--headless --steps nan", "--steps: 'nan' is not a finite number" },
    { "--headless --steps ten", "--steps: 'ten' is not a finite number" },
    { "--headless --function rosenbrok", "unknown function 'rosenbrok' (valid: quadratic, rosenbrock" },
    { "--headless --function rosenbrock:c=1", "rosenbrock: unknown key 'c' (valid: a, b)" },
    { "--headless --function quadratic:a=0", "quadratic: a must be >" },
    { "--headless --function quadratic:b", "quadratic: expected KEY=VALUE" },
    { "--headless --function rosenbrock:", "rosenbrock: nothing after ':'" },
    { "--headless --function quadratic:a=1,a=2", "quadratic: a given twice" },
    { "--headless --optimizer adamm", "unknown optimizer 'adamm' (valid: sgd, adagrad, rmsprop" },
    { "--headless --optimizer sgd:lr=0", "sgd: lr must be > 0" },
    { "--headless --optimizer sgd:lr=-0.1", "sgd: lr must be > 0" },
    { "--headless --optimizer sgd:lr=nan", "sgd: lr: 'nan' is not a finite number" },
    { "--headless --optimizer sgd:lr=inf", "sgd: lr: 'inf' is not a finite number" },
    { "--headless --optimizer sgd:lr=1e400", "sgd: lr: '1e400' is not a finite number" },
    { "--headless --optimizer adam:beta1=1", "adam: beta1 must be >= 0 and < 1" },
    { "--headless --optimizer adam:beta2=-0.1", "adam: beta2 must be >= 0 and < 1" },
    { "--headless --optimizer adam:amsgrad=yes", "adam: amsgrad must be 0, 1, true or false" },
    { "--headless --optimizer sgd:nesterov=1", "sgd: nesterov=1 needs momentum > 0" },
    { "--headless --optimizer sgd:momentum=0.9,lr=0.01,betas=1", "sgd: unknown key 'betas'" },
    { "--headless --optimizer sgd --schedule warmup", "unknown schedule 'warmup' (valid: constant, step" },
    { "--headless --schedule step", "--schedule must follow the --optimizer" },
    { "--headless --optimizer sgd --schedule step --schedule cosine", "--schedule given twice" },
    { "--headless --optimizer sgd --schedule step:gamma=1.5", "step: gamma must be > 0 and <= 1" },
    { "--headless --optimizer sgd --schedule step:step_size=0", "step: step_size must be >= 1" },
    { "--headless --optimizer sgd --schedule multistep", "milestones are required" },
    { "--headless --optimizer sgd --schedule multistep:milestones=50/20", "milestones must be increasing" },
    { "--headless --optimizer sgd --schedule multistep:milestones=a/b", "milestones: 'a' is not a number" },
    { "--headless --optimizer sgd --schedule onecycle:anneal=cubic", "anneal must be one of cos|linear" },
    { "--headless --optimizer sgd --schedule plateau:factor=1", "plateau: factor must be > 0 and < 1" },
    { "--headless --start 1", "--start must be X,Y" },
    { "--headless --start 1,2,3", "--start must be X,Y" },
    { "--headless --start nan,0", "--start must be X,Y" },
    { "--headless --start 1e7,0", "--start must lie within" },
    { "--headless --noise -1", "--noise must be a number from 0" },
    { "--headless --seed -3", "--seed must be a whole number" },
    { "--headless --seed 99999999999999999999999", "--seed must be a whole number" },
    { "--headless --trace /nonexistent-dir/out.csv", "cannot write trace '/nonexistent-dir/out.csv'" },
    { "--headless --trace /", "trace '/' is a folder" },
    { "--headless --record /nonexistent-dir/o.mp4", "cannot record '/nonexistent-dir/o.mp4': folder '/nonexistent-dir'" },
    { "--headless --size 16384x16384 --record o.webm", "cannot record 16384x16384 pixels" },
    { "--trace -", "--trace, --screenshot and --bench need --headless" },
    { "--headless --optimizer sgd --optimizer sgd --optimizer sgd --optimizer sgd --optimizer sgd "
      "--optimizer sgd --optimizer sgd --optimizer sgd --optimizer sgd --optimizer sgd",
      "too many optimizers: at most 9" },
    { "--headless --optimizer sgd:label=", "sgd: label must be 1 to" },
    { "--headless --headless=1", "--headless takes no value" },
    { "--headless --scene /nonexistent.scene", "cannot read scene '/nonexistent.scene'" },
    { "--headless --steps inf", "--steps: 'inf' is not a finite number" },
    { "--headless --steps 1e400", "--steps: '1e400' is not a finite number" },
    { "--headless --steps 99999999999999999999", "--steps must be a whole number from 1 to 1e+08" },
    { "--headless --noise nan", "--noise: 'nan' is not a finite number" },
    { "--headless --noise 1e400", "--noise: '1e400' is not a finite number" },
    { "--headless --start inf,0", "--start must be X,Y" },
    { "--headless --start 1,", "--start must be X,Y" },
    { "--headless --view 0,0,0,1", "--view needs X0 < X1 and Y0 < Y1" },
    { "--headless --view 1,0,0,1", "--view needs X0 < X1 and Y0 < Y1" },
    { "--headless --view 0,1e-20,0,1", "--view must be 1e-12 to 1e12 wide" },
    { "--headless --view -1e13,1e13,0,1", "--view must be 1e-12 to 1e12 wide" },
    { "--headless --view 1e12,1.00000000000001e12,0,1", "--view must be 1e-12 to 1e12 wide" },
    { "--headless --view 0,1,0,nan", "--view must be X0,X1,Y0,Y1" },
    { "--headless --view 0,1,0", "--view must be X0,X1,Y0,Y1" },
    { "--headless --size -100x50", "--size must be WxH" },
    { "--headless --size 0x0", "--size must be WxH" },
    { "--headless --size 100000x100", "--size must be WxH" },
    { "--headless --size 800", "--size must be WxH" },
    { "--headless --size 800x600x3", "--size must be WxH" },
    { "--headless --size 9000x9000 --scale 2", "--size times --scale must stay within 16384" },
    { "--headless --scale 0", "--scale must be a number from 0.25 to 4" },
    { "--headless --scale -2", "--scale must be a number from 0.25 to 4" },
    { "--headless --font-scale 10", "--font-scale must be a number from 0.5 to 4" },
    { "--headless --bench 0", "--bench must be a whole number from 1" },
    { "--headless --bench 1e9", "--bench must be a whole number from 1" },
    { "--headless --speed 0", "--speed must be a number from 0.5 to 5000" },
    { "--headless --theme blue", "--theme must be dark or light" },
    { "--headless --panels contours,maps", "--panels must be 'none' or a comma-separated list" },
    { "--headless --screenshot shot.jpg", "--screenshot must name a .png file" },
    { "--headless --screenshot /nonexistent-dir/shot.png", "cannot write screenshot '/nonexistent-dir/shot.png'" },
    { "--headless --dump-state /nonexistent-dir/s.json", "cannot write state '/nonexistent-dir/s.json'" },
    { "--headless --trace - --bench 5", "--trace and --bench cannot be combined" },
    { "--headless --optimizer rmsprop:alpha=1", "rmsprop: alpha must be >= 0 and < 1" },
    { "--headless --optimizer adagrad:eps=-1", "adagrad: eps must be >= 0" },
    { "--headless --optimizer adamw:weight_decay=1e9", "adamw: weight_decay must be >= 0 and <= 1000" },
    { "--headless --optimizer sgd:lr=1e5", "sgd: lr must be > 0 and <= 10000" },
    { "--headless --optimizer sgd --schedule cosine:t_max=0", "cosine: t_max must be >= 1" },
    { "--headless --optimizer sgd --schedule onecycle:pct_start=1", "onecycle: pct_start must be >= 0 and < 1" },
    { "--headless --optimizer sgd --schedule onecycle:total_steps=10,pct_start=0.01",
      "onecycle: pct_start * total_steps must fall between" },
    { "--headless --optimizer sgd --schedule linear:start_factor=0", "linear: start_factor must be > 0" },
    { "--headless --optimizer sgd --schedule plateau:threshold_mode=max", "threshold_mode must be one of rel|abs" },
    { "--headless --function quadratic:angle=1e400", "quadratic: angle: '1e400' is not a finite number" },
    /* The keys of PyTorch 2.6's rules and the optimizers and schedules added with them. */
    { "--headless --optimizer nadam:decoupled_weight_decay=2", "nadam: decoupled_weight_decay must be 0, 1, true or false" },
    { "--headless --optimizer radam:decoupled_weight_decay=yes", "radam: decoupled_weight_decay must be 0, 1, true" },
    { "--headless --optimizer rprop:eta_minus=1", "rprop: eta_minus must be > 0 and < 1" },
    { "--headless --optimizer rprop:eta_plus=0.9", "rprop: eta_plus must be > 1" },
    { "--headless --optimizer rprop:step_min=-1", "rprop: step_min must be >= 0" },
    { "--headless --optimizer rprop:step_max=0", "rprop: step_max must be > 0" },
    { "--headless --optimizer rprop:step_min=2,step_max=1", "rprop: step_min must not exceed step_max" },
    { "--headless --optimizer asgd:lambd=-1", "asgd: lambd must be >= 0" },
    { "--headless --optimizer asgd:alpha=nan", "asgd: alpha: 'nan' is not a finite number" },
    { "--headless --optimizer asgd:t0=-5", "asgd: t0 must be >= 0" },
    { "--headless --optimizer asgd:weight_decay=-1", "asgd: weight_decay must be >= 0" },
    { "--headless --optimizer adafactor:beta2_decay=0.5", "adafactor: beta2_decay must be >= -10 and <= 0" },
    { "--headless --optimizer adafactor:eps1=0", "adafactor: eps1 must be > 0" },
    { "--headless --optimizer adafactor:eps2=2", "adafactor: eps2 must be >= 0 and <= 1" },
    { "--headless --optimizer adafactor:d=0.5", "adafactor: d must be >= 1" },
    { "--headless --optimizer adafactor:weight_decay=x", "adafactor: weight_decay: 'x' is not a finite number" },
    { "--headless --optimizer lbfgs:history_size=0", "lbfgs: history_size must be >= 1 and <= 100" },
    { "--headless --optimizer lbfgs:history_size=2.5", "lbfgs: history_size must be a whole number" },
    { "--headless --optimizer lbfgs:line_search=backtracking", "line_search must be one of none|strong_wolfe" },
    { "--headless --optimizer lbfgs:tolerance_grad=-1", "lbfgs: tolerance_grad must be >= 0" },
    { "--headless --optimizer lbfgs:tolerance_change=inf", "lbfgs: tolerance_change: 'inf' is not a finite" },
    { "--headless --optimizer newton:damping=-1", "newton: damping must be >= 0" },
    { "--headless --optimizer newton:lr=0", "newton: lr must be > 0" },
    /* Losses over data and their minibatches. */
    { "--headless --function linreg", "linreg: needs its data, linreg:data=FILE" },
    { "--headless --function logreg:file=x.csv", "logreg: needs its data, logreg:data=FILE" },
    { "--headless --function linreg:data=build/no-such-data.csv", "cannot read data file 'build/no-such-data.csv'" },
    { "--headless --function linreg:data=no_such_set", "no shipped data set has that name either" },
    { "--headless --optimizer sgd:batch_size=4", "sgd: batch_size=4 needs a loss over data" },
    { "--headless --optimizer sgd:batch_size=-1", "sgd: batch_size must be a whole number from 0" },
    { "--headless --optimizer sgd:batch_size=2.5", "sgd: batch_size must be a whole number from 0" },
    { "--headless --function linreg:data=line --optimizer adam:batch_size=25",
      "adam: batch_size must be 0 (all the data) to 24" },
    { "--headless --optimizer lion:beta1=1.5", "lion: beta1 must be >= 0 and <= 1" },
    { "--headless --optimizer lion:beta2=-0.1", "lion: beta2 must be >= 0 and <= 1" },
    { "--headless --optimizer lion:weight_decay=-1", "lion: weight_decay must be >= 0" },
    { "--headless --optimizer qhm:momentum=1", "qhm: momentum must be >= 0 and < 1" },
    { "--headless --optimizer qhm:nu=2", "qhm: nu must be >= 0 and <= 1" },
    { "--headless --optimizer qhm:weight_decay=-1", "qhm: weight_decay must be >= 0" },
    { "--headless --optimizer qhadam:beta1=1", "qhadam: beta1 must be >= 0 and < 1" },
    { "--headless --optimizer qhadam:beta2=1", "qhadam: beta2 must be >= 0 and < 1" },
    { "--headless --optimizer qhadam:nu1=-0.5", "qhadam: nu1 must be >= 0 and <= 1" },
    { "--headless --optimizer qhadam:nu2=1.5", "qhadam: nu2 must be >= 0 and <= 1" },
    { "--headless --optimizer qhadam:eps=-1", "qhadam: eps must be >= 0" },
    { "--headless --optimizer qhadam:weight_decay=-1", "qhadam: weight_decay must be >= 0" },
    { "--headless --optimizer sgd_schedulefree:momentum=0", "sgd_schedulefree: momentum must be > 0 and < 1" },
    { "--headless --optimizer sgd_schedulefree:warmup_steps=1.5", "warmup_steps must be a whole number" },
    { "--headless --optimizer sgd_schedulefree:r=-1", "sgd_schedulefree: r must be >= 0" },
    { "--headless --optimizer sgd_schedulefree:weight_lr_power=-1", "weight_lr_power must be >= 0" },
    { "--headless --optimizer sgd_schedulefree:weight_decay=-1", "sgd_schedulefree: weight_decay must be >= 0" },
    { "--headless --optimizer adamw_schedulefree:beta1=0", "adamw_schedulefree: beta1 must be > 0 and < 1" },
    { "--headless --optimizer adamw_schedulefree:beta2=1", "adamw_schedulefree: beta2 must be >= 0 and < 1" },
    { "--headless --optimizer adamw_schedulefree:eps=-1", "adamw_schedulefree: eps must be >= 0" },
    { "--headless --optimizer adamw_schedulefree:warmup_steps=-1", "adamw_schedulefree: warmup_steps must be >= 0" },
    { "--headless --optimizer adamw_schedulefree:r=nan", "adamw_schedulefree: r: 'nan' is not a finite number" },
    { "--headless --optimizer adamw_schedulefree:weight_lr_power=1e400", "weight_lr_power: '1e400' is not a finite" },
    { "--headless --optimizer adamw_schedulefree:weight_decay=-1", "adamw_schedulefree: weight_decay must be >= 0" },
    { "--headless --optimizer prodigy:beta1=1", "prodigy: beta1 must be >= 0 and < 1" },
    { "--headless --optimizer prodigy:beta2=1", "prodigy: beta2 must be >= 0 and < 1" },
    { "--headless --optimizer prodigy:beta3=1", "prodigy: beta3 must be >= 0 and < 1" },
    { "--headless --optimizer prodigy:eps=0", "prodigy: eps must be > 0" },
    { "--headless --optimizer prodigy:weight_decay=-1", "prodigy: weight_decay must be >= 0" },
    { "--headless --optimizer prodigy:decouple=2", "prodigy: decouple must be 0, 1, true or false" },
    { "--headless --optimizer prodigy:use_bias_correction=on", "use_bias_correction must be 0, 1, true or false" },
    { "--headless --optimizer prodigy:safeguard_warmup=-1", "safeguard_warmup must be 0, 1, true or false" },
    { "--headless --optimizer prodigy:d0=0", "prodigy: d0 must be > 0" },
    { "--headless --optimizer prodigy:d_coef=0", "prodigy: d_coef must be > 0" },
    { "--headless --optimizer prodigy:growth_rate=inf", "prodigy: growth_rate: 'inf' is not a finite number" },
    { "--headless --optimizer prodigy:growth_rate=-1", "prodigy: growth_rate must be >= 0" },
    { "--headless --optimizer sgd --schedule onecycle:cycle_momentum=maybe", "cycle_momentum must be 0, 1, true" },
    { "--headless --optimizer sgd --schedule onecycle:base_momentum=1", "onecycle: base_momentum must be >= 0 and < 1" },
    { "--headless --optimizer sgd --schedule onecycle:max_momentum=-0.5", "onecycle: max_momentum must be >= 0" },
    { "--headless --optimizer sgd --schedule onecycle:total_steps=6,pct_start=0.5,final_div_factor=1e-320",
      "onecycle: final_div_factor must be >= 2.2250738585072014e-308" },
    { "--headless --optimizer sgd --schedule onecycle:div_factor=1e-310", "onecycle: div_factor must be >= 2.2250738585072014e-308" },
    { "--headless --optimizer adagrad --schedule onecycle", "onecycle: cycle_momentum=1 needs momentum or beta1" },
    { "--headless --optimizer lbfgs --schedule cyclic", "cyclic: cycle_momentum=1 needs momentum or beta1" },
    { "--headless --optimizer sgd --schedule cyclic:base_lr=-1", "cyclic: base_lr must be >= 0" },
    { "--headless --optimizer sgd --schedule cyclic:max_lr=1e5", "cyclic: max_lr must be >= 0 and <= 10000" },
    { "--headless --optimizer sgd --schedule cyclic:step_size_up=0", "cyclic: step_size_up must be >= 1" },
    { "--headless --optimizer sgd --schedule cyclic:step_size_down=2.5", "step_size_down must be a whole number" },
    { "--headless --optimizer sgd --schedule cyclic:mode=triangular3", "mode must be one of triangular|triangular2|exp_range" },
    { "--headless --optimizer sgd --schedule cyclic:gamma=0", "cyclic: gamma must be > 0 and <= 1" },
    { "--headless --optimizer sgd --schedule cyclic:cycle_momentum=2", "cyclic: cycle_momentum must be 0, 1, true" },
    { "--headless --optimizer sgd --schedule cyclic:base_momentum=1", "cyclic: base_momentum must be >= 0 and < 1" },
    { "--headless --optimizer sgd --schedule cyclic:max_momentum=nan", "cyclic: max_momentum: 'nan' is not a finite" },
    { "--headless --optimizer sgd --schedule cosine:warmup=-1", "cosine: warmup must be >= 0" },
    { "--headless --optimizer sgd --schedule step:warmup=2.5", "step: warmup must be a whole number" },
    { "--headless --optimizer sgd --schedule cosine:warmup=10,warmup_factor=0", "cosine: warmup_factor must be > 0 and <= 1" },
    { "--headless --optimizer sgd --schedule exponential:warmup_factor=1.5", "exponential: warmup_factor must be > 0" },
    { "--headless --optimizer sgd --schedule plateau:warmup=10", "plateau: unknown key 'warmup'" },
    { "--headless --optimizer sgd --schedule inverse_sqrt:warmup=10", "inverse_sqrt: unknown key 'warmup'" },
    { "--headless --optimizer sgd --schedule expr:", "expr: needs a formula of t, lr0, lr, loss, prev_loss, gnorm" },
    { "--headless --optimizer sgd --schedule expr:lr0*exp(-k*t)", "expr: 1:10: unknown name 'k' (valid: t, lr0, lr, loss" },
    { "--headless --optimizer sgd --schedule expr:lr*x", "expr: 1:4: unknown name 'x' (valid: t, lr0" },
    { "--headless --optimizer sgd --schedule 'expr:if(gnorm>1, lr/2)'", "expr: 1:17: if takes 3 arguments (valid:" },
    { "--headless --optimizer sgd --schedule expr:lr0/(1+t", "expr: 1:9: missing ) (valid: t, lr0, lr, loss, prev_loss, gnorm, pi, e; sin," },
    { "--headless --optimizer sgd --schedule expr:lr0*", "expr: 1:5: unexpected end of formula" },
};

/* Arguments that a command line split on spaces cannot carry: empty, huge, binary. */
static void check_odd_arguments(void)
{
    static char long_spec[6000], long_flag[300];
    memset(long_spec, 'x', sizeof long_spec - 1);
    memcpy(long_flag, "--", 2);
    memset(long_flag + 2, 'y', sizeof long_flag - 3);
    const struct {
        const char *args[6];
        const char *says;
    } odd[] = {
        { { "--headless", "--function", "", NULL }, "empty function spec (valid: quadratic" },
        { { "--headless", "--optimizer", "", NULL }, "empty optimizer spec (valid: sgd" },
        { { "--headless", "--steps", "", NULL }, "--steps: '' is not a finite number" },
        { { "--headless", "--trace", "", NULL }, "--trace needs a file name" },
        { { "--headless", "--title", "", NULL }, "--title must be 1 to 95 characters" },
        { { "--headless", "--optimizer", long_spec, NULL }, "optimizer spec too long" },
        { { "--headless", long_flag, NULL }, "unknown option '--yyyy" },
        { { "--headless", "--optimizer", "\x01\xff\xfe", NULL }, "unknown optimizer" },
        { { "--headless", "--optimizer", "sgd:lr=0.1\x7f", NULL }, "sgd: lr: '0.1\x7f' is not a finite number" },
        { { "--headless", "--optimizer", "sgd:label=a\"b", NULL }, "sgd: label may not hold" },
        { { "--headless", "--optimizer", "sgd:label=lr {rate}", NULL }, "unknown field {rate} (valid: lr, optimizer" },
        { { "--headless", "--optimizer", "adam:label={lr", NULL }, "adam: label '{lr': '{' without its '}'" },
        { { "--headless", "--optimizer", "sgd:label={gamma}", "--schedule", "cosine", NULL }, "unknown field {gamma}" },
        { { "--headless", "--title", "line\nbreak", NULL }, "--title may not hold control characters" },
        { { "--headless", "--seed", "-", NULL }, "--seed must be a whole number" },
        { { "--headless", "--steps", " 5", NULL }, "--steps: ' 5' is not a finite number" },
    };
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        ProcResult r;
        proc_run(odd[i].args, 10, &r);
        const char *nl = strchr(r.err, '\n');
        CHECK(r.status == 2 && nl && nl[1] == '\0' && strstr(r.err, odd[i].says),
              "odd argument %zu: exit %d, stderr '%.200s', wanted exit 2 and one line with '%s'", i, r.status, r.err,
              odd[i].says);
        proc_free(&r);
    }
}

/* Broken scene files: FILE:LINE: what is wrong, exit 2. */
static void check_scene_files(void)
{
    const struct {
        const char *text;
        size_t len; /* 0: strlen */
        const char *says;
    } scenes[] = {
        { "function rosenbrock\nstart 1\n", 0, ":2: --start must be X,Y" },
        { "optimizer adam:lr=nan\n", 0, ":1: adam: lr: 'nan' is not a finite number" },
        { "# fine\n\nview 0,1,0,1e-30\n", 0, ":3: --view" },
        { "optimizer sgd\nschedule step:gamma=-1\n", 0, ":2: step: gamma must be > 0" },
        { "screenshot x.png\n", 0, ":1: unknown scene key 'screenshot'" },
        { "speed -3\n", 0, ":1: --speed must be a number" },
        { "noise 1e400\n", 0, ":1: --noise: '1e400' is not a finite number" },
        { "steps 0\n", 0, ":1: --steps must be a whole number" },
        { "function\n", 0, ":1: 'function' needs a value" },
        { "function rosenbrock\x00\x01\x02binary", 25, "holds binary data" },
        { "optimizer sgd:label=lr {lr} }\n", 0, ":1: sgd: label 'lr {lr} }': a lone '}'" },
        { "optimizer sgd:label={gamma}\nschedule cosine\n", 0, ":2: sgd: label '{gamma}': unknown field {gamma}" },
    };
    if (system("mkdir -p build/test-scenes") != 0) {
        CHECK(0, "cannot create build/test-scenes");
        return;
    }
    for (size_t i = 0; i < sizeof scenes / sizeof scenes[0]; i++) {
        char path[64];
        snprintf(path, sizeof path, "build/test-scenes/bad%zu.scene", i);
        FILE *f = fopen(path, "wb");
        fwrite(scenes[i].text, 1, scenes[i].len ? scenes[i].len : strlen(scenes[i].text), f);
        fclose(f);
        const char *args[] = { "--headless", "--scene", path, NULL };
        ProcResult r;
        proc_run(args, 10, &r);
        const char *nl = strchr(r.err, '\n');
        CHECK(r.status == 2 && nl && nl[1] == '\0' && strstr(r.err, path) && strstr(r.err, scenes[i].says),
              "scene %zu: exit %d, stderr '%s', wanted exit 2 and '%s'", i, r.status, r.err, scenes[i].says);
        proc_free(&r);
    }
}

/* Broken data files: FILE:LINE: what is wrong and what is valid, exit 2. */
static void check_data_files(void)
{
    const struct {
        const char *function, *text, *says;
    } files[] = {
        { "linreg", "", ":1: empty: 0 data rows; at least 2 are needed" },
        { "linreg", "# only a comment\n\n", ":2: empty: 0 data rows" },
        { "linreg", "x,y\n1,2\n3,oops\n", ":3: '3,oops' is not two numbers (each row is FEATURE,TARGET" },
        { "linreg", "1,2\n3\n", ":2: not two comma-separated columns" },
        { "linreg", "1,2\n3,4,5\n", ":2: not two comma-separated columns" },
        { "linreg", "1,2\n3,nan\n", ":2: non-finite value in '3,nan'" },
        { "linreg", "1,2\n1e999,1\n", ":2: non-finite value" },
        { "linreg", "hours,score\n1,2\n", ":2: too few: 1 data rows; at least 2" },
        { "logreg", "x,label\n1,0\n2,1\n3,2\n", ":4: logreg needs labels 0 or 1 as targets, got 2" },
    };
    if (system("mkdir -p build/test-data") != 0) {
        CHECK(0, "cannot create build/test-data");
        return;
    }
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[64], spec[96];
        snprintf(path, sizeof path, "build/test-data/bad%zu.csv", i);
        FILE *f = fopen(path, "wb");
        fputs(files[i].text, f);
        fclose(f);
        snprintf(spec, sizeof spec, "%s:data=%s", files[i].function, path);
        const char *args[] = { "--headless", "--function", spec, NULL };
        ProcResult r;
        proc_run(args, 10, &r);
        const char *nl = strchr(r.err, '\n');
        CHECK(r.status == 2 && nl && nl[1] == '\0' && strstr(r.err, path) && strstr(r.err, files[i].says),
              "data file %zu: exit %d, stderr '%s', wanted exit 2 and '%s'", i, r.status, r.err, files[i].says);
        proc_free(&r);
    }
}

/* Decks: more than 32 scenes refused the same way for a folder and a deck file, naming the
 * deck; a deck listing a deck, a folder or an empty folder refused, saying what it may list. */
static void check_decks(void)
{
    if (system("rm -rf build/test-decks && mkdir -p build/test-decks/big build/test-decks/empty && "
               "for i in $(seq -w 1 33); do echo 'function booth' >build/test-decks/big/s$i.scene; done && "
               "echo 'function booth' >build/test-decks/one.scene && "
               "{ echo '# optiscope deck'; for i in $(seq -w 1 33); do echo big/s$i.scene; done; } "
               ">build/test-decks/big.deck && "
               "printf '# optiscope deck\\none.scene\\nbig.deck\\n' >build/test-decks/nested.deck && "
               "printf '# optiscope deck\\none.scene\\nbig\\n' >build/test-decks/folder.deck && "
               "printf '# optiscope deck\\nempty\\n' >build/test-decks/empty.deck") != 0) {
        CHECK(0, "cannot set up build/test-decks");
        return;
    }
    const struct {
        const char *args, *says;
    } cases[] = {
        { "--headless --steps 2 --scene build/test-decks/big",
          "deck 'build/test-decks/big' lists more than 32 scenes: split it into decks of at most 32" },
        { "--headless --steps 2 --scene build/test-decks/big.deck",
          "deck 'build/test-decks/big.deck' lists more than 32 scenes: split it into decks of at most 32" },
        { "--headless --steps 2 --scene build/test-decks/nested.deck",
          "deck 'build/test-decks/nested.deck' lists 'build/test-decks/big.deck', a deck or a folder: a deck lists "
          "scene files only" },
        { "--headless --steps 2 --scene build/test-decks/folder.deck", "lists 'build/test-decks/big', a deck or a folder" },
        { "--headless --steps 2 --scene build/test-decks/empty.deck", "lists 'build/test-decks/empty', a deck or a folder" },
        { "--headless --steps 2 --scene build/test-decks/empty", "deck 'build/test-decks/empty' lists no scene" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ProcResult r;
        proc_run_line(cases[i].args, 10, &r);
        const char *nl = strchr(r.err, '\n');
        CHECK(r.status == 2 && nl && nl[1] == '\0' && strstr(r.err, cases[i].says) && r.out_len == 0,
              "`%s`: exit %d, stderr '%s', wanted exit 2 and one line with '%s'", cases[i].args, r.status, r.err,
              cases[i].says);
        proc_free(&r);
    }
}

static void check_malformed(void)
{
    int n = (int)(sizeof malformed / sizeof malformed[0]);
    CHECK(n >= 60, "only %d malformed cases", n);
    for (int i = 0; i < n; i++) {
        ProcResult r;
        proc_run_line(malformed[i].args, 10, &r);
        const char *nl = strchr(r.err, '\n');
        int one_line = nl && nl[1] == '\0';
        CHECK(r.status == 2 && one_line && strstr(r.err, malformed[i].says) && r.out_len == 0,
              "`%s`: exit %d, stderr '%s', wanted exit 2 and one line with '%s'", malformed[i].args, r.status, r.err,
              malformed[i].says);
        proc_free(&r);
    }
}

static int count_rows(const char *csv, const char *label)
{
    int n = 0;
    size_t len = strlen(label);
    for (const char *p = csv; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        n += strncmp(p, label, len) == 0 && p[len] == ',';
    return n;
}

/* sgd at lr=1 on rosenbrock explodes within a few steps; adam beside it carries on. */
static void check_divergence(void)
{
    ProcResult r;
    proc_run_line("--headless --function rosenbrock --steps 200 --optimizer sgd:lr=1 --optimizer adam:lr=0.01 "
                  "--trace -",
                  10, &r);
    CHECK(r.status == 0, "diverging run: exit %d (%s)", r.status, r.err);
    CHECK(strstr(r.err, "sgd diverged at step ") != NULL, "no divergence message: '%s'", r.err);
    long at = 0;
    const char *m = strstr(r.err, "diverged at step ");
    if (m)
        at = strtol(m + strlen("diverged at step "), NULL, 10);
    int sgd_rows = count_rows(r.out, "sgd"), adam_rows = count_rows(r.out, "adam");
    CHECK(at >= 1 && sgd_rows == at, "sgd rows end at the step before divergence: %d rows, diverged at %ld",
          sgd_rows, at);
    CHECK(adam_rows == 201, "adam keeps going: %d rows", adam_rows);
    CHECK(strstr(r.out, "nan") == NULL && strstr(r.out, "inf") == NULL, "trace holds a non-finite value");
    proc_free(&r);
}

/* A typed schedule whose lr turns negative stops its run at that update, named, as a
 * divergence is; the run beside it goes on. */
static void check_schedule_stop(void)
{
    ProcResult r;
    proc_run_line("--headless --function quadratic --steps 20 --optimizer sgd:lr=0.1 --schedule 'expr:lr0*(1 - t/8)' "
                  "--optimizer adam --dump-state -",
                  10, &r);
    const char *adam = strstr(r.out, "{\"label\": \"adam\"");
    CHECK(r.status == 0 && strstr(r.err, "sgd stopped at step 10: the schedule gave lr -0.0125\n") != NULL,
          "a negative lr stops the run at its update: exit %d, '%s'", r.status, r.err);
    CHECK(adam && strstr(r.out, "\"schedule\": \"expr:lr0*(1 - t/8)\", \"step\": 9,") < adam &&
              strstr(r.out, "\"stopped\": \"the schedule gave lr -0.0125\", \"diverged\": true") < adam &&
              strstr(r.out, "\"diverged_at\": 10") < adam,
          "the dump has the sgd run stopped at step 9, update 10 named");
    CHECK(adam && strstr(adam, "\"step\": 20,") && strstr(adam, "\"stopped\": \"\", \"diverged\": false"),
          "adam goes on to step 20");
    proc_free(&r);
}

static void check_help_and_list(void)
{
    ProcResult r;
    proc_run_line("--help", 10, &r);
    CHECK(r.status == 0 && strstr(r.out, "--optimizer SPEC") && strstr(r.out, "--schedule SPEC"),
          "--help: exit %d", r.status);
    proc_free(&r);
    proc_run_line("--list", 10, &r);
    CHECK(r.status == 0 && strstr(r.out, "goldstein_price") && strstr(r.out, "momentum_decay=0.004") &&
              strstr(r.out, "bold_driver"),
          "--list: exit %d", r.status);
    proc_free(&r);
}

/* With no run given, the default scene's four runs step side by side. */
static void check_default_scene(void)
{
    ProcResult r;
    proc_run_line("--headless --steps 10 --trace -", 10, &r);
    CHECK(r.status == 0, "default scene: exit %d", r.status);
    CHECK(strncmp(r.out, "run,step,x,y,loss,lr\n", 21) == 0, "trace header: %.40s", r.out);
    CHECK(count_rows(r.out, "sgd") == 11 && count_rows(r.out, "momentum") == 11 && count_rows(r.out, "rmsprop") == 11 &&
              count_rows(r.out, "adam") == 11,
          "default scene rows");
    CHECK(strstr(r.out, "sgd,0,-1.5,2,12.5,") != NULL, "default start is rosenbrock's (-1.5, 2)");
    proc_free(&r);
}

static void check_labels(void)
{
    ProcResult r;
    proc_run_line("--headless --steps 1 --optimizer sgd --optimizer sgd --optimizer sgd:label=mine --trace -", 10, &r);
    CHECK(r.status == 0 && count_rows(r.out, "sgd") == 2 && count_rows(r.out, "sgd-2") == 2 &&
              count_rows(r.out, "mine") == 2,
          "labels: sgd, sgd-2, mine");
    proc_free(&r);
}

/* The same seed gives the same noisy trace; another seed a different one. */
static void check_determinism(void)
{
    const char *base = "--headless --steps 100 --noise 0.5 --optimizer sgd:lr=0.001 --optimizer adam:lr=0.02 "
                       "--trace - --seed ";
    char line[256];
    ProcResult a, b, c;
    snprintf(line, sizeof line, "%s7", base);
    proc_run_line(line, 10, &a);
    proc_run_line(line, 10, &b);
    snprintf(line, sizeof line, "%s8", base);
    proc_run_line(line, 10, &c);
    CHECK(a.status == 0 && a.out_len > 1000 && strcmp(a.out, b.out) == 0, "same seed, same trace");
    CHECK(strcmp(a.out, c.out) != 0, "another seed, another trace");
    proc_free(&a);
    proc_free(&b);
    proc_free(&c);
}

/* No font through fontconfig: a clear message; a trace, which needs no text, still works. */
static void check_missing_font(void)
{
    FILE *f = fopen("build/empty-fonts.conf", "w");
    fputs("<?xml version=\"1.0\"?>\n<fontconfig></fontconfig>\n", f);
    fclose(f);
    char path[1024], cwd[900];
    snprintf(path, sizeof path, "%s/build/empty-fonts.conf", getcwd(cwd, sizeof cwd) ? cwd : ".");
    setenv("FONTCONFIG_FILE", path, 1);
    ProcResult r;
    proc_run_line("--headless --steps 5 --screenshot build/nofont.png", 20, &r);
    CHECK(r.status == 1 && strstr(r.err, "no sans font found through fontconfig") && strstr(r.err, "fonts-dejavu"),
          "missing font: exit %d, '%s'", r.status, r.err);
    proc_free(&r);
    proc_run_line("--headless --steps 5 --trace -", 20, &r);
    CHECK(r.status == 0 && r.out_len > 100, "a trace needs no font: exit %d", r.status);
    proc_free(&r);
    unsetenv("FONTCONFIG_FILE");
}

/* A bad OPTISCOPE_PRESENT is bad input like any other, found before any window opens. */
static void check_bad_present(void)
{
    setenv("OPTISCOPE_PRESENT", "gpu", 1);
    ProcResult r;
    proc_run_line("--speed 5", 20, &r);
    const char *nl = strchr(r.err, '\n');
    CHECK(r.status == 2 && strstr(r.err, "OPTISCOPE_PRESENT is 'gpu'; valid: auto, texture, surface") && nl &&
              nl[1] == '\0',
          "bad OPTISCOPE_PRESENT: exit %d, '%s'", r.status, r.err);
    proc_free(&r);
    unsetenv("OPTISCOPE_PRESENT");
}

/* Defined below, after the cases they join. */
static void check_full_disk(void);
static void check_output_files(void);
static void check_same_file_outputs(void);
static void check_text_and_modes(void);
static void check_interrupted(void);

void test_cli(void)
{
    check_bad_present();
    check_missing_font();
    check_malformed();
    check_odd_arguments();
    check_scene_files();
    check_data_files();
    check_decks();
    check_divergence();
    check_schedule_stop();
    check_help_and_list();
    check_default_scene();
    check_labels();
    check_determinism();
    check_full_disk();
    check_output_files();
    check_same_file_outputs();
    check_text_and_modes();
    check_interrupted();
}

/* Runs `proc_binary ARGS` through the shell (for redirections); the exit status, and the
 * standard error in err when given. */
static int shell_status(const char *args, char *err, size_t errlen)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s %s 2>build/test-cli-shell.err", proc_binary, args);
    const int rc = system(cmd);
    if (err) {
        err[0] = '\0';
        FILE *f = fopen("build/test-cli-shell.err", "r");
        if (f) {
            size_t n = fread(err, 1, errlen - 1, f);
            err[n] = '\0';
            fclose(f);
        }
    }
    return rc == -1 || !WIFEXITED(rc) ? -1 : WEXITSTATUS(rc);
}

static int one_line(const char *s)
{
    const char *nl = strchr(s, '\n');
    return nl && nl[1] == '\0';
}

/* Every output reports a failed write with exit 1 and one line, as soon as it happens. */
static void check_full_disk(void)
{
    char err[512];
    const char *to_stdout[] = { "--list", "--help", "--headless --steps 3 --trace -", "--headless --dump-state -",
                                "--headless --size 160x160 --bench 2" };
    for (size_t i = 0; i < sizeof to_stdout / sizeof to_stdout[0]; i++) {
        char args[256];
        snprintf(args, sizeof args, "%s >/dev/full", to_stdout[i]);
        const int rc = shell_status(args, err, sizeof err);
        CHECK(rc == 1 && one_line(err) && strstr(err, strerror(ENOSPC)), "`%s`: exit %d, '%s'", args, rc, err);
    }
    ProcResult r;
    proc_run_line("--headless --steps 100000000 --optimizer adam --trace /dev/full", 10, &r);
    CHECK(r.status == 1 && !r.timed_out && strstr(r.err, "cannot write trace '/dev/full'") && one_line(r.err),
          "a trace to a full disk fails at once: exit %d, '%s'", r.status, r.err);
    proc_free(&r);
    /* A file size limit stands in for a full disk: the write fails (no signal kills it). */
    const char *limited[] = { "--screenshot build/test-cli-big.png", "--trace build/test-cli-big.csv",
                              "--dump-state build/test-cli-big.json --optimizer sgd:label=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa "
                              "--optimizer adam --optimizer rmsprop --optimizer nadam" };
    for (size_t i = 0; i < sizeof limited / sizeof limited[0]; i++) {
        char cmd[1024];
        snprintf(cmd, sizeof cmd, "sh -c 'ulimit -f 1; exec %s --headless --steps 200 --size 400x300 %s' 2>build/test-cli-shell.err",
                 proc_binary, limited[i]);
        const int rc = system(cmd);
        FILE *f = fopen("build/test-cli-shell.err", "r");
        size_t n = f ? fread(err, 1, sizeof err - 1, f) : 0;
        err[n] = '\0';
        if (f)
            fclose(f);
        CHECK(rc != -1 && WIFEXITED(rc) && WEXITSTATUS(rc) == 1 && one_line(err) && strstr(err, strerror(EFBIG)),
              "`%s` over a file size limit: status %d, '%s'", limited[i], rc, err);
    }
    CHECK(system("ls -A build | grep -q '^\\.test-cli-big'") != 0, "a failed write leaves no temporary file");
    proc_run_line("--headless --steps 5 --dump-state /dev/full", 10, &r);
    CHECK(r.status == 1 && strstr(r.err, "cannot write state '/dev/full'") && one_line(r.err),
          "a state dump to a full disk: exit %d, '%s'", r.status, r.err);
    proc_free(&r);
}

/* Screenshots neither use a fixed temporary name nor replace a link with a file. */
static void check_output_files(void)
{
    if (system("rm -rf build/test-cli-out && mkdir -p build/test-cli-out/real && "
               "echo mine >build/test-cli-out/pic.png.tmp && "
               "ln -s real/pic.png build/test-cli-out/link.png && ln -s real/t.csv build/test-cli-out/t.csv") != 0) {
        CHECK(0, "cannot set up build/test-cli-out");
        return;
    }
    ProcResult r;
    proc_run_line("--headless --steps 5 --size 200x160 --screenshot build/test-cli-out/pic.png", 20, &r);
    struct stat st;
    CHECK(r.status == 0 && stat("build/test-cli-out/pic.png.tmp", &st) == 0 && st.st_size == 5,
          "an unrelated pic.png.tmp survives a screenshot: exit %d, %s", r.status, r.err);
    proc_free(&r);
    proc_run_line("--headless --steps 5 --size 200x160 --screenshot build/test-cli-out/link.png "
                  "--trace build/test-cli-out/t.csv --dump-state build/test-cli-out/real/s.json",
                  20, &r);
    CHECK(r.status == 0 && lstat("build/test-cli-out/link.png", &st) == 0 && S_ISLNK(st.st_mode) &&
              stat("build/test-cli-out/real/pic.png", &st) == 0 && st.st_size > 100 &&
              lstat("build/test-cli-out/t.csv", &st) == 0 && S_ISLNK(st.st_mode) &&
              stat("build/test-cli-out/real/t.csv", &st) == 0 && st.st_size > 100,
          "screenshot and trace are written through their links alike: exit %d, %s", r.status, r.err);
    proc_free(&r);
    CHECK(system("ls -A build/test-cli-out build/test-cli-out/real | grep -q '^\\.'") != 0,
          "no temporary file is left behind");
    /* A link into a folder that does not exist is bad input, found before the steps. */
    CHECK(symlink("/nonexistent-dir/x.png", "build/test-cli-out/dangling.png") == 0, "symlink");
    proc_run_line("--headless --steps 5 --size 200x160 --screenshot build/test-cli-out/dangling.png", 20, &r);
    CHECK(r.status == 2 && one_line(r.err) && strstr(r.err, "folder '/nonexistent-dir' does not exist"),
          "a dangling link's folder is checked first: exit %d, '%s'", r.status, r.err);
    proc_free(&r);
}

/* Two outputs, or an output and an input, naming one file: refused before anything runs. */
static void check_same_file_outputs(void)
{
    if (system("mkdir -p build/test-cli-same && printf 'function booth\\n' >build/test-cli-same/mine.scene && "
               "printf 'function himmelblau\\n' >build/test-cli-same/two.scene && "
               "printf '# optiscope deck\\nmine.scene\\ntwo.scene\\n' >build/test-cli-same/my.deck && "
               "rm -f build/test-cli-same/link.csv build/test-cli-same/o.mp4 build/test-cli-same/o.gif && ln -s t.csv build/test-cli-same/link.csv") != 0) {
        CHECK(0, "cannot set up build/test-cli-same");
        return;
    }
    const char *cases[] = {
        "--headless --steps 2 --trace build/test-cli-same/same.png --screenshot build/test-cli-same/same.png",
        "--headless --steps 2 --trace build/test-cli-same/t.csv --dump-state build/test-cli-same/t.csv",
        "--headless --steps 2 --trace build/test-cli-same/t.csv --dump-state build/test-cli-same/link.csv",
        "--headless --steps 2 --scene build/test-cli-same/mine.scene --dump-state build/test-cli-same/mine.scene",
        "--headless --steps 2 --dump-state build/test-cli-same/mine.scene --scene build/test-cli-same/mine.scene",
        "--headless --steps 2 --trace - --dump-state -",
        "--scene build/test-cli-same/mine.scene --dump-state ./build/test-cli-same/../test-cli-same/mine.scene",
        /* Every input and output: the recording, each scene of a deck, the deck file. */
        "--headless --steps 2 --record build/test-cli-same/o.mp4 --trace build/test-cli-same/o.mp4",
        "--headless --steps 2 --dump-state build/test-cli-same/o.gif --record build/test-cli-same/o.gif",
        "--headless --steps 2 --scene build/test-cli-same/mine.scene build/test-cli-same/two.scene "
        "--dump-state build/test-cli-same/two.scene",
        "--headless --steps 2 --scene build/test-cli-same/my.deck --dump-state build/test-cli-same/my.deck",
        "--headless --steps 2 --scene build/test-cli-same/my.deck --trace build/test-cli-same/two.scene",
        "--headless --steps 2 --scene=build/test-cli-same/my.deck --trace build/test-cli-same/my.deck",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ProcResult r;
        proc_run_line(cases[i], 10, &r);
        CHECK(r.status == 2 && one_line(r.err) && strstr(r.err, "same file"), "`%s`: exit %d, '%s'", cases[i], r.status,
              r.err);
        proc_free(&r);
    }
    /* The preferences file is an input too (unit.c gives it a private folder). */
    const char *home = getenv("XDG_CONFIG_HOME");
    char line[1200];
    snprintf(line, sizeof line, "--headless --steps 2 --dump-state %s/optiscope/config", home ? home : "/nonexistent");
    ProcResult r;
    proc_run_line(line, 10, &r);
    CHECK(r.status == 2 && one_line(r.err) && strstr(r.err, "the preferences file and --dump-state name the same file"),
          "`%s`: exit %d, '%s'", line, r.status, r.err);
    proc_free(&r);
    const char *kept[][2] = { { "build/test-cli-same/mine.scene", "function booth\n" },
                              { "build/test-cli-same/two.scene", "function himmelblau\n" },
                              { "build/test-cli-same/my.deck", "# optiscope deck\n" } };
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
        FILE *f = fopen(kept[i][0], "r");
        CHECK(f && fgets(line, sizeof line, f) && strcmp(line, kept[i][1]) == 0, "%s is untouched", kept[i][0]);
        if (f)
            fclose(f);
    }
    CHECK(access("build/test-cli-same/o.mp4", F_OK) != 0 && access("build/test-cli-same/o.gif", F_OK) != 0,
          "no recording was made");
}

/* Text that is not UTF-8 is refused where it is read; --steps means nothing in a window. */
static void check_text_and_modes(void)
{
    const struct {
        const char *args[6];
        const char *says;
    } cases[] = {
        { { "--headless", "--optimizer", "sgd:label=\xff", "--dump-state", "-", NULL }, "sgd: label is not valid UTF-8" },
        { { "--headless", "--title", "caf\xc3", NULL }, "--title is not valid UTF-8" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ProcResult r;
        proc_run(cases[i].args, 10, &r);
        CHECK(r.status == 2 && one_line(r.err) && strstr(r.err, cases[i].says) && r.out_len == 0,
              "case %zu: exit %d, '%s', wanted '%s'", i, r.status, r.err, cases[i].says);
        proc_free(&r);
    }
}

/* Interrupted (Ctrl+C, a kill) in the middle of a long trace: the old file is still there,
 * whole, and no temporary file is left. */
static void check_interrupted(void)
{
    if (system("rm -rf build/test-cli-sig && mkdir -p build/test-cli-sig && echo keep >build/test-cli-sig/t.csv") != 0) {
        CHECK(0, "cannot set up build/test-cli-sig");
        return;
    }
    /* Not SIGINT: a shell starts background jobs with it ignored, and so do we. A file
     * size limit keeps a run the signal missed from filling the disk. */
    const char *signals[] = { "TERM", "HUP" };
    for (int i = 0; i < 2; i++) {
        char cmd[1024];
        snprintf(cmd, sizeof cmd,
                 "ulimit -f 100000; %s --headless --steps 100000000 --optimizer adam --trace build/test-cli-sig/t.csv "
                 "2>/dev/null & sleep 0.5; kill -%s $!; wait $!",
                 proc_binary, signals[i]);
        const int rc = system(cmd);
        FILE *f = fopen("build/test-cli-sig/t.csv", "r");
        char line[16] = "";
        CHECK(f && fgets(line, sizeof line, f) && strcmp(line, "keep\n") == 0, "SIG%s: the old file is kept",
              signals[i]);
        if (f)
            fclose(f);
        CHECK(rc != -1 && system("ls -A build/test-cli-sig | grep -q '^\\.'") != 0,
              "SIG%s: no temporary file is left", signals[i]);
    }
}
