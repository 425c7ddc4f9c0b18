/* test_objective.c - the objectives' steps against double-precision
 * references: central finite differences of the loss (ns, softmax, hs, for
 * skip-gram and through the CBOW mean), the batched softmax against the sum
 * of naive per-pair gradients, the Huffman tree (prefix-free, optimal,
 * a proper distribution), and the held-out log-likelihood of loglik.h. */
#include "harness.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "huffman.h"
#include "loglik.h"
#include "train.h"

enum { V = 7, D = 5, MAX_T = 12 };

/* A loss problem: which objective, its targets (ns: rows[0] is the target,
 * the rest noise), over V output rows of D floats. */
typedef struct problem {
    loss_kind kind;
    int32_t targets[MAX_T];
    int m;
    const huffman_tree *tree;
} problem;

static double neg_log_sig(double x)
{
    return x > 0 ? log1p(exp(-x)) : -x + log1p(exp(x));
}

static double dotd(const double *a, const double *b)
{
    double s = 0.0;
    for (int i = 0; i < D; i++)
        s += a[i] * b[i];
    return s;
}

/* The loss of theory.md in double for input vector v and rows U[V][D]. */
static double loss_of(const problem *p, const double *v, const double *U)
{
    double loss = 0.0;
    if (p->kind == LOSS_NS) {
        for (int t = 0; t < p->m; t++) {
            double s = dotd(U + p->targets[t] * D, v);
            loss += neg_log_sig(t == 0 ? s : -s);
        }
    } else if (p->kind == LOSS_SOFTMAX) {
        double s[V], top = -INFINITY, z = 0.0;
        for (int j = 0; j < V; j++) {
            s[j] = dotd(U + j * D, v);
            top = s[j] > top ? s[j] : top;
        }
        for (int j = 0; j < V; j++)
            z += exp(s[j] - top);
        for (int t = 0; t < p->m; t++)
            loss += top + log(z) - s[p->targets[t]];
    } else {
        const huffman_tree *h = p->tree;
        for (int t = 0; t < p->m; t++)
            for (int64_t i = h->start[p->targets[t]];
                 i < h->start[p->targets[t] + 1]; i++) {
                double s = dotd(U + h->points[i] * D, v);
                loss += neg_log_sig(h->codes[i] ? -s : s);
            }
    }
    return loss;
}

/* A model with V words of dimension D whose emb_out holds U; only what the
 * objectives read is set. */
typedef struct fixture {
    model m;
    objective obj;
    objective_ctx ctx;
    float grad[D];
} fixture;

static void fixture_init(fixture *f, const kernel *k, const double *U,
                         const huffman_tree *tree)
{
    w2v_err err;
    memset(f, 0, sizeof *f);
    f->m.vocab.size = V;
    f->m.dim = D;
    f->m.stride = w2v_row_stride(D);
    f->m.emb_out = w2v_alloc_aligned(sizeof(float) * V * f->m.stride, &err);
    f->ctx.scores = w2v_alloc_aligned(sizeof(float) * V, &err);
    REQUIRE(f->m.emb_out && f->ctx.scores);
    memset(f->m.emb_out, 0, sizeof(float) * V * f->m.stride);
    for (int j = 0; j < V; j++)
        for (int i = 0; i < D; i++)
            f->m.emb_out[j * f->m.stride + i] = (float)U[j * D + i];
    if (tree)
        f->obj.tree = *tree;
    f->ctx.m = &f->m;
    f->ctx.obj = &f->obj;
    f->ctx.k = k;
}

static void fixture_free(fixture *f)
{
    free(f->m.emb_out);
    free(f->ctx.scores);
}

/* Runs the step on `in`; returns its loss. */
static double step(fixture *f, const problem *p, const float *in, float lr)
{
    memset(f->grad, 0, sizeof f->grad);
    if (p->kind == LOSS_NS) {
        float *rows[MAX_T];
        for (int t = 0; t < p->m; t++)
            rows[t] = f->m.emb_out + p->targets[t] * f->m.stride;
        return f->ctx.k->ns_step(in, rows, p->m, D, lr, f->grad);
    }
    if (p->kind == LOSS_SOFTMAX)
        return objective_softmax(&f->ctx, in, p->targets, p->m, lr, f->grad);
    return objective_hs(&f->ctx, in, p->targets, p->m, lr, f->grad);
}

/* Random values in [-scale, scale) that are exact floats, so the float step
 * and the double reference see the same parameters. */
static void fill(rng *r, double *x, int n, double scale)
{
    for (int i = 0; i < n; i++)
        x[i] = (float)(scale * (2.0 * rng_uniform(r) - 1.0));
}

static int close_enough(double got, double want, double tol)
{
    return fabs(got - want) <= tol * (1.0 + fabs(want));
}

/* -dL/dx[i] by central differences. */
static double neg_slope(const problem *p, double *v, double *U, double *x)
{
    const double h = 1e-6;
    double keep = *x;
    *x = keep + h;
    double up = loss_of(p, v, U);
    *x = keep - h;
    double down = loss_of(p, v, U);
    *x = keep;
    return -(up - down) / (2 * h);
}

/* Checks one step of kind p against finite differences.  contexts = 0:
 * skip-gram, `in` is v itself.  contexts = n > 0: CBOW, `in` is the mean of
 * n context rows C[n][D] and the gradient with respect to each context row
 * is d/dC_c = (1/n) d/d(mean): the step's grad must equal n times the
 * descent step of one context row (train_cbow adds grad to every context
 * row, as the original does). */
static void check_step(const kernel *k, const problem *p, int contexts,
                       uint64_t seed)
{
    rng r;
    rng_seed(&r, seed, 7);
    double U[V * D], C[4 * D], v[D];
    int n = contexts ? contexts : 1;
    fill(&r, U, V * D, 0.8);
    fill(&r, C, n * D, 0.8);
    float in[D];
    for (int i = 0; i < D; i++) {
        double mean = 0.0;
        for (int c = 0; c < n; c++)
            mean += C[c * D + i];
        in[i] = (float)(mean / n);
        v[i] = in[i];
    }
    fixture f;
    fixture_init(&f, k, U, p->tree);
    const float lr = 0.5f;
    double loss = step(&f, p, in, lr);
    CHECK_MSG(close_enough(loss, loss_of(p, v, U), 1e-5),
              "%s loss %.9g vs %.9g", k->name, loss, loss_of(p, v, U));
    for (int i = 0; i < D; i++) {
        double want;
        if (contexts) {
            /* the loss as a function of context row 0 through the mean */
            double mean_of[D];
            double keep = C[i], h = 1e-6, lp[2];
            for (int side = 0; side < 2; side++) {
                C[i] = keep + (side ? -h : h);
                for (int j = 0; j < D; j++) {
                    double s = 0.0;
                    for (int c = 0; c < n; c++)
                        s += C[c * D + j];
                    mean_of[j] = s / n;
                }
                lp[side] = loss_of(p, mean_of, U);
            }
            C[i] = keep;
            want = -(lp[0] - lp[1]) / (2 * h) * n;
        } else {
            want = neg_slope(p, v, U, &v[i]);
        }
        CHECK_MSG(close_enough(f.grad[i] / lr, want, 1e-4),
                  "%s kind %d grad[%d] = %.9g, -dL/dv = %.9g", k->name,
                  (int)p->kind, i, f.grad[i] / lr, want);
    }
    for (int j = 0; j < V; j++)
        for (int i = 0; i < D; i++) {
            double moved =
                (f.m.emb_out[j * f.m.stride + i] - U[j * D + i]) / lr;
            double want = neg_slope(p, v, U, &U[j * D + i]);
            CHECK_MSG(close_enough(moved, want, 1e-4),
                      "%s kind %d row %d [%d] moved %.9g, -dL/du = %.9g",
                      k->name, (int)p->kind, j, i, moved, want);
        }
    fixture_free(&f);
}

/* Every kernel body this CPU runs. */
static const kernel *const *bodies(int *n)
{
    static const kernel *run[8];
    int all_n;
    const kernel *const *all = kernel_all(&all_n);
    *n = 0;
    for (int i = 0; i < all_n && *n < 8; i++)
        if (kernel_runs_with(all[i], kernel_cpu_features()))
            run[(*n)++] = all[i];
    return run;
}

static const int64_t tree_counts[V] = {40, 21, 13, 9, 6, 3, 1};

TEST(objective_ns_step_matches_finite_differences)
{
    int nk;
    const kernel *const *ks = bodies(&nk);
    problem p = {.kind = LOSS_NS, .targets = {2, 4, 0, 6, 1}, .m = 5};
    for (int i = 0; i < nk; i++) {
        check_step(ks[i], &p, 0, 11);
        check_step(ks[i], &p, 3, 12); /* CBOW */
    }
}

TEST(objective_softmax_step_matches_finite_differences)
{
    int nk;
    const kernel *const *ks = bodies(&nk);
    problem one = {.kind = LOSS_SOFTMAX, .targets = {3}, .m = 1};
    /* a whole window with a repeated context: one normalizer for all */
    problem window = {.kind = LOSS_SOFTMAX,
                      .targets = {2, 5, 2, 0, 6, 2, 1, 1, 4, 3}, .m = 10};
    for (int i = 0; i < nk; i++) {
        check_step(ks[i], &one, 0, 21);
        check_step(ks[i], &window, 0, 22);
        check_step(ks[i], &one, 4, 23); /* CBOW */
    }
}

TEST(objective_hs_step_matches_finite_differences)
{
    w2v_err err;
    huffman_tree tree;
    REQUIRE(huffman_build(&tree, tree_counts, V, &err) == 0);
    int nk;
    const kernel *const *ks = bodies(&nk);
    for (int i = 0; i < nk; i++)
        for (int32_t w = 0; w < V; w++) {
            /* one target per step: the paths of two targets share nodes,
             * and the second would see the first one's update */
            problem p = {.kind = LOSS_HS, .targets = {w}, .m = 1,
                         .tree = &tree};
            check_step(ks[i], &p, 0, 31 + (uint64_t)w);
            check_step(ks[i], &p, 2, 41 + (uint64_t)w); /* CBOW */
        }
    huffman_free(&tree);
}

/* theory.md section 1: the batched step equals the sum over the window's
 * pairs of the per-pair gradients, each computed naively in double. */
TEST(objective_softmax_batch_equals_sum_of_pairs)
{
    const int32_t targets[10] = {6, 1, 1, 0, 3, 3, 3, 5, 2, 4};
    rng r;
    rng_seed(&r, 5, 1);
    double U[V * D], v[D];
    fill(&r, U, V * D, 1.5);
    fill(&r, v, D, 1.5);
    float in[D];
    for (int i = 0; i < D; i++)
        in[i] = (float)v[i];
    double want_v[D] = {0}, want_u[V * D] = {0};
    for (int t = 0; t < 10; t++) {
        double p[V], z = 0.0;
        for (int j = 0; j < V; j++) {
            p[j] = exp(dotd(U + j * D, v));
            z += p[j];
        }
        for (int j = 0; j < V; j++) {
            double g = (j == targets[t]) - p[j] / z; /* -dJ/ds_j */
            for (int i = 0; i < D; i++) {
                want_v[i] += g * U[j * D + i];
                want_u[j * D + i] += g * v[i];
            }
        }
    }
    int nk;
    const kernel *const *ks = bodies(&nk);
    for (int b = 0; b < nk; b++) {
        fixture f;
        fixture_init(&f, ks[b], U, NULL);
        const float lr = 0.25f;
        problem p = {.kind = LOSS_SOFTMAX, .m = 10};
        memcpy(p.targets, targets, sizeof targets);
        step(&f, &p, in, lr);
        double err_v = 0, norm_v = 0, err_u = 0, norm_u = 0;
        for (int i = 0; i < D; i++) {
            err_v += pow(f.grad[i] / lr - want_v[i], 2);
            norm_v += want_v[i] * want_v[i];
        }
        for (int j = 0; j < V; j++)
            for (int i = 0; i < D; i++) {
                double moved =
                    (f.m.emb_out[j * f.m.stride + i] - U[j * D + i]) / lr;
                err_u += pow(moved - want_u[j * D + i], 2);
                norm_u += want_u[j * D + i] * want_u[j * D + i];
            }
        CHECK_MSG(sqrt(err_v / norm_v) <= 1e-5, "%s: input gradient relative "
                  "error %g", ks[b]->name, sqrt(err_v / norm_v));
        CHECK_MSG(sqrt(err_u / norm_u) <= 1e-5, "%s: output gradient relative "
                  "error %g", ks[b]->name, sqrt(err_u / norm_u));
        fixture_free(&f);
    }
}

/* Several centers in one call: each center's step is its own exact step at
 * the parameters of the call's start; the output rows get the sum. */
TEST(objective_softmax_centers_equal_separate_steps)
{
    enum { B = 3 };
    const int32_t targets[9] = {1, 4, 4, 0, 6, 2, 3, 5, 1};
    const int offsets[B + 1] = {0, 3, 4, 9};
    rng r;
    rng_seed(&r, 6, 2);
    double U[V * D], X[B * D];
    fill(&r, U, V * D, 1.0);
    fill(&r, X, B * D, 1.0);
    float in[B][D];
    const float *ins[B];
    for (int b = 0; b < B; b++) {
        for (int i = 0; i < D; i++)
            in[b][i] = (float)X[b * D + i];
        ins[b] = in[b];
    }
    const float lr = 0.3f;
    /* the reference: each center alone from the same start */
    double want_grad[B][D], want_move[V * D] = {0};
    for (int b = 0; b < B; b++) {
        fixture f;
        fixture_init(&f, &kernel_scalar, U, NULL);
        problem p = {.kind = LOSS_SOFTMAX, .m = offsets[b + 1] - offsets[b]};
        memcpy(p.targets, targets + offsets[b], sizeof(int32_t) * (size_t)p.m);
        step(&f, &p, in[b], lr);
        for (int i = 0; i < D; i++)
            want_grad[b][i] = f.grad[i];
        for (int j = 0; j < V; j++)
            for (int i = 0; i < D; i++)
                want_move[j * D + i] +=
                    f.m.emb_out[j * f.m.stride + i] - U[j * D + i];
        fixture_free(&f);
    }
    int nk;
    const kernel *const *ks = bodies(&nk);
    for (int kb = 0; kb < nk; kb++) {
        fixture f;
        fixture_init(&f, ks[kb], U, NULL);
        free(f.ctx.scores);
        f.ctx.scores = w2v_alloc_aligned(sizeof(float) * B * V, NULL);
        f.ctx.batch_in =
            w2v_alloc_aligned(sizeof(float) * B * (size_t)f.m.stride, NULL);
        REQUIRE(f.ctx.scores && f.ctx.batch_in);
        float grads[B][16] = {{0}};
        objective_softmax_centers(&f.ctx, ins, B, targets, offsets, lr,
                                  grads[0], 16);
        for (int b = 0; b < B; b++)
            for (int i = 0; i < D; i++)
                CHECK_NEAR(grads[b][i], want_grad[b][i], 1e-6);
        for (int j = 0; j < V; j++)
            for (int i = 0; i < D; i++)
                CHECK_NEAR(f.m.emb_out[j * f.m.stride + i] - U[j * D + i],
                           want_move[j * D + i], 1e-6);
        free(f.ctx.batch_in);
        fixture_free(&f);
    }
}

/* The steps' losses with lr = 0 are -log p(w | in) of a distribution over
 * all words: exp(-loss) sums to 1 (hs: the tree is a proper model). */
TEST(objective_softmax_and_hs_are_distributions)
{
    w2v_err err;
    huffman_tree tree;
    REQUIRE(huffman_build(&tree, tree_counts, V, &err) == 0);
    rng r;
    rng_seed(&r, 9, 3);
    for (int trial = 0; trial < 20; trial++) {
        double U[V * D], v[D];
        fill(&r, U, V * D, 2.0);
        fill(&r, v, D, 2.0);
        float in[D];
        for (int i = 0; i < D; i++)
            in[i] = (float)v[i];
        fixture f;
        fixture_init(&f, &kernel_scalar, U, &tree);
        double sum_softmax = 0.0, sum_hs = 0.0;
        for (int32_t w = 0; w < V; w++) {
            problem ps = {.kind = LOSS_SOFTMAX, .targets = {w}, .m = 1};
            problem ph = {.kind = LOSS_HS, .targets = {w}, .m = 1,
                          .tree = &tree};
            sum_softmax += exp(-step(&f, &ps, in, 0.0f));
            sum_hs += exp(-step(&f, &ph, in, 0.0f));
        }
        CHECK_NEAR(sum_softmax, 1.0, 1e-5);
        CHECK_NEAR(sum_hs, 1.0, 1e-5);
        fixture_free(&f);
    }
    huffman_free(&tree);
}

static int64_t code_length(const huffman_tree *t, int64_t w)
{
    return t->start[w + 1] - t->start[w];
}

TEST(huffman_known_distributions)
{
    w2v_err err;
    huffman_tree t;
    /* dyadic: lengths are exactly -log2 p */
    const int64_t dyadic[5] = {8, 4, 2, 1, 1};
    REQUIRE(huffman_build(&t, dyadic, 5, &err) == 0);
    const int64_t want_len[5] = {1, 2, 3, 4, 4};
    for (int w = 0; w < 5; w++)
        CHECK(code_length(&t, w) == want_len[w]);
    for (int w = 0; w < 5; w++)
        CHECK(t.points[t.start[w]] == 3); /* root = inner node n - 2 */
    huffman_free(&t);
    /* the textbook example (CLRS 16.3): optimal cost 224 */
    const int64_t clrs[6] = {45, 16, 13, 12, 9, 5};
    REQUIRE(huffman_build(&t, clrs, 6, &err) == 0);
    int64_t cost = 0;
    for (int w = 0; w < 6; w++)
        cost += clrs[w] * code_length(&t, w);
    CHECK(cost == 224);
    huffman_free(&t);
    /* one word: empty path */
    const int64_t single[1] = {5};
    REQUIRE(huffman_build(&t, single, 1, &err) == 0);
    CHECK(code_length(&t, 0) == 0);
    huffman_free(&t);
    const int64_t unsorted[3] = {1, 5, 2};
    CHECK(huffman_build(&t, unsorted, 3, &err) == -1);
    CHECK(strstr(err.msg, "non-increasing") != NULL);
    CHECK(t.n == 0);
}

static int cmp_desc(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x < y) - (x > y);
}

TEST(huffman_prefix_free_optimal_and_consistent)
{
    enum { N = 300 };
    int64_t counts[N], pool[N];
    rng r;
    rng_seed(&r, 17, 0);
    for (int w = 0; w < N; w++) /* Zipf-like with ties */
        counts[w] = 1 + (int64_t)(5000.0 / (1 + w) * rng_uniform(&r));
    qsort(counts, N, sizeof counts[0], cmp_desc);
    w2v_err err;
    huffman_tree t;
    REQUIRE(huffman_build(&t, counts, N, &err) == 0);
    /* optimal cost: reference by repeatedly merging the two lightest
     * (O(N^2), independent of the two-queue method) */
    memcpy(pool, counts, sizeof counts);
    int64_t want = 0;
    for (int left = N; left > 1; left--) {
        for (int j = 0; j < 2; j++) { /* move the two lightest to the end */
            int lo = 0;
            for (int i = 1; i < left - j; i++)
                if (pool[i] < pool[lo])
                    lo = i;
            int64_t x = pool[lo];
            pool[lo] = pool[left - j - 1];
            pool[left - j - 1] = x;
        }
        pool[left - 2] += pool[left - 1];
        want += pool[left - 2];
    }
    int64_t cost = 0;
    double kraft = 0.0;
    for (int w = 0; w < N; w++) {
        cost += counts[w] * code_length(&t, w);
        kraft += ldexp(1.0, -(int)code_length(&t, w));
    }
    CHECK(cost == want);
    CHECK_NEAR(kraft, 1.0, 1e-12); /* a full binary tree */
    for (int a = 0; a < N; a++) {
        for (int64_t i = t.start[a]; i < t.start[a + 1]; i++)
            CHECK(t.points[i] >= 0 && t.points[i] < N - 1 && t.codes[i] <= 1);
        for (int b = 0; b < N; b++) {
            if (a == b)
                continue;
            /* a's code is not a prefix of b's; where they agree, the paths
             * pass the same inner nodes */
            int64_t la = code_length(&t, a), lb = code_length(&t, b), i = 0;
            while (i < la && i < lb &&
                   t.codes[t.start[a] + i] == t.codes[t.start[b] + i]) {
                CHECK(t.points[t.start[a] + i] == t.points[t.start[b] + i]);
                i++;
            }
            CHECK(i < la);
        }
    }
    huffman_free(&t);
}

/* Writes `text` to a new temporary file, its name in
 * path[HARNESS_PATH_MAX]. */
static void write_temp(char *path, const char *text)
{
    harness_write_temp(path, "test-loglik", text, strlen(text));
}

/* loglik_eval over the text file at path. */
static int loglik_file(const vectors *in, const vectors *out, const char *path,
                       int64_t window, int64_t negative, const kernel *k,
                       loglik_result *r, w2v_err *err)
{
    corpus c;
    if (corpus_open(&c, path, NULL, err))
        return -1;
    int rc = loglik_eval(in, out, &c, window, negative, 1, k, r, err);
    corpus_close(&c);
    return rc;
}

/* Writes the n rows of dim floats at m, named by words, as a text vector
 * file of a new temporary name in path[HARNESS_PATH_MAX], then loads it into
 * v; ends the test as failed when either step fails. */
static void write_and_load(char *path, const char *const *words,
                           const float *m, int64_t n, int64_t dim, vectors *v)
{
    w2v_err err;
    FILE *fp = harness_temp_file(path, "test-vectors");
    int rc = vectors_write(fp, path, words, m, n, dim, dim, 0, &err);
    REQUIRE_MSG((fclose(fp) | rc) == 0, "cannot write %s", path);
    REQUIRE_MSG(vectors_load(path, VEC_AUTO, 0, v, &err) == 0, "%s", err.msg);
}

/* log p(c | w) over the pairs of a tiny text, against a naive double sum. */
TEST(loglik_exact_on_a_tiny_text)
{
    enum { N = 4, DIM = 3 };
    const char *words[N] = {"a", "b", "c", "d"};
    const float in_m[N * DIM] = {0.5f, -1, 0.25f, 1, 0, -0.5f,
                                 -0.75f, 0.5f, 1, 0.125f, 2, 0};
    const float out_m[N * DIM] = {1, 0.5f, 0, -0.5f, 0.25f, 1,
                                  0, -1, 0.5f, 1.5f, 0, -0.25f};
    char text[HARNESS_PATH_MAX], in_path[HARNESS_PATH_MAX],
        out_path[HARNESS_PATH_MAX], bad_path[HARNESS_PATH_MAX];
    w2v_err err;
    /* window 2; "zz" is out of the vocabulary and dropped before windowing */
    write_temp(text, "a b zz c\n\nd a\n");
    const char *swapped[N] = {"a", "c", "b", "d"};
    vectors in, out, bad;
    write_and_load(in_path, words, in_m, N, DIM, &in);
    write_and_load(out_path, words, out_m, N, DIM, &out);
    write_and_load(bad_path, swapped, out_m, N, DIM, &bad);

    const int pairs[8][2] = {{0, 1}, {0, 2}, {1, 0}, {1, 2},
                             {2, 0}, {2, 1}, {3, 0}, {0, 3}};
    double want = 0.0;
    for (int p = 0; p < 8; p++) {
        const float *v = in_m + pairs[p][0] * DIM;
        double s[N], z = 0.0;
        for (int j = 0; j < N; j++) {
            s[j] = 0.0;
            for (int i = 0; i < DIM; i++)
                s[j] += (double)v[i] * out_m[j * DIM + i];
            z += exp(s[j]);
        }
        want += s[pairs[p][1]] - log(z);
    }
    want /= 8;
    int nk;
    const kernel *const *ks = bodies(&nk);
    for (int b = 0; b < nk; b++) {
        loglik_result r;
        CHECK(loglik_file(&in, &out, text, 2, 5, ks[b], &r, &err) == 0);
        CHECK(r.pairs == 8 && r.tokens == 6 && r.skipped == 1);
        CHECK_NEAR(r.loglik, want, 1e-6);
        /* the NS loss of 1 + k terms, each at least -log sig(-|s|max) */
        CHECK(r.ns_loss > kernel_neg_log_sigmoid(4.0) && r.ns_loss < 20);
        /* window 1: a-b, b-a, b-c, c-b, d-a, a-d */
        CHECK(loglik_file(&in, &out, text, 1, 0, ks[b], &r, &err) == 0);
        CHECK(r.pairs == 6);
    }
    loglik_result r;
    CHECK(loglik_file(&in, &bad, text, 2, 5, &kernel_scalar, &r, &err) ==
          -1);
    CHECK(strstr(err.msg, "row 2") != NULL);
    char oov[HARNESS_PATH_MAX];
    write_temp(oov, "x y z\n");
    CHECK(loglik_file(&in, &out, oov, 2, 5, &kernel_scalar, &r, &err) == -1);
    CHECK(strstr(err.msg, "no word") != NULL);
    vectors_free(&in);
    vectors_free(&out);
    vectors_free(&bad);
    unlink(text);
    unlink(oov);
    unlink(in_path);
    unlink(out_path);
    unlink(bad_path);
}
