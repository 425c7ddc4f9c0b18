/* test_cli.c - strict number parsing, the flag table, the GNU spellings,
 * suggestions after a typo, and the help lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "harness.h"

TEST(cli_numbers_are_strict)
{
    int64_t i;
    double r;
    CHECK(cli_parse_int("42", &i) == 0 && i == 42);
    CHECK(cli_parse_int("-7", &i) == 0 && i == -7);
    CHECK(cli_parse_int("", &i) == -1);
    CHECK(cli_parse_int("4x", &i) == -1);
    CHECK(cli_parse_int("1e3", &i) == -1);
    CHECK(cli_parse_int("99999999999999999999", &i) == -1);
    CHECK(cli_parse_real("1e-4", &r) == 0 && r == 1e-4);
    CHECK(cli_parse_real("nan", &r) == -1);
    CHECK(cli_parse_real("inf", &r) == -1);
    CHECK(cli_parse_real("1e999", &r) == -1);
    CHECK(cli_parse_real("0.5.", &r) == -1);
    /* only plain decimal: no blanks, signs other than '-', hex or words */
    CHECK(cli_parse_int(" +1", &i) == -1);
    CHECK(cli_parse_int("+1", &i) == -1);
    CHECK(cli_parse_int(" 1", &i) == -1);
    CHECK(cli_parse_int("1 ", &i) == -1);
    CHECK(cli_parse_int("0x10", &i) == -1);
    CHECK(cli_parse_int("-", &i) == -1);
    CHECK(cli_parse_real(" 0.5", &r) == -1);
    CHECK(cli_parse_real("+0.5", &r) == -1);
    CHECK(cli_parse_real("0x1p3", &r) == -1);
    CHECK(cli_parse_real(".", &r) == -1);
    CHECK(cli_parse_real("1e", &r) == -1);
    CHECK(cli_parse_real(".5", &r) == 0 && r == 0.5);
    CHECK(cli_parse_real("5.", &r) == 0 && r == 5.0);
    CHECK(cli_parse_real("-2.5E+2", &r) == 0 && r == -250.0);
}

TEST(cli_parse_table)
{
    int64_t size = 100;
    double alpha = 0.025;
    const char *out = NULL;
    int quiet = 0;
    const cli_opt opts[] = {
        {"-size", CLI_INT, &size, 1, 1000, "dim", "N"},
        {"-alpha", CLI_REAL, &alpha, 0, 1, "rate", "A"},
        {"-output", CLI_STRING, &out, 0, 0, "file", "FILE"},
        {"-quiet", CLI_FLAG, &quiet, 0, 0, "hush", NULL},
        {NULL, 0, NULL, 0, 0, NULL, NULL},
    };
    char *pos[4];
    int npos = -1;
    w2v_err err;
    char *ok[] = {"-size", "50", "word", "-quiet", "-output", "-", "-alpha",
                  "0.5", "--", "-x"};
    REQUIRE(cli_parse(opts, 10, ok, pos, 4, &npos, NULL, &err) == 0);
    CHECK(size == 50 && alpha == 0.5 && quiet == 1);
    CHECK(out != NULL && strcmp(out, "-") == 0);
    CHECK(npos == 2 && strcmp(pos[0], "word") == 0 && strcmp(pos[1], "-x") == 0);

    char *range[] = {"-size", "0"};
    CHECK(cli_parse(opts, 2, range, pos, 4, &npos, NULL, &err) == -1);
    CHECK_MSG(strstr(err.msg, "-size") && strstr(err.msg, "out of range"), "%s",
              err.msg);
    char *missing[] = {"-alpha"};
    CHECK(cli_parse(opts, 1, missing, pos, 4, &npos, NULL, &err) == -1);
    CHECK(strstr(err.msg, "needs a value") != NULL);
    char *unknown[] = {"-frob", "1"};
    CHECK(cli_parse(opts, 2, unknown, pos, 4, &npos, NULL, &err) == -1);
    CHECK(strstr(err.msg, "unknown option '-frob'") != NULL);
    char *extra[] = {"a", "b"};
    CHECK(cli_parse(opts, 2, extra, pos, 1, &npos, NULL, &err) == -1);
    char *help[] = {"-size", "bad", "--help"};
    CHECK(cli_parse(opts, 3, help, pos, 4, &npos, NULL, &err) == 1);
}

/* The option table of the tests below. */
typedef struct flags {
    int64_t size, window;
    double sample;
    const char *output;
    int quiet;
    const char *items[3];
    cli_list words;
} flags;

static int parse_flags(flags *f, int argc, char **argv, w2v_err *err)
{
    const cli_opt opts[] = {
        {"-size", CLI_INT, &f->size, 1, 100000, "vector dimension", "N"},
        {"-window", CLI_INT, &f->window, 1, 1000, "max distance", "N"},
        {"-sample", CLI_REAL, &f->sample, 0, 1, "threshold", "S"},
        {"-output", CLI_STRING, &f->output, 0, 0, "file", "FILE"},
        {"-quiet", CLI_FLAG, &f->quiet, 0, 0, "hush", NULL},
        {"-negative", CLI_LIST, &f->words, 0, 0, "subtract", "WORD"},
        {NULL, 0, NULL, 0, 0, NULL, NULL},
    };
    char *pos[4];
    int npos;
    return cli_parse(opts, argc, argv, pos, 4, &npos, NULL, err);
}

static void flags_init(flags *f)
{
    memset(f, 0, sizeof *f);
    f->size = 100;
    f->words = (cli_list){f->items, 0, 3};
}

TEST(cli_gnu_spellings)
{
    flags f;
    w2v_err err;
    char *forms[][2] = {{"-size", "7"}, {"--size", "7"}, {"--size=7", NULL},
                        {"-size=7", NULL}};
    for (int i = 0; i < 4; i++) {
        flags_init(&f);
        CHECK_MSG(parse_flags(&f, forms[i][1] ? 2 : 1, forms[i], &err) == 0,
                  "%s: %s", forms[i][0], err.msg);
        CHECK_MSG(f.size == 7, "%s", forms[i][0]);
    }
    flags_init(&f);
    char *more[] = {"--output=a=b", "--quiet", "--sample=1e-4", "-negative",
                    "man", "--negative=woman"};
    REQUIRE_MSG(parse_flags(&f, 6, more, &err) == 0, "%s", err.msg);
    CHECK(strcmp(f.output, "a=b") == 0 && f.quiet && f.sample == 1e-4);
    CHECK(f.words.n == 2 && strcmp(f.items[1], "woman") == 0);
    char *flag_value[] = {"--quiet=1"};
    CHECK(parse_flags(&f, 1, flag_value, &err) == -1);
    CHECK(strstr(err.msg, "-quiet takes no value") != NULL);
    char *empty[] = {"--size="};
    CHECK(parse_flags(&f, 1, empty, &err) == -1);
    CHECK(strstr(err.msg, "not a whole number") != NULL);
    char *range[] = {"--size=0"};
    CHECK(parse_flags(&f, 1, range, &err) == -1);
    CHECK(strstr(err.msg, "-size: 0 is out of range") != NULL);
    char *too_many[] = {"-negative", "a", "-negative", "b", "-negative", "c",
                        "-negative", "d"};
    flags_init(&f);
    CHECK(parse_flags(&f, 8, too_many, &err) == -1);
    char *after[] = {"--", "--size=3"};
    flags_init(&f);
    CHECK(parse_flags(&f, 2, after, &err) == 0 && f.size == 100);
}

TEST(cli_edit_distance_counts_edits)
{
    CHECK(cli_edit_distance("size", "size", 2) == 0);
    CHECK(cli_edit_distance("szie", "size", 2) == 1);   /* a swap */
    CHECK(cli_edit_distance("siz", "size", 2) == 1);    /* a deletion */
    CHECK(cli_edit_distance("sizes", "size", 2) == 1);  /* an insertion */
    CHECK(cli_edit_distance("sixe", "size", 2) == 1);   /* a substitution */
    CHECK(cli_edit_distance("SIZE", "size", 2) == 0);   /* case aside */
    CHECK(cli_edit_distance("windw", "window", 2) == 1);
    CHECK(cli_edit_distance("ab", "ba", 2) == 1);
    CHECK(cli_edit_distance("abc", "ca", 5) == 3);
    CHECK(cli_edit_distance("kitten", "sitting", 5) == 3);
    CHECK(cli_edit_distance("kitten", "sitting", 2) == 3); /* over: limit + 1 */
    CHECK(cli_edit_distance("", "abc", 5) == 3);
}

TEST(cli_suggestions)
{
    const char *names[] = {"-size", "-sample", "-window", "-n", "-hs",
                           "-cbow"};
    char out[256];
    cli_suggest("-szie", names, 6, "", out, sizeof out);
    CHECK_MSG(strcmp(out, "; did you mean -size?") == 0, "%s", out);
    cli_suggest("--windo", names, 6, "", out, sizeof out);
    CHECK_MSG(strcmp(out, "; did you mean -window?") == 0, "%s", out);
    cli_suggest("-frobnicate", names, 6, "", out, sizeof out);
    CHECK(out[0] == '\0');
    /* no suggestion that is more edit than name */
    cli_suggest("-x", names, 6, "", out, sizeof out);
    CHECK_MSG(out[0] == '\0', "%s", out);
    /* equally close names are all offered */
    const char *cmds[] = {"train", "drain", "brain"};
    cli_suggest("crain", cmds, 3, "'", out, sizeof out);
    CHECK_MSG(strcmp(out, "; did you mean 'train', 'drain' or 'brain'?") == 0,
              "%s", out);
    cli_suggest("trian", cmds, 3, "'", out, sizeof out);
    CHECK_MSG(strcmp(out, "; did you mean 'train'?") == 0, "%s", out);
}

TEST(cli_unknown_flag_message)
{
    flags f;
    w2v_err err;
    flags_init(&f);
    char *typo[] = {"--sze=3"};
    CHECK(parse_flags(&f, 1, typo, &err) == -1);
    CHECK_MSG(strcmp(err.msg, "unknown option '--sze=3'; did you mean "
                              "-size?") == 0, "%s", err.msg);
    char *word[] = {"-man"};
    CHECK(parse_flags(&f, 1, word, &err) == -1);
    CHECK_MSG(strstr(err.msg, "go after '--'") != NULL, "%s", err.msg);
}

TEST(cli_help_describes_ranges_and_defaults)
{
    int64_t size = 100, threads = 0, min_count = 5, binary = 0;
    double sample = 1e-3;
    const char *loss = NULL, *format = "auto";
    const cli_opt opts[] = {
        {"-size", CLI_INT, &size, 1, 100000, "vector dimension", "N"},
        {"-sample", CLI_REAL, &sample, 0, 1, "threshold", "S"},
        {"-threads", CLI_INT, &threads, 1, 1024,
         "threads (default: online CPUs)", "N"},
        {"-min-count", CLI_INT, &min_count, 0, 1e18, "drop rarer words", "N"},
        {"-binary", CLI_INT, &binary, 0, 1, "binary", "0|1"},
        {"-loss", CLI_STRING, &loss, 0, 0, "objective", "ns|hs"},
        {"-format", CLI_STRING, &format, 0, 0, "format", "NAME"},
        {"-dim", CLI_INT, &size, 1, 100000, "same as -size", "N"},
        {NULL, 0, NULL, 0, 0, NULL, NULL},
    };
    char buf[256];
    const char *want[] = {
        "vector dimension, 1..100000 (default 100)",
        "threshold, 0..1 (default 0.001)",
        "threads, 1..1024 (default: online CPUs)",
        "drop rarer words, 0 or more (default 5)",
        "binary (default 0)",
        "objective",
        "format (default auto)",
    };
    for (int i = 0; i < 7; i++) {
        cli_describe(&opts[i], buf, sizeof buf);
        CHECK_MSG(strcmp(buf, want[i]) == 0, "'%s' != '%s'", buf, want[i]);
    }
    char *text = NULL, *roff = NULL;
    size_t len;
    FILE *fp = open_memstream(&text, &len);
    cli_print_options(fp, opts);
    fclose(fp);
    const char *first = "  -size N                vector dimension, "
                        "1..100000 (default 100)\n";
    CHECK_MSG(strncmp(text, first, strlen(first)) == 0, "%s", text);
    /* a synonym is its help alone */
    CHECK_MSG(strstr(text, "  -dim N                 same as -size\n") != NULL,
              "%s", text);
    fp = open_memstream(&roff, &len);
    cli_print_options_roff(fp, opts);
    fclose(fp);
    CHECK_MSG(strstr(roff, ".TP\n\\fB\\-size\\fR \\fIN\\fR\nvector "
                           "dimension, 1..100000 (default 100)\n") != NULL,
              "%s", roff);
    CHECK(strstr(roff, "\\fB\\-min\\-count\\fR") != NULL);
    free(text);
    free(roff);
}

/* A real that may be any number (both ends unbounded) shows no range. */
TEST(cli_help_any_number_has_no_range)
{
    double threshold = 100, above = 0;
    const cli_opt opts[] = {
        {"-threshold", CLI_REAL, &threshold, -1e300, 1e300, "join above",
         "T"},
        {"-above", CLI_REAL, &above, -1, 1e300, "above", "X"},
        {NULL, 0, NULL, 0, 0, NULL, NULL},
    };
    char buf[256];
    cli_describe(&opts[0], buf, sizeof buf);
    CHECK_MSG(strcmp(buf, "join above (default 100)") == 0, "'%s'", buf);
    cli_describe(&opts[1], buf, sizeof buf);
    CHECK_MSG(strcmp(buf, "above, -1 or more (default 0)") == 0, "'%s'", buf);
}
