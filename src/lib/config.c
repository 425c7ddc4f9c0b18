/* config.c - the defaults of training and their validation (train.h). */
#include "train.h"

#include <string.h>

/* The most threads a run may have (the range of -threads). */
enum { MAX_THREADS = 1024 };

void train_config_defaults(train_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->dim = 100;
    cfg->window = 5;
    cfg->negative = 5;
    int cpus = w2v_allotted_cpus();
    cfg->threads = cpus < MAX_THREADS ? cpus : MAX_THREADS;
    cfg->iter = 5;
    cfg->min_count = 5;
    cfg->max_vocab = 21000000;
    cfg->max_final_vocab = 0;
    cfg->seed = 1;
    cfg->sample = 1e-3;
    cfg->alpha = 0.0; /* TRAIN_ALPHA or TRAIN_ALPHA_CBOW */
    cfg->min_alpha_ratio = 1e-4;
    cfg->loss = LOSS_NS;
    cfg->softmax_centers = 8;
    cfg->batch = 1;
    cfg->combine = 8;
    cfg->combine_block = TRAIN_COMBINE_BLOCK;
    cfg->corpus_cache = CORPUS_CACHE_AUTO;
}

const char *corpus_cache_mode_name(corpus_cache_mode mode)
{
    switch (mode) {
    case CORPUS_CACHE_ON:
        return "on";
    case CORPUS_CACHE_OFF:
        return "off";
    case CORPUS_CACHE_AUTO:
        break;
    }
    return "auto";
}

/* Fails unless lo <= x <= hi, naming the parameter by its flag. */
static int in_range(const char *flag, double x, double lo, double hi,
                    w2v_err *err)
{
    if (x >= lo && x <= hi)
        return 0;
    return w2v_fail(err, "%s %g is out of range [%g, %g]", flag, x, lo, hi);
}

/* The loss the original's flags mean when none is given: -negative k > 0
 * is ns, -hs 1 is hs, and both (-hs 1 with the default -negative 5, as in
 * many of the original's scripts) train both objectives at once. */
static int resolve_loss(train_config *cfg, w2v_err *err)
{
    if (cfg->loss_given) {
        if ((cfg->loss == LOSS_NS || cfg->loss == LOSS_HS_NS) &&
            cfg->negative == 0)
            return w2v_fail(err, "-loss %s needs -negative of at least 1",
                            loss_name(cfg->loss));
        if (cfg->hs && cfg->loss != LOSS_HS && cfg->loss != LOSS_HS_NS)
            return w2v_fail(err, "-hs 1 contradicts -loss %s",
                            loss_name(cfg->loss));
        return 0;
    }
    if (cfg->hs) {
        cfg->loss = cfg->negative > 0 ? LOSS_HS_NS : LOSS_HS;
        return 0;
    }
    if (cfg->negative == 0)
        return w2v_fail(err, "-negative 0 without -hs 1 leaves no objective: "
                             "use -loss ns|softmax|hs");
    cfg->loss = LOSS_NS;
    return 0;
}

int train_config_combines(const train_config *cfg)
{
    return !cfg->cbow && cfg->loss == LOSS_NS && cfg->batch &&
           cfg->combine > 1;
}

int train_config_check(train_config *cfg, w2v_err *err)
{
    if (in_range("-size", (double)cfg->dim, 1, 100000, err) ||
        in_range("-window", (double)cfg->window, 1, 1000, err) ||
        in_range("-negative", (double)cfg->negative, 0, 1000, err) ||
        in_range("-threads", (double)cfg->threads, 1, MAX_THREADS, err) ||
        in_range("-iter", (double)cfg->iter, 1, 1e6, err) ||
        in_range("-min-count", (double)cfg->min_count, 0, 1e18, err) ||
        in_range("-max-vocab", (double)cfg->max_vocab, 0, 2e9, err) ||
        in_range("-max-final-vocab", (double)cfg->max_final_vocab, 0, 2e9,
                 err) ||
        in_range("-seed", (double)cfg->seed, 0, 9.3e18, err) ||
        in_range("-sample", cfg->sample, 0, 1, err) ||
        in_range("-alpha", cfg->alpha, 0, 1e6, err) ||
        in_range("-min-alpha-ratio", cfg->min_alpha_ratio, 0, 1, err) ||
        in_range("-softmax-centers", (double)cfg->softmax_centers, 1, 64,
                 err) ||
        in_range("-batch", (double)cfg->batch, 0, 1, err) ||
        in_range("-combine", (double)cfg->combine, 1, 64, err) ||
        in_range("-combine-block", (double)cfg->combine_block,
                 TRAIN_COMBINE_BLOCK_MIN, TRAIN_COMBINE_BLOCK_MAX, err) ||
        in_range("-hs", cfg->hs, 0, 1, err) ||
        in_range("-cbow", cfg->cbow, 0, 1, err))
        return -1;
    if (cfg->corpus_cache != CORPUS_CACHE_AUTO &&
        cfg->corpus_cache != CORPUS_CACHE_ON &&
        cfg->corpus_cache != CORPUS_CACHE_OFF)
        return w2v_fail(err, "-corpus-cache: mode %d is not auto, on or off",
                        (int)cfg->corpus_cache);
    if (cfg->corpus_cache_budget < 0)
        return w2v_fail(err, "corpus cache budget: %lld bytes is negative",
                        (long long)cfg->corpus_cache_budget);
    if (resolve_loss(cfg, err))
        return -1;
    if (cfg->keep_context && cfg->loss == LOSS_HS)
        return w2v_fail(err, "-save-context: -loss hs has no context vectors "
                             "(its output rows are the Huffman tree's inner "
                             "nodes)");
    if (cfg->alpha == 0.0)
        cfg->alpha = cfg->cbow ? TRAIN_ALPHA_CBOW : TRAIN_ALPHA;
    return 0;
}
